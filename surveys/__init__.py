"""Anonymous questionnaires (YAML), the survey engine and reports."""

from pathlib import Path

from bot.core import texts

texts.add_catalogs(Path(__file__).parent / "texts")
