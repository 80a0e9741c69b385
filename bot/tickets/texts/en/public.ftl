# Public comments: the receipt under a comment, /comments for moderators.

ticket-public-receipt = Thank you, we have seen your comment. We will answer here { $when }.
ticket-public-receipt-off-hours = Thank you, we have seen your comment. The office is closed now: we will answer here { $when }.

## To staff, in the chat

staff-button-no-answer = Needs no answer
staff-no-answer = Request No. { $number } is closed: the comment needs no answer ({ $name }). It is left out of the deadline report.
staff-no-answer-done = Request No. { $number } is closed as needing no answer.
staff-no-answer-private = Request No. { $number } came in private messages: it needs an answer.
staff-moderators-only = This button is for moderators and supervisors.

## /comments

comments-moderators-only = This section is for moderators.
comments-none = No comments were set aside. All that wait for an answer are requests already.
comments-title = Comments left unanswered this week. If one needs an answer after all, press the button with its number.
comments-line = No. { $number } · { $source } · { $reason } · { $when }
    { $text }
comments-source-vk_wall = VK
comments-source-tg_group = Telegram
comments-reason-empty = no text
comments-reason-no_words = emoji only
comments-reason-spam = looks like spam
comments-reason-thanks = thanks
comments-make-ticket = Answer No. { $number }
comments-opened = Comment No. { $number } is now request No. { $ticket }. A note under it says we will answer { $when }.
comments-already = Comment No. { $number } is request No. { $ticket } already.

## The list of set-aside comments in the staff chat, once a working day

comments-list-title = Comments set aside as needing no answer from { $since } to { $until }: { $count }. If one needs an answer after all, a moderator opens it in private messages with the bot: /comments.
comments-list-more = …and { $count } more in /comments.
