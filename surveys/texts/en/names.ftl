## What the published results call services, touchpoints and stages.
## The booking services' titles (booking/schedule.yaml) come before these.

names-service = { $id ->
    [all] all services
    [general] general questions
    [tickets] questions to staff
    [faq] the bot's answers
    [application] applying
    [appointment] booking a visit
    [bot] the bot itself
    [dopog] ADR (DOPOG) certificate
    [feedback] feedback and complaints
    [licence] licence
    [permit] permit
   *[other] { $id }
}
names-touchpoint = { $id ->
    [messenger] chat with the bot
    [public_comment] comments and mentions
    [office] visit to the office
   *[other] { $id }
}
names-stage = { $id ->
    [faq-answer] the bot's answer
    [faq-helpful] whether the bot's answer helped
    [ticket-answered] a staff answer
    [ticket-closed] a closed ticket
    [booking-made] booking a visit
    [visit] the visit to the office
   *[other] { $id }
}
names-stage-scenario = step "{ $step }" of the "{ $route }" guide
