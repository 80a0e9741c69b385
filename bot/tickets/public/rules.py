""" "/rules": the office's moderation rules for its public pages (rules.yaml, or the office's
CONTENT_DIR/tickets/rules.yaml): what is removed, how answers are given."""

from pathlib import Path

from bot.core.config import Settings
from bot.core.content import Strict, Text, load_model
from bot.core.feature import MENU, Context, Feature
from bot.core.messages import Reply, buttons

SHIPPED = Path(__file__).parent / "rules.yaml"


class Section(Strict):
    heading: Text
    points: tuple[Text, ...]


class PageRules(Strict):
    title: Text
    sections: tuple[Section, ...]

    def render(self, locale: str) -> str:
        parts = [self.title.get(locale)]
        for section in self.sections:
            points = "\n".join(f"• {point.get(locale)}" for point in section.points)
            parts.append(f"{section.heading.get(locale)}\n{points}")
        return "\n\n".join(parts)


def load_rules(settings: Settings) -> PageRules:
    """The office's rules when it wrote its own, else the shipped ones; ContentError names
    the file and line at fault."""
    path = settings.content_dir / "tickets" / "rules.yaml" if settings.content_dir else None
    return load_model(path if path is not None and path.exists() else SHIPPED, PageRules)


class Rules(Feature):
    name = "rules"
    commands = ("/rules", "правила")

    def __init__(self, rules: PageRules) -> None:
        self.rules = rules

    async def enter(self, ctx: Context) -> list[Reply]:
        ctx.goto(MENU)
        return [Reply(self.rules.render(ctx.locale), buttons(ctx.menu_button()))]
