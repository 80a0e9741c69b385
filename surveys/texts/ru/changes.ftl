## «Вы сказали — мы сделали»: что изменили по отзывам

changes-title = Вы сказали — мы сделали. Что мы изменили по вашим отзывам:
changes-line = • { $quarter }: { $text }
changes-empty = Пока ничего. Мы добавим сюда первые изменения.
changes-subscribe = Сообщать мне о новых изменениях
changes-unsubscribe = Больше не сообщать
changes-subscribed = Хорошо, мы сообщим о новых изменениях.
changes-unsubscribed = Хорошо, больше не будем сообщать.
changes-notice =
    Вы сказали — мы сделали ({ $quarter }):
    { $text }
changes-add = Добавить изменение
changes-send-text = Напишите одним сообщением, что изменили по отзывам.
changes-too-long = Слишком длинно: { $length } знаков. Можно до { $limit }. Сократите, пожалуйста.
changes-preview =
    Так увидят все:
    { $text }
changes-publish = Опубликовать
changes-published = Опубликовано. Сообщили подписчикам: { $told }.
changes-remove = Убрать: { $text }
