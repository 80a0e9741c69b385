# General bot texts. Plain words, short sentences.

## Sections (labels of buttons that open a section from anywhere)

menu-services = How to get a service
menu-faq = Ask a question
menu-booking = Book a visit
menu-survey = Rate our service
menu-human = Talk to a person
menu-history = My visits and requests
menu-applications = My applications
menu-info = Opening hours and contacts
menu-language = Language / Язык

## Buttons

button-menu = Main menu
button-back = Back
button-next = Next
button-yes = Yes
button-no = No

## Answers to anything off the path

not-understood =
    Sorry, I did not understand that.
    Press a button or type "menu".
unsupported-input =
    { $kind ->
        [sticker] Thank you for the sticker!
        [photo] I cannot look at photos yet.
        [voice] I cannot listen to voice messages yet.
        [video] I cannot watch videos yet.
        [file] I cannot read files yet.
       *[other] I cannot read this kind of message yet.
    } Please type your question in words or press a button.
stale-button =
    This button no longer works.
    Open the main menu and choose again.
error-generic =
    Sorry, something went wrong.
    Your message is not lost. Please try again a little later or open the main menu.
busy-wait = One moment, I am loading… The answer is coming, no need to write again.
busy-later =
    Sorry, I am still loading. Your message is saved.
    The answer will come by itself as soon as I am working again. No need to repeat it.
error-not-received =
    Sorry, I could not take your message just now.
    Please send it again in a minute.
cancelled = OK, cancelled. You are in the main menu.
help =
    I answer questions about our services, help you book a visit and reach a member of staff.
    
    How to talk to me:
    • press the buttons under my messages;
    • or type your question in your own words.
    
    Commands:
    /start or "menu" — main menu
    /cancel or "cancel" — stop what you are doing now
    /history — your requests, visits and applications
    /invites — whether to send you survey invitations
    /help — this help

# Under a staff member's words to a person (STAFF_SIGNATURE).
staff-signature = — { $name }
staff-signature-position = — { $name }, { $position }
