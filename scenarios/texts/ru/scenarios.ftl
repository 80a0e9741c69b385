# Тексты раздела «Как получить услугу». Содержание услуг — в scenarios/*.yaml.
# Кнопки «Назад», «Далее» и «Главное меню» общие: они в main.ftl.

scenario-choose-service = Какая услуга вам нужна? Нажмите кнопку.
scenario-pick-button = Пожалуйста, нажмите одну из кнопок.
scenario-step-counter = Шаг { $n } из { $total }
scenario-documents = Документы:
scenario-fee = Пошлина: { $fee }
scenario-deadline = Срок: { $deadline }
scenario-where = Куда и как:
scenario-links = Ссылки:

## Кнопки шага

scenario-whole-route = Весь маршрут одним сообщением
scenario-exit-booking = Записаться на приём
scenario-exit-question = Задать вопрос
scenario-exit-human = Связаться с сотрудником
scenario-rate = Оценить этот шаг
scenario-done = Готово

## Маршрут целиком

scenario-summary =
    Ваш маршрут: { $service }, { $route }.
    Сохраните это сообщение и отмечайте, что уже сделали.

## Продолжить с места, где остановились

scenario-resume-offer =
    В прошлый раз вы остановились здесь:
    { $service }, { $route }.
    Шаг { $n } из { $total }: { $step }.
scenario-resume = Продолжить с шага { $n }
scenario-start-over = Начать заново

## Оценка шага

scenario-rate-ask =
    Как вам этот шаг: понятно ли, что делать?
    1 — совсем непонятно, 5 — всё понятно.
    Оценка анонимная: мы не знаем, кто её поставил.
scenario-rate-thanks = Спасибо за оценку!
scenario-rated-already = Вы уже оценили этот шаг. Спасибо!

## Конец маршрута

scenario-finished =
    Вы прошли весь маршрут. Удачи!
    Если остались вопросы, задайте их или свяжитесь с сотрудником.
scenario-other-service = Другая услуга
