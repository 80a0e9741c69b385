## Как в опубликованных результатах называются услуги, точки контакта и этапы.
## Названия услуг из записи на приём (booking/schedule.yaml) важнее этих.

names-service = { $id ->
    [all] все услуги
    [general] общие вопросы
    [tickets] вопросы сотрудникам
    [faq] ответы бота
    [application] подача заявления
    [appointment] запись на приём
    [bot] работа бота
    [dopog] свидетельство ДОПОГ
    [feedback] отзывы и жалобы
    [licence] лицензия
    [permit] разрешение
   *[other] { $id }
}
names-touchpoint = { $id ->
    [messenger] чат с ботом
    [public_comment] комментарии и упоминания
    [office] приём в офисе
   *[other] { $id }
}
names-stage = { $id ->
    [faq-answer] ответ бота
    [faq-helpful] помог ли ответ бота
    [ticket-answered] ответ сотрудника
    [ticket-closed] закрытое обращение
    [booking-made] запись на приём
    [visit] приём в офисе
   *[other] { $id }
}
names-stage-scenario = шаг «{ $step }» сценария «{ $route }»
