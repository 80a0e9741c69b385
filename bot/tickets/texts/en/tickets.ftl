# Requests to staff. Plain words, short sentences.

## The person

ticket-ask =
    Write your question or suggestion in one message. You can attach a photo or a document.
    We hide passport, SNILS and INN numbers, phones and e-mails: staff will not see them. The answer comes here.
    In an official request staff see the phone and e-mail, to answer you.
ticket-kind = What kind of request is it? Choose a button.
ticket-too-long =
    Your question is very long. I kept the first { $limit } characters.
    Send the rest as a separate message once the request is accepted.
ticket-kind-request = Official request
ticket-kind-question = Question
ticket-kind-complaint = Complaint
ticket-kind-suggestion = Suggestion
ticket-kind-comment = Comment on a post
ticket-kind-mention = Mention
ticket-when-today = by { $time }
ticket-when-date = by { $time } on { $date }
ticket-when-weekday = by { $time } on { $weekday ->
    [0] Monday
    [1] Tuesday
    [2] Wednesday
    [3] Thursday
    [4] Friday
    [5] Saturday
   *[6] Sunday
}
ticket-duration = { $hours } h { $minutes } min
ticket-created =
    Request No. { $number } received. We will answer { $when }.
    To add something, just write.
ticket-created-off-hours =
    Request No. { $number } received. We are closed now; we will answer { $when }.
    To add something, just write.
ticket-added = Added to request No. { $number }. Staff will see it.
ticket-answer =
    Answer to request No. { $number }:
    
    { $text }
ticket-interim =
    Interim answer to request No. { $number }:
    
    { $text }
    
    The full answer will come { $when }.
ticket-file-note = Staff attached the file "{ $name }", but it could not be sent here. Ask them to send it as text.
ticket-button-reply = Reply
ticket-button-done = Solved
ticket-reply-prompt = Write your reply in one message.
ticket-closed = Request No. { $number } is closed.
ticket-autoclosed = Request No. { $number } is closed: there was no reply from you for { $hours } h. If the question remains, write to us again.
ticket-rate-ask = Please rate the answer: 1 is bad, 5 is excellent. The rating is anonymous.
ticket-rate-answer = Please rate the answer to request No. { $number }: 1 is bad, 5 is excellent. The rating is anonymous.
ticket-rate-comment =
    We answered your comment (request No. { $number }).
    Please rate the answer: 1 is bad, 5 is excellent. The rating is anonymous.
ticket-answer-rated = Thank you for the rating! We saved it without your name.
ticket-rated =
    Thank you for the rating!
    Anything to add? Write it in one message. The comment is anonymous too.
ticket-button-no-comment = No comment
ticket-comment-thanks = Thank you! The comment is saved without your name.
ticket-history-title = Your requests. Press one to read the messages:
ticket-history-line =
    No. { $number } of { $date } · { $kind } · { $status ->
        [open] waiting for an answer
        [answered] answered
       *[closed] closed
    }
ticket-history-person = You, { $at }:
    { $text }
ticket-history-staff = Staff, { $at }:
    { $text }
ticket-history-erased = (text deleted)

## Staff (the staff chat)

staff-card =
    Request No. { $number } · { $kind }
    Answer { $due } ({ $left } left)
    Channel: { $channel }
    { $history }
    
    { $text }
staff-card-tickets = Earlier requests: { $count }. The latest are below; open one with its number button.
staff-card-tickets-none = No earlier requests.
staff-card-ticket =
    • No. { $number } of { $date } · { $kind } · { $status ->
        [open] waiting for an answer
        [answered] answered
       *[closed] closed
    }
staff-card-visits = Appointments:
staff-card-visits-none = No appointments.
staff-card-visit =
    • { $when } · { $service } · { $status ->
        [booked] booked
        [arrived] arrived
        [served] served
        [no_show] did not come
       *[cancelled] cancelled
    }
staff-button-earlier = No. { $number }
staff-earlier-person = 👤 { $at }:
    { $text }
staff-earlier-staff = 💬 { $name }, { $at }:
    { $text }
staff-earlier-erased = (text erased)
staff-source-chat = { $channel ->
    [telegram] Telegram, private messages
    [vk] VK, community messages
   *[other] terminal
    }
