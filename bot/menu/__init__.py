"""The main menu and the small sections around it: language, history, office card."""

from pathlib import Path

from bot.core import texts

texts.add_catalogs(Path(__file__).parent / "texts")
