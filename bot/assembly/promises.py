"""What the knowledge base may promise: the bot's commands, sections and buttons, and the
figures of the office's settings, gathered for knowledge_base.promises (the test of the
shipped base and `priemnaya kb check`); and the other texts that promise citizens something,
the public pages' rules (/rules), as passages for the same check."""

from collections.abc import Sequence
from datetime import timedelta

from fluent.syntax import FluentParser, ast

from bot.app import build_features
from bot.assembly.shared import Shared
from bot.booking.schedule import Schedule
from bot.core.config import Settings
from bot.core.engine import CORE_COMMANDS
from bot.core.feature import Feature
from bot.core.texts import LOCALES, catalog_files
from bot.menu.main import ENTRIES
from bot.tickets.public.rules import PageRules, load_rules
from bot.tickets.sla import KINDS, sla_from_settings
from knowledge_base.promises import Facts, Passage
from knowledge_base.semantic import Encoder
from knowledge_base.store import SHIPPED, KnowledgeStore, model_path


def promise_facts(settings: Settings) -> Facts:
    """The facts of the bot these settings assemble (no database needed)."""
    content = settings.content_path("knowledge_base", SHIPPED)
    store = KnowledgeStore(settings.tz, model_path(content), Encoder())
    shared = Shared.build(settings)
    features = build_features(settings, store, shared)
    return facts_of(settings, features, shared.files.schedule)


def facts_of(settings: Settings, features: Sequence[Feature], schedule: Schedule) -> Facts:
    words = {*CORE_COMMANDS, *(word for feature in features for word in feature.commands)}
    typed = frozenset(word for word in words if not word.startswith("/"))
    sla = sla_from_settings(settings)
    policies = [sla.policy(kind) for kind in KINDS]
    counting = {policy.working_hours for policy in policies}
    rules = schedule.rules
    return Facts(
        commands=frozenset(word for word in words if word.startswith("/")),
        labels={locale: _labels(locale) | typed for locale in LOCALES},
        reply_limits=frozenset(policy.first_reply for policy in policies),
        working_hours=counting.pop() if len(counting) == 1 else None,
        cancel_notice=timedelta(minutes=rules.cancel_notice_minutes),
        horizon_days=rules.horizon_days,
        reminder_hours=frozenset(rules.reminder_hours),
    )


def _labels(locale: str) -> frozenset[str]:
    """The menu's sections and every button label of the catalogs, in lower case."""
    menu = {key for key, _ in ENTRIES}
    found = set()
    for path in catalog_files(locale):
        for entry in FluentParser().parse(path.read_text(encoding="utf-8")).body:
            if not isinstance(entry, ast.Message) or entry.value is None:
                continue
            if entry.id.name not in menu and "button" not in entry.id.name:
                continue
            parts = entry.value.elements
            plain = [part.value for part in parts if isinstance(part, ast.TextElement)]
            if len(plain) == len(parts):  # a label with no $value in it
                found.add("".join(plain).strip().lower())
    return frozenset(found)


def promise_texts(settings: Settings) -> list[Passage]:
    """The texts besides the knowledge base that the settings show citizens: the office's
    rules of its public pages (or the shipped ones)."""
    return rules_passages(load_rules(settings))


def rules_passages(rules: PageRules) -> list[Passage]:
    """Each section of the rules in each language, as one text under its heading."""
    return [
        Passage(
            f"rules.yaml, section {number} ({locale})",
            locale,
            section.heading.get(locale),
            "\n".join(point.get(locale) for point in section.points),
        )
        for number, section in enumerate(rules.sections, start=1)
        for locale in LOCALES
    ]
