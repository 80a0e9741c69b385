# The notice of missing documents or errors (the rule: within 24 hours).

## The person

missing-notice =
    { $origin ->
        [ticket] Request No. { $number }
       *[visit] Booking No. { $number }
    }: we checked your documents. What is missing or needs fixing:

    { $text }

    What you can do:
    • bring or send the missing documents, fix the errors;
    • or apply again.
missing-button-send = Send documents
missing-button-book = Book a visit

## Staff

missing-what = { $origin ->
        [ticket] Request No. { $number }
       *[visit] Booking No. { $number }
    }
missing-duration = { $hours } h { $minutes } min
missing-remind-unwritten =
    { missing-what }: the missing-documents notice has not been sent yet.
    Due by { $due } ({ $left } left). Write to the person what is missing.
missing-remind-undelivered =
    { missing-what }: the missing-documents notice is written but has not reached the person yet.
    Due by { $due } ({ $left } left). Contact them another way.
missing-undelivered = { missing-what }: the missing-documents notice was not delivered. Contact the person another way.
