## Вопросы и ответы (база знаний)

faq-ask =
    Напишите вопрос своими словами.
    Например: «Как записаться на приём?» или «Сколько стоит пошлина?»
faq-helpful = Помог ли ответ?
faq-suggest = Возможно, вы имели в виду:
faq-other = Нет, у меня другой вопрос
faq-not-found =
    Я не нашёл ответа на этот вопрос.
    Напишите сотруднику — он ответит. Или спросите по-другому.
faq-thanks = Спасибо! Рад, что помог.
faq-offer-human =
    Жаль, что ответ не помог.
    Напишите сотруднику — он разберётся и ответит.
button-human = Написать сотруднику
button-ask-again = Задать другой вопрос

## Модерация базы знаний (только для модераторов)

kbmod-home =
    База знаний: { $total } записей, из них выключено: { $disabled }.
    Напишите слово для поиска или выберите действие.
kbmod-all = Все записи
kbmod-gaps = Вопросы без ответа
kbmod-found = Найдено записей: { $count }. Выберите:
kbmod-nothing-found = Ничего не нашлось. Попробуйте другое слово.
kbmod-page = Записи { $from }–{ $to } из { $total }:
kbmod-more = Ещё
kbmod-entry =
    { $title } ({ $id })
    Версия { $version }, изменена { $updated } — { $by }.
    { $enabled ->
        [yes] Показывается людям.
       *[no] Выключена: люди её не видят.
    }
    Примеров вопросов: { $questions }.
    
    Ответ по-русски:
    { $answer_ru }
kbmod-edit-ru = Изменить ответ (RU)
kbmod-edit-en = Изменить ответ (EN)
kbmod-add-question = Добавить пример вопроса
kbmod-disable = Выключить
kbmod-enable = Включить
kbmod-history = История изменений
kbmod-undo = Откатить на версию назад
kbmod-back = К записи
kbmod-send-answer =
    Пришлите новый текст ответа ({ $lang }) одним сообщением.
    Пишите просто и коротко. Для отмены — /cancel.
kbmod-too-long = Текст слишком длинный: { $length } знаков. Можно не больше { $limit }.
kbmod-preview = Так ответ увидят люди:
kbmod-publish = Опубликовать
kbmod-cancel = Не публиковать
kbmod-published = Опубликовано. Это версия { $version }. Бот уже отвечает по-новому.
kbmod-send-question = Пришлите пример вопроса так, как его напишет человек. Для отмены — /cancel.
kbmod-question-added = Пример добавлен (версия { $version }).
kbmod-question-elsewhere = Внимание: этот вопрос сейчас больше похож на запись «{ $other }». Добавьте слова, которые отличают вашу тему.
kbmod-toggled =
    { $enabled ->
        [yes] Запись включена (версия { $version }).
       *[no] Запись выключена (версия { $version }). Люди её не увидят.
    }
kbmod-history-title = История «{ $title }»:
kbmod-history-line = v{ $version } — { $when }, { $by }: { $change }
kbmod-rolled-back = Откатил. Теперь действует содержание версии { $restored } (новая версия { $version }).
kbmod-no-undo = Откатывать некуда: это первая версия.
kbmod-gaps-title = Вопросы, на которые бот не ответил или ответ не помог (чаще — выше):
kbmod-gaps-line = { $times } × { $question }
kbmod-gaps-empty = Таких вопросов пока нет.
kbmod-gap =
    Вопрос: «{ $question }»
    Сколько раз спросили: { $times }.
    
    К какой теме он относится? Нажмите тему — вопрос станет её примером, и бот будет на него отвечать.
kbmod-gap-other = Другая тема
kbmod-gap-out = Не по нашей теме
kbmod-gaps-back = К списку вопросов
kbmod-gap-back = Назад к вопросу
kbmod-gap-find = Напишите слово из названия темы.
kbmod-gap-pick = Выберите тему для этого вопроса:
kbmod-gap-filed = Вопрос добавлен в тему «{ $title }» (версия { $version }).
kbmod-gap-excluded = Отметил: вопрос не по нашей теме. Запись «{ $title }» не будет на него отвечать (версия { $version }).
kbmod-gap-dismissed = Отметил: вопрос не по нашей теме. Убрал его из списка.
kbmod-gap-now =
    { $kind ->
        [answer] Теперь бот отвечает: «{ $title }».
        [suggest] Бот предложит выбрать из нескольких тем.
       *[none] Бот передаёт вопрос сотруднику.
    }
kbmod-start = В начало модерации
