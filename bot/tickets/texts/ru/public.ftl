# Публичные комментарии: квитанция под комментарием, /comments для модераторов.

ticket-public-receipt = Спасибо, мы увидели ваш комментарий. Ответим здесь { $when }.
ticket-public-receipt-off-hours = Спасибо, мы увидели ваш комментарий. Сейчас нерабочее время: ответим здесь { $when }.

## Сотрудникам, в чате

staff-button-no-answer = Не требует ответа
staff-no-answer = Обращение №{ $number } закрыто: комментарий не требует ответа ({ $name }). В отчёт о сроках не входит.
staff-no-answer-done = Обращение №{ $number } закрыто как не требующее ответа.
staff-no-answer-private = Обращение №{ $number } пришло в личные сообщения: на него нужно ответить.
staff-moderators-only = Эта кнопка — для модераторов и руководителей.

## /comments

comments-moderators-only = Этот раздел — для модераторов.
comments-none = Отложенных комментариев нет. Все, что ждут ответа, уже стали обращениями.
comments-title = Комментарии без ответа за неделю. Если на какой-то всё же нужно ответить, нажмите кнопку с его номером.
comments-line = №{ $number } · { $source } · { $reason } · { $when }
    { $text }
comments-source-vk_wall = ВКонтакте
comments-source-tg_group = Telegram
comments-reason-empty = без текста
comments-reason-no_words = только смайлики
comments-reason-spam = похоже на спам
comments-reason-thanks = благодарность
comments-make-ticket = Ответить на №{ $number }
comments-opened = Комментарий №{ $number } стал обращением №{ $ticket }. Под ним появилось сообщение, что ответим { $when }.
comments-already = Комментарий №{ $number } уже стал обращением №{ $ticket }.

## Список отложенных комментариев в чате сотрудников, раз в рабочий день

comments-list-title = Комментарии, отложенные без ответа с { $since } до { $until }: { $count }. Если на какой-то всё же нужно ответить, модератор откроет его в личных сообщениях с ботом: /comments.
comments-list-more = …и ещё { $count } — в /comments.
