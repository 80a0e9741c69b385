"""Knowledge-base moderation inside the messenger, for people with the moderator role:
search and list entries, edit an answer with a preview, add example questions, switch an
entry off and on, read its history and roll back one version, and file unanswered questions
under a topic (gaps.py)."""

from bot.core.actions import Action, StaleAction, integer, word
from bot.core.feature import MENU, Context, Feature
from bot.core.messages import Button, Reply
from bot.core.staff import Role, staff_name
from knowledge_base.entries import Entry
from knowledge_base.gaps import GAP_VERBS, GAPS, GapDesk
from knowledge_base.store import KnowledgeStore

PAGE = 8
ANSWER_LIMIT = 3500  # leaves room for "Помог ли ответ?" within one 4096-character message
QUESTION_LIMIT = 300
LANGUAGES = ("ru", "en")


def _language(value: str) -> str:
    if value not in LANGUAGES:
        raise StaleAction(value)
    return value


HOME = Action("kbmod", "home")
LIST = Action("kbmod", "list", integer)  # all entries, by page
VIEW = Action("kbmod", "view", word)  # the entry id, in every action below
EDIT = Action("kbmod", "edit", word, _language)
PUBLISH = Action("kbmod", "pub", word)
ADD_QUESTION = Action("kbmod", "addq", word)
TOGGLE = Action("kbmod", "toggle", word)
HISTORY = Action("kbmod", "hist", word)
UNDO = Action("kbmod", "undo", word)
ON_ENTRY = {a.verb: a for a in (VIEW, EDIT, PUBLISH, ADD_QUESTION, TOGGLE, HISTORY, UNDO)}


