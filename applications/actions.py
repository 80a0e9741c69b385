"""The buttons of "Мои заявления": an application by its row id, never its number."""

from applications.views import FEATURE
from bot.core.actions import Action, integer

LINK = Action(FEATURE, "link")  # add one: asks the number, then the code
SHOW = Action(FEATURE, "show", integer)  # the application's row id
