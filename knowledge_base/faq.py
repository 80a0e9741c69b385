""" "Задать вопрос": answers typed questions from the knowledge base, or offers a person."""

from bot.core.actions import Action, StaleAction, integer
from bot.core.feature import Context, Feature, go
from bot.core.messages import Button, Reply
from bot.core.privacy import scrub
from bot.core.ratings import (
    MAX_SCORE,
    MIN_SCORE,
    OfferRating,
    RatingTags,
    RecordRating,
    Stage,
    Touchpoint,
)
from knowledge_base.entries import Entry
from knowledge_base.store import KnowledgeStore, gap_key

# An answer's symbolic exits (see entries.BUTTONS): catalog key and the feature they open.
EXITS = {
    "booking": ("menu-booking", "booking"),
    "human": ("button-human", "ticket"),
    "scenarios": ("menu-services", "scenario"),
    "contacts": ("menu-info", "info"),
}
SHOW = Action("faq", "show", integer)  # one of the suggested answers, by its place
OTHER = Action("faq", "other")  # none of the suggestions fits
YES = Action("faq", "yes")  # the answer helped
NO = Action("faq", "no")
# "Помог ли ответ?" is kept as an anonymous rating at the scale's ends.
HELPFUL = {True: MAX_SCORE, False: MIN_SCORE}


class FAQ(Feature):
    name = "faq"

    def routes(self) -> set[str]:
        return {target for _, target in EXITS.values()} | {"ticket"}

    def __init__(self, store: KnowledgeStore, rate: RecordRating, offer: OfferRating) -> None:
        self.store = store
        self.rate = rate
        self.offer = offer

    async def enter(self, ctx: Context) -> list[Reply]:
        return [Reply(ctx.t("faq-ask"), ((ctx.menu_button(),),))]

    async def on_text(self, ctx: Context, text: str) -> list[Reply]:
        return await self.answer(ctx, text)

    async def answer(self, ctx: Context, question: str) -> list[Reply]:
        """Search and reply; also used for free text typed in the main menu."""
        snapshot = await self.store.snapshot(ctx.session)
        decision, _ = snapshot.decide(question)
        if decision.chat is not None:
            ctx.log("faq.chat")
            return [Reply(ctx.t(decision.chat), ((ctx.menu_button(),),))]
        if decision.kind == "answer":
            return self._show(ctx, snapshot.entries[decision.entry_ids[0]], question)
        if decision.kind == "suggest":
            ctx.goto(
                self.name, "suggest", {"options": list(decision.entry_ids), "q": scrub(question)}
            )
            ctx.log("faq.suggest")
            options = [
                Button(self._title(ctx, snapshot.entries[entry_id]), SHOW.pack(i))
                for i, entry_id in enumerate(decision.entry_ids)
            ]
            rows = [(option,) for option in options]
            rows.append((ctx.button("faq-other", OTHER.pack()),))
            return [Reply(ctx.t("faq-suggest"), tuple(rows))]
        if gap_key(question) not in snapshot.negatives:  # already judged out of scope
            await self.store.record_gap(ctx.session, question, "none")
        ctx.log("faq.none")
        ctx.goto(self.name, "ask")
        return [Reply(ctx.t("faq-not-found"), self._human_buttons(ctx))]

    async def on_action(self, ctx: Context, verb: str, args: list[str]) -> list[Reply]:
        data = ctx.conversation.data if ctx.conversation.feature == self.name else {}
        if verb == SHOW.verb:
            options = data.get("options", [])
            (index,) = SHOW.unpack(args)
            if index >= len(options):
                raise StaleAction(verb)
            snapshot = await self.store.snapshot(ctx.session)
            entry = snapshot.entries.get(options[index])
            if entry is None or not entry.enabled:
                raise StaleAction(verb)
            return self._show(ctx, entry, data.get("q", ""))
        if verb == OTHER.verb and "options" in data:
            OTHER.unpack(args)
            await self.store.record_gap(ctx.session, data.get("q", ""), "suggest")
            return self._offer_human(ctx)
        if verb in (YES.verb, NO.verb) and data.get("entry"):
            YES.unpack(args)
            return await self._judged(ctx, data, helped=verb == YES.verb)
        raise StaleAction(verb)

    async def _judged(self, ctx: Context, data: dict[str, str], *, helped: bool) -> list[Reply]:
        """ "Да" or "Нет" under an answer: kept as an anonymous rating (never next to the
        person in the interaction log), then the 1–5 for the answer is asked."""
        entry_id = data["entry"]
        # An answer shown before the state kept its service counts for the base as a whole.
        service, channel = data.get("service", self.name), ctx.person.channel
        day = ctx.now.astimezone(ctx.settings.tz).date()
        helpful = RatingTags(service, Touchpoint.MESSENGER, channel, Stage.FAQ_HELPFUL)
        await self.rate(ctx.session, helpful.rating(HELPFUL[helped], day))
        rated = RatingTags(service, Touchpoint.MESSENGER, channel, Stage.FAQ_ANSWER)
        scores = await self.offer(ctx.session, rated, day)
        if helped:
            ctx.goto(self.name, "ask")
            text = f"{ctx.t('faq-thanks')}\n{ctx.t('faq-rate')}"
            return [Reply(text, (scores, (ctx.menu_button(),)))]
        await self.store.record_gap(ctx.session, data.get("q", ""), "unhelpful", entry_id)
        return [Reply(ctx.t("faq-rate"), (scores,)), *self._offer_human(ctx)]

    def _show(self, ctx: Context, entry: Entry, question: str) -> list[Reply]:
        # The question stays in the state only until the yes/no, to file it as a gap on "no".
        data = {"entry": entry.id, "q": scrub(question), "service": entry.service}
        ctx.goto(self.name, "answered", data)
        ctx.log("faq.answer", entry.id)
        answer = entry.answer_en if ctx.locale == "en" else entry.answer_ru
        rows = [(ctx.button(EXITS[name][0], go(EXITS[name][1])),) for name in entry.buttons]
        rows.append((ctx.button("button-yes", YES.pack()), ctx.button("button-no", NO.pack())))
        rows.append((ctx.menu_button(),))  # a person done reading need not rate to go on
        return [Reply(f"{answer}\n\n{ctx.t('faq-helpful')}", tuple(rows))]

    def _offer_human(self, ctx: Context) -> list[Reply]:
        ctx.goto(self.name, "ask")
        return [Reply(ctx.t("faq-offer-human"), self._human_buttons(ctx))]

    def _human_buttons(self, ctx: Context) -> tuple[tuple[Button, ...], ...]:
        return (
            (ctx.button("button-human", go("ticket")),),
            (ctx.button("button-ask-again", go(self.name)),),
            (ctx.menu_button(),),
        )

    @staticmethod
    def _title(ctx: Context, entry: Entry) -> str:
        return entry.title_en if ctx.locale == "en" else entry.title_ru
