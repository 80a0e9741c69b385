## "Survey results": what people said about the services (/stats)

stats-title = Survey results for { $quarter }.
stats-csat = Satisfied (ratings 4 and 5):
stats-nps = Would recommend (NPS, from −100 to 100):
stats-line = { $by ->
    [service] • service "{ $where }": { $value }
   *[other] • where: { $where }: { $value }
}
stats-value = { $value }{ $unit } (answers: { $n })
stats-hidden = hidden, fewer than 5 answers
stats-none = no answers
stats-empty = No answers for this quarter yet.
stats-hidden-note = Where there are fewer than five answers, the number is hidden so that no one can be recognised.
stats-changes = What we changed because of feedback
