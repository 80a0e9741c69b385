"""The touchpoint register ("перечень точек взаимодействия"): the office's YAML and the bot's
own sections merged into the form's six columns, usage from the interaction log, the change
log with its publication deadline and its daily reminder to staff, and the register's files
and published page."""

from pathlib import Path

from bot.core import texts

texts.add_catalogs(Path(__file__).parent / "texts")
