"""Knowledge base: answer templates for typical questions (YAML), their loader and search."""

from pathlib import Path

from bot.core import texts

texts.add_catalogs(Path(__file__).parent / "texts")