staff-source-vk_wall = VK, a wall comment (the answer goes there)
staff-source-tg_group = Telegram, a group message (the answer goes there)
staff-overdue = overdue by { $late }
staff-button-take = Take
staff-button-transfer = Transfer
staff-button-template = Template
staff-button-close = Close
staff-button-interim = Interim answer
staff-button-send-draft = Send as is
staff-person-says = 👤 { $text }
staff-taken = { $name } took request No. { $number }.
staff-transfer-pick = Transfer request No. { $number } to whom?
staff-transfer-none = Nobody to transfer to: there is no other staff.
staff-transfer-why = Why do you transfer it?
staff-reason-profile = Not my field
staff-reason-expert = A specialist is needed
staff-reason-absent = I will be away
staff-transferred = { $by } transferred the request to { $to }. Reason: { $reason }. Transfers: { $count } of { $limit }.
staff-transfer-refused = Request No. { $number } was transferred twice already. A third transfer is not allowed: it went to a supervisor.
staff-supervisor-transfers = Request No. { $number } was transferred twice. Your decision is needed: take it or assign someone.
staff-assigned-you = Request No. { $number } ({ $kind }) was transferred to you. Answer { $due }.
staff-reminder = Reminder: request No. { $number } waits for an answer. { $left } left.
staff-breach = The answer time for request No. { $number } is over ({ $due }).
staff-templates-none = No similar answers in the knowledge base.
staff-draft =
    Draft: "{ $title }". Send it as is with the button, or copy, edit and send it as a message.
    
    { $text }
staff-wording =
    The answer has not gone to the person yet. The communication rules suggest another look:
    { $findings }
    Fix the answer or send it as it is.
staff-wording-phrase = • "{ $quote }" is a stock phrase. { $hint }
staff-wording-refusal = • A refusal with no other way. Say what the person can do: where to go, what to bring, when to come again.
staff-wording-abbreviations = • Abbreviations not spelled out: { $quote }. Write them in full at least once.
staff-wording-long = • A long sentence: { $words } words ("{ $quote }…"). Split it into short ones.
staff-button-as-is = Send as it is
staff-button-fix = Fix
staff-held-fix = Fine. Write the corrected answer in this topic.
staff-held-gone = This answer was sent or fixed already.
staff-held-not-yours = Only the author of an answer can send or fix it.
staff-sent = Sent.
staff-interim-next = The next message goes as an interim answer. The full answer is due within { $limit }.
staff-button-docs = Documents missing
staff-button-docs-cancel = Cancel
staff-button-docs-earlier = Found { $hours } h ago
staff-docs-gone = The documents notice on ticket №{ $number } has already been sent or cancelled.
staff-docs-ask =
    Request No. { $number }: write here in one message which documents are missing or what the errors are.
    The person gets it with two ways forward: bring the documents or apply again.
    The rules say to tell them { $due }.
staff-docs-sent = Request No. { $number }: the missing-documents notice was sent to the person.
staff-docs-cancelled = Request No. { $number }: the missing-documents notice was withdrawn.
staff-docs-public = Request No. { $number } came from a comment, and the person has never written to the bot in private. Tell them about the documents another way.
staff-closed = Request No. { $number } is closed ({ $by ->
        [person] by the person
        [auto] automatically: no reply
       *[staff] by staff
    }).
staff-closed-forgotten = Request No. { $number } is closed: the person deleted their data. The texts of the request are erased in the bot's database; no answer is needed. Delete the messages of this topic by hand.
staff-closed-already = Request No. { $number } is closed. The message was not sent.
staff-only = Staff only.

## The answer did not reach the person (a note in the ticket's topic)

staff-undelivered-blocked = The answer to request No. { $number } was not delivered: the person blocked the bot or does not accept its messages. The request still waits for an answer: reach the person another way or close the request.
staff-undelivered-gone = The answer to request No. { $number } was not delivered: the chat was not found or the account is deleted. The request still waits for an answer: reach the person another way or close the request.
staff-undelivered-refused = The answer to request No. { $number } was not delivered: the messenger did not accept the message. The request still waits for an answer: write again, shorter or without a file.
staff-undelivered-expired = The answer to request No. { $number } was not delivered: the messenger took no messages for { $hours } h. The request still waits for an answer: write again.
