"""The survey's buttons. A question's buttons name the survey and the question's place in its
file, and an answer button only the answer's place (a score, an option's number): the
payload says nothing about the person, and the engine clears it once the update is handled."""

from bot.core.actions import Action, integer, word

FEATURE = "survey"

LIST = Action(FEATURE, "list")
OPEN = Action(FEATURE, "open", word)  # a survey id
GO_ON = Action(FEATURE, "on", word)  # after a break: back to the question on screen
ANEW = Action(FEATURE, "anew", word)  # after a break: drop the answers, start again
# survey, question number, then: a score or an option's number
ANSWER = Action(FEATURE, "a", word, integer, integer)
TOGGLE = Action(FEATURE, "t", word, integer, integer)  # tick or untick an option
# survey, question number
DONE = Action(FEATURE, "ok", word, integer)  # the ticks of a multiple-choice question
SKIP = Action(FEATURE, "skip", word, integer)
BACK = Action(FEATURE, "back", word, integer)

ON_QUESTION = {action.verb: action for action in (ANSWER, TOGGLE, DONE, SKIP, BACK)}
