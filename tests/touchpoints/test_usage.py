"""Usage figures from the interaction log: every touchpoint listed, 0 for one nobody used,
"not seen" for one outside the bot; and what people did before writing to staff, as totals
per touchpoint."""

from datetime import timedelta

from bot.app import App
from bot.core import clock
from bot.core.messages import Channel
from bot.tickets.relay import TG_GROUP, VK_WALL
from bot.tickets.sla import COMMENT
from tests.support.client import People
from tests.tickets.conftest import open_ticket
from touchpoints.usage import before_tickets, usage


async def figures(app: App) -> tuple[dict[str, int | None], dict[str, int], int]:
    start, end = clock.now() - timedelta(days=1), clock.now() + timedelta(seconds=1)
    async with app.sessions() as session:
        register = await app.touchpoints.register(session)
        used = await usage(session, register, start, end)
        paths = await before_tickets(session, register, start, end)
    return (
        {item.row.key: item.uses for item in used},
        {passed.row.key: passed.tickets for passed in paths.rows},
        paths.tickets,
    )


async def test_uses_per_touchpoint_with_the_unused_ones_at_zero(app: App, people: People) -> None:
    ivan = people("ivan", channel=Channel.TELEGRAM)
    await ivan.send("Какие часы приёма?")
    await ivan.send("Сколько стоит спецразрешение на тяжеловесный груз?")
    await open_ticket(ivan)
    olga = people("olga", channel=Channel.VK)
    await olga.send("/start")

    uses, passed, tickets = await figures(app)
    assert uses["bot/telegram"] == 2  # two questions answered from the base, in Telegram
    assert uses["bot/vk"] == 0  # listed all the same
    assert uses["messenger_appeals/telegram"] == 1
    assert uses["messenger_appeals/vk"] == 0
    assert uses["public_appeals/vk_wall"] == uses["public_appeals/tg_group"] == 0
    assert uses["permit/gosuslugi"] is None  # the bot cannot see the portal
    assert uses["appointment/office"] == 0  # "принят" marks are counted: none yet
    assert len(uses) == len(set(uses))
    # The ticket came after the base's answers; the ticket itself is not a step before it.
    assert (tickets, passed) == (1, {"bot/telegram": 1})


async def test_what_was_done_a_day_before_a_ticket_is_not_counted(
    app: App, people: People, pinned: clock.PinnedClock
) -> None:
    ivan = people("ivan", channel=Channel.TELEGRAM)
    await ivan.send("Какие часы приёма?")
    pinned.set(clock.now() + timedelta(hours=25))
    await open_ticket(ivan)
    _, passed, tickets = await figures(app)
    assert (tickets, passed) == (1, {})


async def test_a_comment_made_ticket_counts_under_its_public_page(
    app: App, people: People
) -> None:
    olga = people("olga", channel=Channel.VK)
    await olga.send("Какие часы приёма?")  # in the private chat first
    public = app.tickets.public_ticket
    await public("vk", "olga", COMMENT, "Когда откроют пункт?", VK_WALL, "-1_5_7", clock.now())
    await public("vk", "olga", COMMENT, "Спасибо!", VK_WALL, "-1_5_8", clock.now())  # set aside
    await public(
        "telegram", "ivan", COMMENT, "А в субботу работаете?", TG_GROUP, "-100_9", clock.now()
    )
    uses, passed, tickets = await figures(app)
    assert uses["public_appeals/vk_wall"] == 1
    assert uses["public_appeals/tg_group"] == 1
    assert uses["messenger_appeals/vk"] == uses["messenger_appeals/telegram"] == 0
    # A comment's ticket is a ticket: what its author did before it counts as the way there.
    assert (tickets, passed) == (2, {"bot/vk": 1})
