"""Unanswered questions, for moderators: the most frequent first, each filed in one tap under
a topic (it becomes one of the entry's example questions) or marked out of scope (a negative
of the entry the search puts first). The base learns at once: no restart. Moderation routes
these buttons here and checks the moderator first."""

from collections.abc import Callable, Iterable, Sequence

from bot.core.actions import Action, StaleAction, integer, word
from bot.core.feature import Context
from bot.core.messages import Button, Reply
from knowledge_base.entries import Entry
from knowledge_base.store import Gap, KnowledgeStore, gap_key

NAME = "kbmod"  # the feature these screens belong to (Moderation)
LIMIT = 10  # gaps listed at once
CANDIDATES = 3  # topics offered for one gap
LABEL = 40  # characters of a question on its button

GAPS = Action(NAME, "gaps")  # the list
GAP = Action(NAME, "gap", integer)  # the id of the gap's newest row, in every action below
FIND = Action(NAME, "gapfind", integer)  # "another topic": the moderator types a word
OUT = Action(NAME, "gapout", integer)  # out of scope
FILE = Action(NAME, "gapto", integer, word)  # ... and the entry id: file the gap under it
ON_GAP = {a.verb: a for a in (GAP, FIND, OUT, FILE)}
GAP_VERBS = {GAPS.verb, *ON_GAP}

Rows = tuple[tuple[Button, ...], ...]


def candidates(found: Iterable[str], filed: str | None) -> list[str]:
    """Up to CANDIDATES topics for a gap: those the search finds for it, best first, and the
    entry whose answer to it got "no" even when the search ranks that one lower."""
    chosen = list(dict.fromkeys(found))[:CANDIDATES]
    if filed is not None and filed not in chosen:
        chosen = [*chosen[: CANDIDATES - 1], filed]
    return chosen


def with_question(questions: tuple[str, ...], question: str) -> tuple[str, ...]:
    key = gap_key(question)
    return questions if any(gap_key(q) == key for q in questions) else (*questions, question)


def without_question(questions: tuple[str, ...], question: str) -> tuple[str, ...]:
    key = gap_key(question)
    return tuple(q for q in questions if gap_key(q) != key)


def label(question: str) -> str:
    """The question shortened to fit on a button."""
    text = " ".join(question.split())
    return text if len(text) <= LABEL else text[: LABEL - 1].rstrip() + "…"


