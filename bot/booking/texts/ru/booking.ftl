# Запись на приём. Пишем просто: короткие предложения.

booking-weekday = { $n ->
    [0] пн
    [1] вт
    [2] ср
    [3] чт
    [4] пт
    [5] сб
   *[6] вс
}
booking-day = { $day }

## Выбор офиса, услуги, дня и времени

booking-choose-office = Куда вы хотите прийти? Выберите офис.
booking-choose-service =
    { $office }
    Выберите, зачем вы придёте.
booking-choose-day =
    { $service }. { $office }.
    Выберите день. Здесь только дни, где есть свободное время.
booking-no-days =
    Свободного времени для записи сейчас нет.
    Можно встать в лист ожидания: если место освободится, я напишу.
booking-day-gone = На этот день время уже заняли.
booking-choose-time = { $day }. Выберите время.
booking-use-buttons = Пожалуйста, нажмите одну из кнопок.
booking-just-taken = Это время только что заняли. Вот ближайшее свободное время:
booking-hold-expired = Время ушло: пока вы заполняли форму, это время заняли. Вот ближайшее свободное время:
booking-slot-past = На это время записаться уже нельзя.
booking-already =
    У вас уже есть запись:
    { $details }
    Можно перенести её или отменить.

## Согласие на обработку данных

booking-consent =
    Согласие на обработку персональных данных (закон № 152-ФЗ).
    Зачем: записать вас на приём{ $pass_regime ->
        [yes] {" "}и заказать пропуск в здание
       *[no] {""}
    }.
    Какие данные: { $pass_regime ->
        [yes] фамилия, имя, отчество, документ и его номер, номер машины (если есть), телефон и e-mail (если укажете).
       *[no] телефон и e-mail (если укажете).
    }
    Сколько храним: { $retention } дней после приёма, потом удаляем.
    Как отозвать: напишите «удалить мои данные».
    Вы согласны?
booking-consent-yes = Согласен, согласна
booking-consent-no = Не согласен
booking-consent-needed =
    В это здание пускают только по пропуску. Без ваших данных пропуск не сделать.
    Вы можете выбрать другой офис, позвонить нам: { $phone }, или написать сотруднику.

## Данные для пропуска и контакты

booking-ask-surname = Напишите вашу фамилию.
booking-ask-name = Напишите ваше имя.
booking-ask-patronymic = Напишите отчество. Если отчества нет, нажмите кнопку.
booking-skip-patronymic = Нет отчества
booking-ask-doc = С каким документом вы придёте?
booking-doc-ru = Паспорт РФ
booking-doc-foreign = Иностранный паспорт
booking-doc-other = Другой документ
booking-ask-docno-ru = Напишите серию и номер паспорта: 10 цифр, например 4510 123456.
booking-ask-docno-foreign = Напишите номер паспорта, как в документе: буквы и цифры.
booking-ask-docno-other = Напишите название и номер документа.
booking-ask-plate = Приедете на машине? Напишите её номер, например А123ВС77. Если нет, нажмите кнопку.
booking-skip-plate = Без машины
booking-ask-phone = Напишите телефон для связи, например +7 912 345-67-89. Можно пропустить: я напишу вам здесь.
booking-skip-phone = Без телефона
booking-ask-email = Напишите e-mail, если хотите получить подтверждение на почту.
booking-skip-email = Без e-mail

booking-bad-name = Здесь нужны только буквы. Можно дефис и пробел. Без цифр и значков.
booking-bad-name-long = Слишком длинно. Напишите не больше 50 букв.
booking-bad-passport = Номер паспорта РФ — это 10 цифр: 4 цифры серии и 6 цифр номера.
booking-bad-foreign = Номер иностранного паспорта — от 5 до 20 букв и цифр.
booking-bad-other-doc = Напишите название и номер документа: от 3 до 30 букв и цифр.
booking-bad-plate = Не похоже на номер машины. Пример: А123ВС77.
booking-bad-phone = Не похоже на телефон. Пример: +7 912 345-67-89.
booking-bad-email = Не похоже на e-mail. Пример: ivanov@mail.ru.

## Проверка и подтверждение

booking-summary-slot =
    Проверьте запись.
    { $office }
    Адрес: { $address }
    Услуга: { $service }
    Когда: { $when }
booking-summary-move = Переносим запись № { $number } на новое время.
booking-summary-person = Кто придёт: { $name }
booking-summary-doc = Документ: { $doc } { $number }
booking-summary-plate = Машина: { $plate }
booking-summary-no-pass = Пропуск не заказываем: возьмите паспорт, на входе вас запишут.
booking-summary-contact = Телефон: { $phone }. E-mail: { $email }.
booking-summary-hold = Время держим для вас до { $until }. Всё верно?
booking-summary-hold-gone =
    Время больше не закреплено за вами: вы долго не отвечали.
    Если оно ещё свободно, кнопка «Подтвердить» запишет вас. Если занято, я предложу другое.
