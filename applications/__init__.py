"""Application status: the office's record of an application (number, service, stage), kept
by staff or imported from the office's system, followed by the person in "Мои заявления" and
told to them at each stage and at the decision."""

from pathlib import Path

from bot.core import texts

texts.add_catalogs(Path(__file__).parent / "texts")
