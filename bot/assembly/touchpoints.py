"""The touchpoint register's wiring: what the bot knows of itself (its messengers, sections,
service scenarios and answers' tags) and the register's source."""

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.config import Settings
from bot.core.engine import Engine
from bot.core.messages import Channel
from bot.tickets.service import TicketService
from knowledge_base.store import KnowledgeStore
from scenarios.walk import ScenarioWalk
from touchpoints.register import SHIPPED as TOUCHPOINTS_SHIPPED
from touchpoints.register import BotFacts, Source


class BotSelf:
    """What the bot knows of itself, for the touchpoint register (its Facts port): the
    messengers it runs in, its sections, its service scenarios, its answers' tags."""

    def __init__(self, settings: Settings, engine: Engine, store: KnowledgeStore) -> None:
        self.settings = settings
        self.engine = engine
        self.store = store

    async def __call__(self, session: AsyncSession) -> BotFacts:
        tokens = {
            Channel.TELEGRAM: self.settings.telegram_bot_token,
            Channel.VK: self.settings.vk_group_token,
        }
        walk = self.engine.features.get(ScenarioWalk.name)
        services = walk.services.values() if isinstance(walk, ScenarioWalk) else ()
        entries = await self.store.all_entries(session)
        return BotFacts(
            tuple(channel.value for channel, token in tokens.items() if token is not None),
            frozenset(self.engine.features),
            tuple((service.id, service.title.ru) for service in services),
            frozenset((e.service, e.touchpoint) for e in entries if e.enabled),
        )


def touchpoint_source(
    settings: Settings, engine: Engine, store: KnowledgeStore, tickets: TicketService
) -> Source:
    content = settings.content_path("touchpoints", TOUCHPOINTS_SHIPPED)
    # Published within 10 of the office's working days: the ones its reply deadlines count in.
    return Source(content, BotSelf(settings, engine, store), tickets.sla.office.calendar)
