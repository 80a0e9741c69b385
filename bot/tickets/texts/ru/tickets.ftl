# Обращения к сотрудникам. Пишем просто: короткие предложения.

## Человек

ticket-ask =
    Напишите вопрос или предложение одним сообщением. Можно приложить фото или документ.
    Номера паспорта, СНИЛС, ИНН, телефоны и e-mail мы скроем: сотрудник их не увидит. Ответ придёт сюда.
    В официальном обращении телефон и e-mail сотрудник увидит, чтобы ответить вам.
ticket-kind = Что это за обращение? Выберите кнопку.
ticket-too-long =
    Вопрос получился очень длинным. Я сохранил первые { $limit } знаков.
    Остальное пришлите отдельным сообщением, когда обращение будет принято.
ticket-kind-request = Официальное обращение
ticket-kind-question = Вопрос
ticket-kind-complaint = Жалоба
ticket-kind-suggestion = Предложение
ticket-kind-comment = Комментарий к записи
ticket-kind-mention = Упоминание
ticket-when-today = до { $time }
ticket-when-date = до { $time } { $date }
ticket-when-weekday = до { $time } { $weekday ->
    [0] понедельника
    [1] вторника
    [2] среды
    [3] четверга
    [4] пятницы
    [5] субботы
   *[6] воскресенья
}
ticket-duration = { $hours } ч { $minutes } мин
ticket-created =
    Обращение №{ $number } принято. Ответим { $when }.
    Если хотите что-то добавить, просто напишите.
ticket-created-off-hours =
    Обращение №{ $number } принято. Сейчас нерабочее время, ответим { $when }.
    Если хотите что-то добавить, просто напишите.
ticket-added = Добавил к обращению №{ $number }. Сотрудник увидит.
ticket-answer =
    Ответ по обращению №{ $number }:
    
    { $text }
ticket-interim =
    Промежуточный ответ по обращению №{ $number }:
    
    { $text }
    
    Полный ответ пришлём { $when }.
ticket-file-note = Сотрудник приложил файл «{ $name }», но переслать его сюда не получилось. Попросите прислать его текстом.
ticket-button-reply = Ответить
ticket-button-done = Вопрос решён
ticket-reply-prompt = Напишите ответ одним сообщением.
ticket-closed = Обращение №{ $number } закрыто.
ticket-autoclosed = Обращение №{ $number } закрыто: от вас не было ответа { $hours } ч. Если вопрос остался, напишите нам снова.
ticket-rate-ask = Оцените ответ: 1 — плохо, 5 — отлично. Оценка анонимная.
ticket-rate-answer = Оцените ответ по обращению №{ $number }: 1 — плохо, 5 — отлично. Оценка анонимная.
ticket-rate-comment =
    Мы ответили на ваш комментарий (обращение №{ $number }).
    Оцените ответ: 1 — плохо, 5 — отлично. Оценка анонимная.
ticket-answer-rated = Спасибо за оценку! Мы сохранили её без вашего имени.
ticket-rated =
    Спасибо за оценку!
    Хотите что-то добавить? Напишите одним сообщением. Комментарий тоже анонимный.
ticket-button-no-comment = Без комментария
ticket-comment-thanks = Спасибо! Комментарий сохранён без вашего имени.
ticket-history-title = Ваши обращения. Нажмите, чтобы открыть переписку:
ticket-history-line =
    №{ $number } от { $date } · { $kind } · { $status ->
        [open] ждёт ответа
        [answered] есть ответ
       *[closed] закрыто
    }
ticket-history-person = Вы, { $at }:
    { $text }
ticket-history-staff = Сотрудник, { $at }:
    { $text }
ticket-history-erased = (текст удалён)

## Сотрудники (чат сотрудников)

staff-card =
    Обращение №{ $number } · { $kind }
    Ответить { $due } (осталось { $left })
    Канал: { $channel }
    { $history }
    
    { $text }
staff-card-tickets = Раньше обращений: { $count }. Последние ниже, откройте кнопкой с номером.
staff-card-tickets-none = Раньше обращений не было.
staff-card-ticket =
    • №{ $number } от { $date } · { $kind } · { $status ->
        [open] ждёт ответа
        [answered] есть ответ
       *[closed] закрыто
    }
staff-card-visits = Записи на приём:
staff-card-visits-none = Записей на приём не было.
staff-card-visit =
    • { $when } · { $service } · { $status ->
        [booked] записан
        [arrived] пришёл
        [served] принят
        [no_show] не пришёл
       *[cancelled] запись отменена
    }
staff-button-earlier = №{ $number }
staff-earlier-person = 👤 { $at }:
    { $text }
staff-earlier-staff = 💬 { $name }, { $at }:
    { $text }
staff-earlier-erased = (текст удалён)
staff-source-chat = { $channel ->
    [telegram] Telegram, личные сообщения
    [vk] ВКонтакте, сообщения сообщества
   *[other] терминал
    }
