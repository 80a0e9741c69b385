# Texts of the "Rate our service" section. Survey questions are in surveys/demo/*.yaml.
# The Back and Main menu buttons are shared: they are in main.ftl.

survey-list =
    Choose a survey. Answers are anonymous: we do not know who answered what.
survey-none = There are no surveys open for you right now. Thank you for looking in!
survey-all-done = You have answered every survey open for you. Thank you!
survey-intro =
    { $title }
    You can skip any question. Answers are anonymous: we keep them without your name and with no link to this chat.

## A question

survey-counter = Question { $n } of { $total }
survey-hint =
    { $kind ->
        [rating] Choose a score with a button.
        [nps] Choose a number with a button.
        [single] Choose one answer.
        [multiple] Tick every answer that fits, then press "Done".
       *[text] Write your answer in one message, up to { $limit } characters.
    }
survey-skip = Skip
survey-done = Done
survey-use-buttons = Please answer with a button under the question.
survey-too-long =
    Your answer is longer than { $limit } characters: it has { $length }.
    Please shorten it and send it again. Your other answers are kept.

## A break

survey-resume =
    You did not finish the survey "{ $title }": you stopped at question { $n } of { $total }.
    Shall we go on?
survey-go-on = Go on
survey-anew = Start again
survey-changed = This survey changed while you were away. Please start it again.

## The end

survey-thanks =
    Thank you! Your answers are kept without your name and with no link to this chat.
    Every quarter we read all the answers and tell what we changed.
survey-taken =
    You have already answered this survey, thank you!
    It cannot be taken twice: that way every voice counts once.
survey-results = Survey results
survey-changes = What changed because of feedback
survey-other = Other surveys