booking-button-confirm = Подтвердить
booking-button-other-time = Другое время
booking-button-other-day = Другой день
booking-button-restart = Заполнить заново
booking-button-other-office = Другой офис

booking-number = Запись № { $number }
booking-details =
    Запись № { $number }
    { $when }
    { $service }
    { $office }
    { $address }
booking-done =
    Готово, вы записаны!
    { $details }
    Как пройти: { $directions }
    Взять с собой: { $bring }.
    { $pass_note }
    Файл ниже добавит приём в календарь телефона.
booking-moved =
    Готово, запись перенесена.
    { $details }
    Как пройти: { $directions }
    Взять с собой: { $bring }.
    { $pass_note }
booking-pass-note = Пропуск будет готов к этому времени.
booking-no-pass-note = Пропуск не заказан: на входе покажите документ.
booking-ics-description = Запись № { $number }. Взять с собой: { $bring }.

## Напоминания, отмена, перенос

booking-reminder =
    Напоминаю: { $hours ->
        [24] завтра
       *[other] через { $hours } ч.
    } у вас приём.
    { $details }
    Если не сможете прийти, перенесите или отмените запись. Телефон: { $phone }.
booking-button-come = Приду
booking-button-move = Перенести
booking-button-cancel = Отменить
booking-see-you =
    Спасибо! Ждём вас.
    { $details }
booking-cancel-ask =
    Отменить эту запись?
    { $details }
booking-button-cancel-yes = Да, отменить
booking-button-keep = Нет, оставить
booking-cancelled = Запись № { $number } отменена.
booking-too-late =
    Отменить или перенести запись через бота можно не позже чем за { $hours } ч. до приёма.
    Позвоните нам: { $phone }.
booking-not-yours =
    Не нашёл такую запись.
    Ваши записи — в разделе «Мои записи и обращения».
booking-not-active = Запись № { $number } уже не действует.

## Лист ожидания

booking-button-waitlist = Нет удобного дня: лист ожидания
booking-waitlist-choose = На какой день вас записать в лист ожидания? Если место освободится, я напишу.
booking-waitlist-joined = Вы в листе ожидания на { $day }. Если место освободится, я сразу напишу.
booking-waitlist-offer =
    Освободилось место на { $day } ({ $service }).
    Кто первый нажмёт, тот и запишется.
booking-button-take = Выбрать время
booking-waitlist-late = Это место уже заняли. Вы остаётесь в листе ожидания.

## История и удаление данных

booking-history-item =
    { $status ->
        [booked] Запись на приём
        [arrived] Вы пришли на приём
        [served] Приём состоялся
        [no_show] Вы не пришли на приём
       *[cancelled] Запись отменена
    }
    { $details }
booking-rate = Удобно ли было записаться? Оцените: 1 — неудобно, 5 — очень удобно. Оценка анонимная.
booking-rate-visit = Спасибо, что пришли! Оцените приём: 1 — плохо, 5 — отлично. Оценка анонимная.
booking-forget-hint = Хотите, чтобы мы удалили ваши данные? Нажмите кнопку.
booking-button-forget = Удалить мои данные
forget-ask =
    Удалить ваши данные?
    Мы сотрём ФИО, документ, номер машины, телефон и e-mail из всех ваших записей.
    Будущие записи будут отменены.
    Ещё сотрём тексты и файлы ваших обращений к сотрудникам. Открытые обращения закроем, ответа по ним не будет.
    И забудем, когда приглашали вас на опросы.
forget-yes = Да, удалить
forget-no = Нет
forget-done =
    Готово. Ваши данные удалены.{ $cancelled ->
        [0] {""}
       *[other] {" "}Отменено записей: { $cancelled }.
    }{ $closed ->
        [0] {""}
       *[other] {" "}Закрыто обращений: { $closed }.
    }

## Для сотрудников: /today

today-staff-only = Этот раздел только для сотрудников.
today-empty = Сегодня записей нет.
today-card =
    { $time } · № { $number } · { $who }
    { $service } · { $status ->
        [booked] ждём
        [arrived] пришёл
        [served] принят
       *[no_show] не пришёл
    }{ $wait ->
        [-1] {""}
       *[other] {" "}· ожидание { $wait } мин (норма — не больше { $norm })
    }
today-button-arrived = Пришёл
today-button-served = Принят
today-button-docs = Не хватает документов
today-button-docs-cancel = Отмена
today-docs-ask =
    Запись № { $number }: напишите одним сообщением, каких документов не хватает или какие ошибки.
    Человек получит это в своём чате с двумя вариантами: донести документы или подать заявление заново.
    По правилам сообщить нужно до { $due }.
today-docs-empty = Напишите текстом, каких документов не хватает или какие ошибки.
today-docs-sent = Запись № { $number }: уведомление о документах отправлено.
today-docs-cancelled = Запись № { $number }: уведомление о документах отменено.
today-docs-gone = Это уведомление уже отправлено или отменено.