staff-source-vk_wall = ВКонтакте, комментарий на стене (ответ уйдёт туда же)
staff-source-tg_group = Telegram, сообщение в группе (ответ уйдёт туда же)
staff-overdue = просрочено на { $late }
staff-button-take = Взять
staff-button-transfer = Передать
staff-button-template = Шаблон
staff-button-close = Закрыть
staff-button-interim = Промежуточный ответ
staff-button-send-draft = Отправить как есть
staff-person-says = 👤 { $text }
staff-taken = { $name } взял(а) обращение №{ $number }.
staff-transfer-pick = Кому передать обращение №{ $number }?
staff-transfer-none = Передать некому: других сотрудников нет.
staff-transfer-why = Почему передаёте?
staff-reason-profile = Не мой профиль
staff-reason-expert = Нужен специалист
staff-reason-absent = Меня не будет на месте
staff-transferred = { $by } передал(а) обращение: { $to }. Причина: { $reason }. Передач: { $count } из { $limit }.
staff-transfer-refused = Обращение №{ $number } уже передавали дважды. Третья передача запрещена: обращение ушло руководителю.
staff-supervisor-transfers = Обращение №{ $number } передавали дважды. Нужно ваше решение: возьмите его или назначьте сотрудника.
staff-assigned-you = Вам передали обращение №{ $number } ({ $kind }). Ответить { $due }.
staff-reminder = Напоминание: обращение №{ $number } ждёт ответа. Осталось { $left }.
staff-breach = Срок ответа по обращению №{ $number } истёк ({ $due }).
staff-templates-none = В базе знаний нет похожих ответов.
staff-draft =
    Черновик: «{ $title }». Отправьте как есть кнопкой или скопируйте, поправьте и отправьте сообщением.
    
    { $text }
staff-wording =
    Ответ ещё не ушёл человеку. Правила общения советуют посмотреть ещё раз:
    { $findings }
    Исправьте ответ или отправьте как есть.
staff-wording-phrase = • «{ $quote }» — шаблонная фраза. { $hint }
staff-wording-refusal = • Отказ без другого пути. Напишите, что человек может сделать: куда обратиться, что принести, когда прийти снова.
staff-wording-abbreviations = • Сокращения без расшифровки: { $quote }. Напишите полностью хотя бы один раз, например: «Госавтоинспекция (ГИБДД)».
staff-wording-long = • Длинное предложение: { $words } { $words ->
        [one] слово
        [few] слова
       *[many] слов
    } («{ $quote }…»). Разбейте его на короткие.
staff-button-as-is = Отправить как есть
staff-button-fix = Исправить
staff-held-fix = Хорошо. Напишите исправленный ответ в эту тему.
staff-held-gone = Этот ответ уже отправлен или исправлен.
staff-held-not-yours = Отправить или исправить ответ может только тот, кто его написал.
staff-sent = Отправлено.
staff-interim-next = Следующее сообщение уйдёт как промежуточный ответ. На полный ответ будет { $limit }.
staff-button-docs = Не хватает документов
staff-button-docs-cancel = Отмена
staff-button-docs-earlier = Нашли { $hours } ч назад
staff-docs-gone = По обращению №{ $number } сообщение о документах уже отправлено или отменено.
staff-docs-ask =
    Обращение №{ $number }: напишите здесь одним сообщением, каких документов не хватает или какие ошибки.
    Оно уйдёт человеку с двумя вариантами: донести документы или подать заявление заново.
    По правилам сообщить нужно { $due }.
staff-docs-sent = Обращение №{ $number }: уведомление о документах отправлено человеку.
staff-docs-cancelled = Обращение №{ $number }: уведомление о документах отменено.
staff-docs-public = Обращение №{ $number } пришло из комментария, а в личные сообщения человек боту не писал. Сообщите ему о документах другим способом.
staff-closed = Обращение №{ $number } закрыто ({ $by ->
        [person] человеком
        [auto] автоматически: не было ответа
       *[staff] сотрудником
    }).
staff-closed-forgotten = Обращение №{ $number } закрыто: человек удалил свои данные. Тексты обращения стёрты в базе бота, отвечать не нужно. Сообщения этой темы удалите вручную.
staff-closed-already = Обращение №{ $number } закрыто. Сообщение не отправлено.
staff-only = Только для сотрудников.

## Ответ не дошёл до человека (сообщение в теме обращения)

staff-undelivered-blocked = Ответ по обращению №{ $number } не доставлен: человек заблокировал бота или запретил сообщения от него. Обращение ждёт ответа: свяжитесь с человеком иначе или закройте обращение.
staff-undelivered-gone = Ответ по обращению №{ $number } не доставлен: чат не найден или аккаунт удалён. Обращение ждёт ответа: свяжитесь с человеком иначе или закройте обращение.
staff-undelivered-refused = Ответ по обращению №{ $number } не доставлен: мессенджер не принял сообщение. Обращение ждёт ответа: напишите ещё раз, короче или без файла.
staff-undelivered-expired = Ответ по обращению №{ $number } не доставлен: мессенджер не принимал сообщения { $hours } ч. Обращение ждёт ответа: напишите ещё раз.
