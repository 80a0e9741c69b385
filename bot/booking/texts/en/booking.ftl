# Booking an appointment. Plain words, short sentences.

booking-weekday = { $n ->
    [0] Mon
    [1] Tue
    [2] Wed
    [3] Thu
    [4] Fri
    [5] Sat
   *[6] Sun
}
booking-day = { $day }

## Office, service, day and time

booking-choose-office = Where would you like to come? Choose an office.
booking-choose-service =
    { $office }
    Choose why you are coming.
booking-choose-day =
    { $service }. { $office }.
    Choose a day. Only days with free times are shown.
booking-no-days =
    There are no free times to book right now.
    You can join the waiting list: if a place frees up, I will write to you.
booking-day-gone = That day has just been taken.
booking-choose-time = { $day }. Choose a time.
booking-use-buttons = Please press one of the buttons.
booking-just-taken = This time was just taken. Here are the nearest free times:
booking-hold-expired = Time ran out: while you were filling in the form, this time was taken. Here are the nearest free times:
booking-slot-past = This time can no longer be booked.
booking-already =
    You already have a booking:
    { $details }
    You can move it or cancel it.

## Consent to data processing

booking-consent =
    Consent to processing of personal data (Russian law No. 152-FZ).
    Why: to book your visit{ $pass_regime ->
        [yes] {" "}and order a building pass
       *[no] {""}
    }.
    What data: { $pass_regime ->
        [yes] surname, name, patronymic, your document and its number, car plate (if any), phone and e-mail (if you give them).
       *[no] phone and e-mail (if you give them).
    }
    How long we keep it: { $retention } days after the visit, then we delete it.
    How to withdraw: write "delete my data".
    Do you agree?
booking-consent-yes = I agree
booking-consent-no = I do not agree
booking-consent-needed =
    This building admits visitors with a pass only. We cannot make a pass without your data.
    You can choose another office, call us: { $phone }, or write to a member of staff.

## Pass data and contacts

booking-ask-surname = Write your surname.
booking-ask-name = Write your first name.
booking-ask-patronymic = Write your patronymic. If you have none, press the button.
booking-skip-patronymic = No patronymic
booking-ask-doc = Which document will you bring?
booking-doc-ru = Russian passport
booking-doc-foreign = Foreign passport
booking-doc-other = Other document
booking-ask-docno-ru = Write the passport series and number: 10 digits, e.g. 4510 123456.
booking-ask-docno-foreign = Write the passport number as in the document: letters and digits.
booking-ask-docno-other = Write the name and number of the document.
booking-ask-plate = Coming by car? Write its plate, e.g. A123BC77. If not, press the button.
booking-skip-plate = No car
booking-ask-phone = Write a phone number, e.g. +7 912 345-67-89. You may skip it: I will write to you here.
booking-skip-phone = No phone
booking-ask-email = Write your e-mail if you want the confirmation by mail.
booking-skip-email = No e-mail

booking-bad-name = Use letters only. A hyphen and a space are fine. No digits or symbols.
booking-bad-name-long = Too long. Please use at most 50 letters.
booking-bad-passport = A Russian passport number is 10 digits: 4 of the series and 6 of the number.
booking-bad-foreign = A foreign passport number has 5 to 20 letters and digits.
booking-bad-other-doc = Write the name and number of the document: 3 to 30 letters and digits.
booking-bad-plate = This does not look like a car plate. Example: A123BC77.
booking-bad-phone = This does not look like a phone number. Example: +7 912 345-67-89.
booking-bad-email = This does not look like an e-mail. Example: ivanov@mail.ru.

## Check and confirm

booking-summary-slot =
    Please check your booking.
    { $office }
    Address: { $address }
    Service: { $service }
    When: { $when }
booking-summary-move = Moving booking No. { $number } to a new time.
booking-summary-person = Who comes: { $name }
booking-summary-doc = Document: { $doc } { $number }
booking-summary-plate = Car: { $plate }
booking-summary-no-pass = No pass is ordered: bring your passport, you will be registered at the entrance.
booking-summary-contact = Phone: { $phone }. E-mail: { $email }.
booking-summary-hold = We hold this time for you until { $until }. Is everything correct?
booking-summary-hold-gone =
    This time is no longer held for you: you were away for a while.
    If it is still free, «Confirm» books it. If it is taken, I will offer another.
