"""Declarative service scenarios (YAML) and the engine that walks a citizen through them."""

from pathlib import Path

from bot.core import texts

texts.add_catalogs(Path(__file__).parent / "texts")
