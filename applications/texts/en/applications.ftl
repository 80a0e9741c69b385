# "My applications": how an application is going, and the decision.

## The person

app-list-title = Your applications:
app-list-empty =
    Here you can follow an application you handed in at the office.
    Press "Add an application". You need its number and check code: both are on your receipt.
app-line = No. { $number } — { $stage }
app-line-service = No. { $number } · { $service } — { $stage }
app-card =
    Application No. { $number }
    Now: { $stage }
    Stages:
app-card-service =
    Application No. { $number } · { $service }
    Now: { $stage }
    Stages:
app-step = • { $date } — { $stage }
app-button-add = Add an application
app-button-show = Application No. { $number }
app-button-list = My applications
app-ask-number = Write the application number from your receipt.
app-bad-number = That does not look like a number. It may have letters, digits, "-", "/" and ".". Please write it again.
app-ask-code = Now write the check code from your receipt.
app-refused =
    The number or the code did not match. Check your receipt and write the number again.
    Tries left today: { $left }.
app-too-many =
    No tries are left for today. Please try again tomorrow.
    If you lost the code, ask the office for a new one.
app-linked = Done: application No. { $number } is on your list. We will write when its stage changes.
app-already = Application No. { $number } is on your list already.
app-notice =
    Application No. { $number }: { $stage }.
    { $notice }
app-notice-note = Note from the office: { $note }
app-rate = Rate the stage "{ $stage }": 1 is bad, 5 is excellent. The rating is anonymous.

## Staff (the staff chat and the command line)

app-staff-only = Staff only.
app-staff-help =
    Applications:
    /app add NUMBER SERVICE [CODE] — a new application (without a code the bot makes one)
    /app NUMBER — the application and its stages
    /app NUMBER next [note] — the next stage
    /app NUMBER STAGE [note] — any stage: { $known }
    /app code NUMBER CODE — a new check code
app-staff-added = Application No. { $number } added at stage "{ $stage }". Check code for the applicant: { $code }. The bot does not keep it: give it with the number.
app-staff-added-code = Application No. { $number } added at stage "{ $stage }". Code saved.
app-staff-code-set = Application No. { $number }: new code saved, the old one no longer works.
app-staff-moved = Application No. { $number }: stage "{ $stage }". { $told ->
    [yes] The applicant has been told.
   *[no] The applicant does not follow it in the bot yet.
    }
app-staff-card =
    Application No. { $number } · { $service }
    Now: { $stage }
    The applicant follows it in the bot: { $linked ->
        [yes] yes
       *[no] no
    }. Wrong codes: { $failed }.
app-staff-step = { $at } — { $stage } ({ $by })
app-error-number = "{ $number }" is not an application number: letters, digits, "-", "/" and "." only.
app-error-exists = Application No. { $number } exists already.
app-error-unknown = There is no application No. { $number }.
app-error-service = "{ $service }" is not a service id (Latin letters, e.g. permit).
app-error-code = A check code is 4 to 32 Latin letters or digits.
app-error-stage = There is no stage "{ $stage }". The stages: { $known }.
app-error-no-next = Only a decision can follow for application No. { $number }: name the stage.
app-error-same = Application No. { $number } is at stage "{ $stage }" already.
app-error-note = The stage "{ $stage }" needs a note: what is missing, or why refused and what can be done.
app-error-note-long = The note is longer than { $limit } characters ({ $length }).
app-error-add = Like this: /app add NUMBER SERVICE [CODE] or /app code NUMBER CODE.
app-error-import-new = The new application No. { $number } needs a service and a code.
app-staff-wording =
    The communication rules suggest another look at the note:
    { $findings }
    The stage is unchanged. Fix it and send the command again, or put "!" before the note to send it as it is.
