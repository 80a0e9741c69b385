## "You said, we did": what changed because of feedback

changes-title = You said, we did. What we changed because of your feedback:
changes-line = • { $quarter }: { $text }
changes-empty = Nothing yet. The first changes will appear here.
changes-subscribe = Tell me about new changes
changes-unsubscribe = Stop telling me
changes-subscribed = All right, we will tell you about new changes.
changes-unsubscribed = All right, we will not tell you any more.
changes-notice =
    You said, we did ({ $quarter }):
    { $text }
changes-add = Add a change
changes-send-text = Write in one message what was changed because of feedback.
changes-too-long = Too long: { $length } characters. Up to { $limit } please.
changes-preview =
    Everyone will see:
    { $text }
changes-publish = Publish
changes-published = Published. Subscribers told: { $told }.
changes-remove = Remove: { $text }
