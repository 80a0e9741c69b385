## «Результаты опросов»: что люди сказали об услугах (/stats)

stats-title = Результаты опросов за { $quarter }.
stats-csat = Довольны (оценки 4 и 5):
stats-nps = Готовы рекомендовать (NPS, от −100 до 100):
stats-line = { $by ->
    [service] • услуга «{ $where }»: { $value }
   *[other] • где: { $where }: { $value }
}
stats-value = { $value }{ $unit } (ответов: { $n })
stats-hidden = скрыто, ответов меньше 5
stats-none = нет ответов
stats-empty = За этот квартал ответов пока нет.
stats-hidden-note = Где ответов меньше пяти, число скрыто, чтобы никого нельзя было узнать.
stats-changes = Что мы изменили по отзывам
