"""Missing documents within 24 hours: the notices staff send from a ticket or a visit, the
reminder before the 24 hours pass, and the report of how many went out in time."""

from pathlib import Path

from bot.core import texts

texts.add_catalogs(Path(__file__).parent / "texts")
