# Texts of the "How to get a service" section. Service content is in scenarios/*.yaml.
# The Back, Next and Main menu buttons are shared: they are in main.ftl.

scenario-choose-service = Which service do you need? Press a button.
scenario-pick-button = Please press one of the buttons.
scenario-step-counter = Step { $n } of { $total }
scenario-documents = Documents:
scenario-fee = Fee: { $fee }
scenario-deadline = Time: { $deadline }
scenario-where = Where and how:
scenario-links = Links:

## Step buttons

scenario-whole-route = Whole route in one message
scenario-exit-booking = Book a visit
scenario-exit-question = Ask a question
scenario-exit-human = Talk to a person
scenario-rate = Rate this step
scenario-done = Done

## The whole route

scenario-summary =
    Your route: { $service }, { $route }.
    Keep this message and tick off what you have done.

## Resuming where you stopped

scenario-resume-offer =
    Last time you stopped here:
    { $service }, { $route }.
    Step { $n } of { $total }: { $step }.
scenario-resume = Continue from step { $n }
scenario-start-over = Start over

## Rating a step

scenario-rate-ask =
    How was this step: was it clear what to do?
    1 — not clear at all, 5 — all clear.
    The rating is anonymous: we do not know who gave it.
scenario-rate-thanks = Thank you for your rating!
scenario-rated-already = You have already rated this step. Thank you!

## End of the route

scenario-finished =
    You have gone through the whole route. Good luck!
    If you still have questions, ask them or talk to a person.
scenario-other-service = Another service
