## Questions and answers (knowledge base)

faq-ask =
    Type your question in your own words.
    For example: "How do I book a visit?" or "How much is the fee?"
faq-helpful = Did this answer help?
faq-suggest = Perhaps you meant:
faq-other = No, my question is different
faq-not-found =
    I did not find an answer to this question.
    Write to a member of staff and they will answer. Or ask in other words.
faq-thanks = Thank you! Glad I could help.
faq-rate = Please rate the answer: 1 is bad, 5 is excellent. The rating is anonymous.
faq-offer-human =
    Sorry the answer did not help.
    Write to a member of staff: they will look into it and answer.
faq-chat-thanks = You are welcome! Write if you have more questions.
faq-chat-hello = Hello! Type your question or choose a section in the menu.
faq-chat-bye = Goodbye! We are glad to help again.
faq-chat-ok = All right. Write if you have questions.
button-human = Write to staff
button-ask-again = Ask another question

## Knowledge-base moderation (moderators only)

kbmod-home =
    Knowledge base: { $total } entries, { $disabled } of them switched off.
    Type a word to search, or choose an action.
kbmod-all = All entries
kbmod-gaps = Unanswered questions
kbmod-found = Entries found: { $count }. Choose one:
kbmod-nothing-found = Nothing found. Try another word.
kbmod-page = Entries { $from }–{ $to } of { $total }:
kbmod-more = More
kbmod-entry =
    { $title } ({ $id })
    Version { $version }, changed { $updated } by { $by }.
    { $enabled ->
        [yes] Shown to people.
       *[no] Switched off: people do not see it.
    }
    Example questions: { $questions }.
    
    Answer in Russian:
    { $answer_ru }
kbmod-edit-ru = Edit answer (RU)
kbmod-edit-en = Edit answer (EN)
kbmod-add-question = Add an example question
kbmod-disable = Switch off
kbmod-enable = Switch on
kbmod-history = Change history
kbmod-undo = Roll back one version
kbmod-back = Back to the entry
kbmod-send-answer =
    Send the new answer text ({ $lang }) in one message.
    Keep it plain and short. To cancel: /cancel.
kbmod-too-long = The text is too long: { $length } characters. At most { $limit }.
kbmod-preview = This is what people will see:
kbmod-publish = Publish
kbmod-cancel = Do not publish
kbmod-published = Published as version { $version }. The bot answers with it already.
kbmod-send-question = Send an example question the way a person would write it. To cancel: /cancel.
kbmod-question-added = Example added (version { $version }).
kbmod-question-elsewhere = Note: this question now matches the entry "{ $other }" better. Add words that set your topic apart.
kbmod-toggled =
    { $enabled ->
        [yes] Entry switched on (version { $version }).
       *[no] Entry switched off (version { $version }). People will not see it.
    }
kbmod-history-title = History of "{ $title }":
kbmod-history-line = v{ $version } — { $when }, { $by }: { $change }
kbmod-rolled-back = Rolled back. The content of version { $restored } is live again (new version { $version }).
kbmod-no-undo = Nothing to roll back: this is the first version.
kbmod-gaps-title = Questions the bot could not answer, or whose answer did not help (most frequent first):
kbmod-gaps-line = { $times } × { $question }
kbmod-gaps-empty = No such questions yet.
kbmod-gap =
    Question: "{ $question }"
    Times asked: { $times }.
    
    Which topic is it about? Press a topic: the question becomes one of its examples, and the bot will answer it.
kbmod-gap-other = Another topic
kbmod-gap-out = Not our subject
kbmod-gaps-back = Back to the questions
kbmod-gap-back = Back to the question
kbmod-gap-find = Type a word from the topic's title.
kbmod-gap-pick = Choose the topic for this question:
kbmod-gap-filed = The question is added to the topic "{ $title }" (version { $version }).
kbmod-gap-excluded = Noted: not our subject. The entry "{ $title }" will not answer it (version { $version }).
kbmod-gap-dismissed = Noted: not our subject. It is off the list.
kbmod-gap-now =
    { $kind ->
        [answer] Now the bot answers: "{ $title }".
        [suggest] The bot will offer a choice of topics.
       *[none] The bot passes it to a member of staff.
    }
kbmod-start = Moderation start
