# Перечень точек взаимодействия: напоминание сотрудникам о сроке публикации.

touchpoints-remind =
    Перечень точек взаимодействия изменился. Обновлённый перечень нужно опубликовать на сайте в течение { $days } рабочих дней после изменения.

    { $changes }

    Опубликовать: priemnaya touchpoints export --publish --out <папка сайта>
touchpoints-remind-overdue = • Просрочено (срок был { $due }): { $change }
touchpoints-remind-today = • Сегодня последний день: { $change }
touchpoints-remind-due = • Опубликовать до { $due }: { $change }
touchpoints-remind-broken =
    Не удалось проверить, изменился ли перечень точек взаимодействия: в его файлах ошибки.

    { $problems }

    Проверить файлы: priemnaya touchpoints check <папка>