class Moderation(Feature):
    name = "kbmod"
    commands = ("/kb",)

    def __init__(self, store: KnowledgeStore) -> None:
        self.store = store
        self.desk = GapDesk(store, self._home_row)

    async def enter(self, ctx: Context) -> list[Reply]:
        if await self._moderator(ctx) is None:
            ctx.goto(MENU)
            return [Reply(ctx.t("not-understood"), ((ctx.menu_button(),),))]
        return await self._home(ctx)

    async def on_text(self, ctx: Context, text: str) -> list[Reply]:
        by = await self._moderator(ctx)
        if by is None:
            ctx.goto(MENU)
            return [Reply(ctx.t("not-understood"), ((ctx.menu_button(),),))]
        step, data = ctx.conversation.step, ctx.conversation.data
        if step == "edit":
            return self._preview(ctx, data, text.strip())
        if step == "addq":
            return await self._add_question(ctx, data["entry"], text.strip(), by)
        if step == "gapfind":
            return self.desk.pick(ctx, data["gap"], (await self._find(ctx, text))[:PAGE])
        return await self._search(ctx, text)

    async def on_action(self, ctx: Context, verb: str, args: list[str]) -> list[Reply]:
        by = await self._moderator(ctx)
        if by is None:
            ctx.log("kbmod.denied")
            raise StaleAction(verb)
        if verb == HOME.verb:
            HOME.unpack(args)
            return await self._home(ctx)
        if verb == LIST.verb:
            (page,) = LIST.unpack(args)
            return await self._list(ctx, page)
        if verb in GAP_VERBS:
            return await self.desk.on_action(ctx, verb, args, by)
        about_entry = ON_ENTRY.get(verb)
        if about_entry is None:
            raise StaleAction(verb)
        entry_id, *rest = about_entry.unpack(args)
        found = await self.store.get(ctx.session, entry_id)
        if found is None:
            raise StaleAction(verb)
        entry, version = found
        if about_entry is VIEW:
            return self._view(ctx, entry, version)
        if about_entry is EDIT:
            (lang,) = rest
            ctx.goto(self.name, "edit", {"entry": entry.id, "lang": lang})
            return [Reply(ctx.t("kbmod-send-answer", lang=lang.upper()), self._cancel(ctx))]
        if about_entry is PUBLISH:
            return await self._publish(ctx, entry, by)
        if about_entry is ADD_QUESTION:
            ctx.goto(self.name, "addq", {"entry": entry.id})
            return [Reply(ctx.t("kbmod-send-question"), self._cancel(ctx))]
        if about_entry is TOGGLE:
            enabled = not entry.enabled
            change = "enable" if enabled else "disable"
            version = await self.store.change(ctx.session, entry.id, by, change, enabled=enabled)
            ctx.log("kbmod." + change, entry.id)
            text = ctx.t("kbmod-toggled", enabled="yes" if enabled else "no", version=version)
            return [Reply(text, self._back(ctx, entry.id))]
        if about_entry is HISTORY:
            return await self._history(ctx, entry)
        return await self._undo(ctx, entry, version, by)

    async def _moderator(self, ctx: Context) -> str | None:
        """The moderator's name for the audit trail; None for everyone else."""
        return await staff_name(ctx.session, ctx.person, Role.MODERATOR)

    async def _home(self, ctx: Context) -> list[Reply]:
        ctx.goto(self.name, "search")
        entries = await self.store.all_entries(ctx.session)
        disabled = sum(not entry.enabled for entry in entries)
        rows = (
            (ctx.button("kbmod-all", LIST.pack(0)),),
            (ctx.button("kbmod-gaps", GAPS.pack()),),
            (ctx.menu_button(),),
        )
        return [Reply(ctx.t("kbmod-home", total=len(entries), disabled=disabled), rows)]

    async def _find(self, ctx: Context, text: str) -> list[Entry]:
        """Entries whose id or title holds the word, else those the search finds for it."""
        query = text.strip().lower()
        entries = await self.store.all_entries(ctx.session)
        matches = [e for e in entries if query in e.id or query in e.title_ru.lower()]
        if not matches:
            # Also find entries the way citizens would, through the search itself.
            snapshot = await self.store.snapshot(ctx.session)
            ids = [hit.entry_id for hit in snapshot.retriever.words.search(text, limit=PAGE)]
            matches = [snapshot.entries[entry_id] for entry_id in ids]
        return matches

    async def _search(self, ctx: Context, text: str) -> list[Reply]:
        matches = await self._find(ctx, text)
        if not matches:
            return [Reply(ctx.t("kbmod-nothing-found"), self._home_row(ctx))]
        rows = [self._entry_row(ctx, entry) for entry in matches[:PAGE]]
        return [Reply(ctx.t("kbmod-found", count=len(matches)), (*rows, *self._home_row(ctx)))]

    async def _list(self, ctx: Context, page: int) -> list[Reply]:
        entries = await self.store.all_entries(ctx.session)
        start = page * PAGE
        if start >= len(entries) and entries:
            raise StaleAction("list")
        chunk = entries[start : start + PAGE]
        rows = [self._entry_row(ctx, entry) for entry in chunk]
        if start + PAGE < len(entries):
            rows.append((ctx.button("kbmod-more", LIST.pack(page + 1)),))
        text = ctx.t(
            "kbmod-page", **{"from": start + 1}, to=start + len(chunk), total=len(entries)
        )
        return [Reply(text, (*rows, *self._home_row(ctx)))]

    def _view(self, ctx: Context, entry: Entry, version: int) -> list[Reply]:
        ctx.goto(self.name, "search")
        text = ctx.t(
            "kbmod-entry",
            title=entry.title_ru,
            id=entry.id,
            version=version,
            updated=entry.updated_at.strftime("%d.%m.%Y"),
            by=entry.reviewed_by,
            enabled="yes" if entry.enabled else "no",
            questions=len(entry.questions),
            answer_ru=entry.answer_ru,
        )
        toggle = "kbmod-disable" if entry.enabled else "kbmod-enable"
        rows = (
            (
                ctx.button("kbmod-edit-ru", EDIT.pack(entry.id, "ru")),
                ctx.button("kbmod-edit-en", EDIT.pack(entry.id, "en")),
            ),
            (ctx.button("kbmod-add-question", ADD_QUESTION.pack(entry.id)),),
            (
                ctx.button(toggle, TOGGLE.pack(entry.id)),
                ctx.button("kbmod-history", HISTORY.pack(entry.id)),
            ),
            (ctx.button("kbmod-undo", UNDO.pack(entry.id)),),
            *self._home_row(ctx),
        )
        return [Reply(text, rows)]

    def _preview(self, ctx: Context, data: dict, text: str) -> list[Reply]:
        if not text:
            return [
                Reply(ctx.t("kbmod-send-answer", lang=data["lang"].upper()), self._cancel(ctx))
            ]
        if len(text) > ANSWER_LIMIT:
            return [Reply(ctx.t("kbmod-too-long", length=len(text), limit=ANSWER_LIMIT))]
        ctx.goto(self.name, "preview", {**data, "draft": text})
        rows = (
            (ctx.button("kbmod-publish", PUBLISH.pack(data["entry"])),),
            (ctx.button("kbmod-cancel", VIEW.pack(data["entry"])),),
        )
        return [Reply(ctx.t("kbmod-preview")), Reply(text, rows)]

    async def _publish(self, ctx: Context, entry: Entry, by: str) -> list[Reply]:
        data = ctx.conversation.data
        step = ctx.conversation.step
        if step != "preview" or data.get("entry") != entry.id or not data.get("draft"):
            raise StaleAction("pub")
        field = "answer_en" if data["lang"] == "en" else "answer_ru"
        version = await self.store.change(
            ctx.session, entry.id, by, f"edit {field}", **{field: data["draft"]}
        )
        ctx.log("kbmod.publish", entry.id)
        ctx.goto(self.name, "search")
        return [Reply(ctx.t("kbmod-published", version=version), self._back(ctx, entry.id))]

    async def _add_question(
        self, ctx: Context, entry_id: str, question: str, by: str
    ) -> list[Reply]:
        found = await self.store.get(ctx.session, entry_id)
        if found is None or not question:
            raise StaleAction("addq")
        question = question[:QUESTION_LIMIT]
        entry, _ = found
        questions = (
            entry.questions if question in entry.questions else (*entry.questions, question)
        )
        version = await self.store.change(
            ctx.session, entry_id, by, "add question", questions=questions
        )
        ctx.log("kbmod.add_question", entry_id)
        ctx.goto(self.name, "search")
        lines = [ctx.t("kbmod-question-added", version=version)]
        snapshot = await self.store.snapshot(ctx.session)
        hits = snapshot.retriever.search(question, 1)
        if hits and hits[0].entry_id != entry_id:
            other = snapshot.entries[hits[0].entry_id].title_ru
            lines.append(ctx.t("kbmod-question-elsewhere", other=other))
        return [Reply("\n\n".join(lines), self._back(ctx, entry_id))]

    async def _history(self, ctx: Context, entry: Entry) -> list[Reply]:
        lines = [ctx.t("kbmod-history-title", title=entry.title_ru)]
        for version in await self.store.history(ctx.session, entry.id):
            when = version.changed_at.astimezone(ctx.settings.tz).strftime("%d.%m.%Y %H:%M")
            lines.append(
                ctx.t(
                    "kbmod-history-line",
                    version=version.version,
                    when=when,
                    by=version.changed_by,
                    change=version.change,
                )
            )
        return [Reply("\n".join(lines), self._back(ctx, entry.id))]

    async def _undo(self, ctx: Context, entry: Entry, version: int, by: str) -> list[Reply]:
        new_version = await self.store.rollback(ctx.session, entry.id, by)
        if new_version is None:
            return [Reply(ctx.t("kbmod-no-undo"), self._back(ctx, entry.id))]
        ctx.log("kbmod.rollback", entry.id)
        text = ctx.t("kbmod-rolled-back", restored=version - 1, version=new_version)
        return [Reply(text, self._back(ctx, entry.id))]

    def _entry_row(self, ctx: Context, entry: Entry) -> tuple[Button, ...]:
        mark = "" if entry.enabled else "⏸ "
        return (Button(mark + entry.title_ru, VIEW.pack(entry.id)),)

    def _back(self, ctx: Context, entry_id: str) -> tuple[tuple[Button, ...], ...]:
        return ((ctx.button("kbmod-back", VIEW.pack(entry_id)),), *self._home_row(ctx))

    def _home_row(self, ctx: Context) -> tuple[tuple[Button, ...], ...]:
        return ((ctx.button("kbmod-start", HOME.pack()),),)

    def _cancel(self, ctx: Context) -> tuple[tuple[Button, ...], ...]:
        return ((ctx.button("kbmod-cancel", HOME.pack()),),)
