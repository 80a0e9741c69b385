"""Escalation to staff: tickets with SLA timers, a staff relay, transfers and ratings."""

from pathlib import Path

from bot.core import texts

texts.add_catalogs(Path(__file__).parent / "texts")