booking-button-confirm = Confirm
booking-button-other-time = Another time
booking-button-other-day = Another day
booking-button-restart = Fill in again
booking-button-other-office = Another office

booking-number = Booking No. { $number }
booking-details =
    Booking No. { $number }
    { $when }
    { $service }
    { $office }
    { $address }
booking-done =
    Done, you are booked!
    { $details }
    How to get there: { $directions }
    Bring: { $bring }.
    { $pass_note }
    The file below adds the visit to your phone's calendar.
booking-moved =
    Done, your booking is moved.
    { $details }
    How to get there: { $directions }
    Bring: { $bring }.
    { $pass_note }
booking-pass-note = Your pass will be ready by this time.
booking-no-pass-note = No pass is ordered: show your document at the entrance.
booking-ics-description = Booking No. { $number }. Bring: { $bring }.

## Reminders, cancel, move

booking-reminder =
    A reminder: { $hours ->
        [24] tomorrow
       *[other] in { $hours } h
    } you have a visit.
    { $details }
    If you cannot come, please move or cancel the booking. Phone: { $phone }.
booking-button-come = I will come
booking-button-move = Move
booking-button-cancel = Cancel
booking-see-you =
    Thank you! We are expecting you.
    { $details }
booking-cancel-ask =
    Cancel this booking?
    { $details }
booking-button-cancel-yes = Yes, cancel
booking-button-keep = No, keep it
booking-cancelled = Booking No. { $number } is cancelled.
booking-too-late =
    The bot can cancel or move a booking at least { $hours } h before the visit.
    Please call us: { $phone }.
booking-not-yours =
    I could not find this booking.
    Your bookings are under "My requests and bookings".
booking-not-active = Booking No. { $number } is no longer active.

## Waiting list

booking-button-waitlist = No suitable day: waiting list
booking-waitlist-choose = Which day would you like to wait for? If a place frees up, I will write to you.
booking-waitlist-joined = You are on the waiting list for { $day }. If a place frees up, I will write at once.
booking-waitlist-offer =
    A place is free on { $day } ({ $service }).
    The first to press gets it.
booking-button-take = Choose a time
booking-waitlist-late = This place has been taken. You stay on the waiting list.

## History and deleting data

booking-history-item =
    { $status ->
        [booked] Booked visit
        [arrived] You came to the visit
        [served] Visit done
        [no_show] You did not come
       *[cancelled] Booking cancelled
    }
    { $details }
booking-rate = Was booking easy? Rate it: 1 is hard, 5 is very easy. The rating is anonymous.
booking-rate-visit = Thank you for coming! Please rate the visit: 1 is bad, 5 is excellent. The rating is anonymous.
booking-forget-hint = Want us to delete your data? Press the button.
booking-button-forget = Delete my data
forget-ask =
    Delete your data?
    We will erase your name, document, car plate, phone and e-mail from all your bookings.
    Future bookings will be cancelled.
    We will also erase the texts and files of your requests to staff. Open requests will be closed: they will not be answered.
    And we will forget when we invited you to surveys.
forget-yes = Yes, delete
forget-no = No
forget-done =
    Done. Your data is deleted.{ $cancelled ->
        [0] {""}
       *[other] {" "}Bookings cancelled: { $cancelled }.
    }{ $closed ->
        [0] {""}
       *[other] {" "}Requests closed: { $closed }.
    }

## For staff: /today

today-staff-only = This section is for staff only.
today-empty = No bookings today.
today-card =
    { $time } · No. { $number } · { $who }
    { $service } · { $status ->
        [booked] expected
        [arrived] arrived
        [served] called in
       *[no_show] did not come
    }{ $wait ->
        [-1] {""}
       *[other] {" "}· waited { $wait } min (norm: at most { $norm })
    }
today-button-arrived = Arrived
today-button-served = Called in
today-button-docs = Documents missing
today-button-docs-cancel = Cancel
today-docs-ask =
    Booking No. { $number }: write in one message which documents are missing or what the errors are.
    The person gets it in their chat with two ways forward: bring the documents or apply again.
    The rules say to tell them by { $due }.
today-docs-empty = Write as text which documents are missing or what the errors are.
today-docs-sent = Booking No. { $number }: the missing-documents notice was sent.
today-docs-cancelled = Booking No. { $number }: the missing-documents notice was withdrawn.
today-docs-gone = This notice was sent or withdrawn already.