class GapDesk:
    """The gap screens of Moderation; `home_row` is its "back to the start" row."""

    def __init__(self, store: KnowledgeStore, home_row: Callable[[Context], Rows]) -> None:
        self.store = store
        self.home_row = home_row

    async def on_action(self, ctx: Context, verb: str, args: list[str], by: str) -> list[Reply]:
        """One of GAP_VERBS, from a moderator named `by`."""
        if verb == GAPS.verb:
            GAPS.unpack(args)
            return await self._list(ctx)
        action = ON_GAP[verb]
        gap_id, *rest = action.unpack(args)
        gap = await self.store.gap(ctx.session, gap_id)
        if gap is None:
            raise StaleAction(verb)
        if action is GAP:
            return [await self._screen(ctx, gap)]
        if action is FIND:
            ctx.goto(NAME, "gapfind", {"gap": gap.id})
            return [Reply(ctx.t("kbmod-gap-find"), (self._back(ctx, gap.id),))]
        if action is OUT:
            return await self._out_of_scope(ctx, gap, by)
        (entry_id,) = rest
        return await self._file(ctx, gap, entry_id, by)

    async def _list(self, ctx: Context) -> list[Reply]:
        ctx.goto(NAME, "search")
        gaps = await self.store.gaps(ctx.session, LIMIT)
        if not gaps:
            return [Reply(ctx.t("kbmod-gaps-empty"), self.home_row(ctx))]
        lines = [ctx.t("kbmod-gaps-title")]
        lines += [ctx.t("kbmod-gaps-line", times=g.times, question=g.question) for g in gaps]
        rows = [(Button(label(gap.question), GAP.pack(gap.id)),) for gap in gaps]
        return [Reply("\n".join(lines), (*rows, *self.home_row(ctx)))]

    def pick(self, ctx: Context, gap_id: int, entries: Sequence[Entry]) -> list[Reply]:
        """The entries a moderator's word found, as buttons that file the gap under one."""
        if not entries:
            return [Reply(ctx.t("kbmod-nothing-found"), (self._back(ctx, gap_id),))]
        rows = [(Button(entry.title_ru, FILE.pack(gap_id, entry.id)),) for entry in entries]
        return [Reply(ctx.t("kbmod-gap-pick"), (*rows, self._back(ctx, gap_id)))]

    async def _screen(self, ctx: Context, gap: Gap) -> Reply:
        ctx.goto(NAME, "search")
        snapshot = await self.store.snapshot(ctx.session)
        decision, hits = snapshot.decide(gap.question)
        found = [*decision.entry_ids, *(hit.entry_id for hit in hits)]
        filed = await self.store.filed_with(ctx.session, gap.key)
        offered = candidates(found, filed if filed in snapshot.entries else None)
        rows = [
            (Button(snapshot.entries[entry_id].title_ru, FILE.pack(gap.id, entry_id)),)
            for entry_id in offered
        ]
        rows.append((ctx.button("kbmod-gap-other", FIND.pack(gap.id)),))
        rows.append((ctx.button("kbmod-gap-out", OUT.pack(gap.id)),))
        rows.append((ctx.button("kbmod-gaps-back", GAPS.pack()),))
        text = ctx.t("kbmod-gap", question=gap.question, times=gap.times)
        return Reply(text, (*rows, *self.home_row(ctx)))

    async def _file(self, ctx: Context, gap: Gap, entry_id: str, by: str) -> list[Reply]:
        found = await self.store.get(ctx.session, entry_id)
        if found is None:
            raise StaleAction(FILE.verb)
        entry, _ = found
        version = await self.store.change(
            ctx.session,
            entry.id,
            by,
            "add question from gaps",
            questions=with_question(entry.questions, gap.question),
            negatives=without_question(entry.negatives, gap.question),
        )
        await self.store.close_gap(ctx.session, gap.key)
        ctx.log("kbmod.gap_filed", entry.id)
        done = ctx.t("kbmod-gap-filed", title=entry.title_ru, version=version)
        return await self._done(ctx, done, gap.question)

    async def _out_of_scope(self, ctx: Context, gap: Gap, by: str) -> list[Reply]:
        snapshot = await self.store.snapshot(ctx.session)
        _, hits = snapshot.decide(gap.question)
        found = await self.store.get(ctx.session, hits[0].entry_id) if hits else None
        await self.store.close_gap(ctx.session, gap.key)
        if found is None:  # no entry comes near it: nothing to keep away from it
            ctx.log("kbmod.gap_dismissed")
            return await self._done(ctx, ctx.t("kbmod-gap-dismissed"), gap.question)
        entry, _ = found
        version = await self.store.change(
            ctx.session,
            entry.id,
            by,
            "add negative from gaps",
            negatives=with_question(entry.negatives, gap.question),
            # The moderator's word wins over an example saying otherwise, but an entry keeps one.
            questions=without_question(entry.questions, gap.question) or entry.questions,
        )
        ctx.log("kbmod.gap_out", entry.id)
        done = ctx.t("kbmod-gap-excluded", title=entry.title_ru, version=version)
        return await self._done(ctx, done, gap.question)

    async def _done(self, ctx: Context, done: str, question: str) -> list[Reply]:
        """The confirmation, what the bot now does with the question, then the next gap."""
        snapshot = await self.store.snapshot(ctx.session)
        decision, _ = snapshot.decide(question)
        kind = decision.kind if decision.kind in ("answer", "suggest") else "none"
        title = snapshot.entries[decision.entry_ids[0]].title_ru if kind == "answer" else ""
        now = ctx.t("kbmod-gap-now", kind=kind, title=title)
        following = await self.store.gaps(ctx.session, 1)
        if following:
            return [Reply(f"{done}\n{now}"), await self._screen(ctx, following[0])]
        ctx.goto(NAME, "search")
        return [Reply(f"{done}\n{now}"), Reply(ctx.t("kbmod-gaps-empty"), self.home_row(ctx))]

    def _back(self, ctx: Context, gap_id: int) -> tuple[Button, ...]:
        return (ctx.button("kbmod-gap-back", GAP.pack(gap_id)),)
