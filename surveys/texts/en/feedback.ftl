# 1–5 ratings and survey invitations. Plain words, short sentences.

rate-thanks = Thank you for your rating! We saved it without your name.

invite-text =
    Help us work better: answer a few questions. It is anonymous and takes a couple of minutes.
invite-take = Take the survey
invite-stop = No more surveys

invites-are-on = Now and then we invite you to a short anonymous survey, at most once in { $days } { $days ->
        [one] day
       *[other] days
    }.
invites-are-off = You asked us not to send survey invitations.
invites-turned-off =
    All right, no more survey invitations.
    If you change your mind, press the button below or send /invites.
invites-turned-on = All right, we will invite you to a survey now and then, at most once in { $days } { $days ->
        [one] day
       *[other] days
    }.
invites-button-off = No more surveys
invites-button-on = Send me surveys
