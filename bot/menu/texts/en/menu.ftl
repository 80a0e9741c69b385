# Texts of the main menu and the small sections around it.

## Main menu

menu-greeting =
    Hello! I am the reception office chatbot.
    Choose what you need: press a button below.
    You can also just type your question.
menu-again = What else can I help with? Press a button or type a question.

## Language

language-choose = Выберите язык / Choose your language:
language-set = Done. I will write in English.

## History

history-empty =
    Your requests to staff, your booked visits and your applications will be here.
    There are none yet.

## Opening hours and contacts

info-title = Opening hours and contacts
