""" "Мои заявления": the person's applications with their stages, and linking one by its
number and the check code the office gave (tries limited, every wrong answer alike)."""

from applications import codes, views
from applications.actions import LINK, SHOW
from applications.models import Application
from applications.ports import ServiceTitle
from applications.service import Linked, Office
from applications.state import CODE, NUMBER, Linking
from applications.views import FEATURE
from bot.core.actions import StaleAction
from bot.core.feature import Context, Feature, TextNotExpected, go
from bot.core.messages import Button, Reply, buttons


class ApplicationsFeature(Feature):
    name = FEATURE
    commands = ("/applications", "мои заявления", "my applications")

    def __init__(self, office: Office, service_title: ServiceTitle) -> None:
        self.office = office
        self.service_title = service_title

    async def enter(self, ctx: Context) -> list[Reply]:
        return [await self._list(ctx)]

    async def on_action(self, ctx: Context, verb: str, args: list[str]) -> list[Reply]:
        if verb == LINK.verb:
            LINK.unpack(args)
            ctx.goto(self.name, NUMBER)
            return [Reply(ctx.t("app-ask-number"), buttons(self._list_button(ctx)))]
        if verb == SHOW.verb:
            (application_id,) = SHOW.unpack(args)
            application = await self.office.of_person(ctx.session, ctx.person, application_id)
            if application is None:
                raise StaleAction(verb)  # someone else's id, or a forged one
            steps = await self.office.steps(ctx.session, application)
            service = self.service_title(application.service, ctx.locale)
            text = views.card(
                ctx.locale, self.office.stages, application, steps, service, self.office.tz
            )
            return [Reply(text, buttons(self._list_button(ctx), ctx.menu_button()))]
        raise StaleAction(verb)

    async def on_text(self, ctx: Context, text: str) -> list[Reply]:
        step = ctx.conversation.step
        if step == NUMBER:
            number = codes.number(text)
            if number is None:
                return [Reply(ctx.t("app-bad-number"), buttons(self._list_button(ctx)))]
            ctx.goto(self.name, CODE, Linking(number).to_dict())
            return [Reply(ctx.t("app-ask-code"), buttons(self._list_button(ctx)))]
        linking = Linking.from_dict(ctx.conversation.data)
        if step == CODE and linking is not None:
            return [await self._link(ctx, linking, text)]
        raise TextNotExpected  # a question typed over the list: the knowledge base takes it

    async def repeat(self, ctx: Context) -> list[Reply]:
        step = ctx.conversation.step
        if step in (NUMBER, CODE):
            key = "app-ask-number" if step == NUMBER else "app-ask-code"
            return [Reply(ctx.t(key), buttons(self._list_button(ctx)))]
        return []

    async def _link(self, ctx: Context, linking: Linking, code: str) -> Reply:
        result, application = await self.office.link(
            ctx.session, ctx.person, linking.number, code, ctx.now
        )
        if result is Linked.REFUSED:
            left = await self.office.tries_left(ctx.session, ctx.person)
            ctx.goto(self.name, NUMBER)
            again = ctx.t("app-refused", left=left) if left else ctx.t("app-too-many")
            return Reply(again, buttons(self._list_button(ctx)))
        ctx.goto(self.name)
        if result is Linked.TOO_MANY:
            return Reply(ctx.t("app-too-many"), buttons(ctx.menu_button()))
        assert application is not None
        ctx.log("application.link", str(application.id))
        key = "app-linked" if result is Linked.LINKED else "app-already"
        reply = await self._list(ctx)
        return Reply(f"{ctx.t(key, number=application.number)}\n\n{reply.text}", reply.buttons)

    async def _list(self, ctx: Context) -> Reply:
        ctx.goto(self.name)
        mine = await self.office.mine(ctx.session, ctx.person)
        add = ctx.button("app-button-add", LINK.pack())
        if not mine:
            return Reply(ctx.t("app-list-empty"), buttons(add, ctx.menu_button()))
        rows = [ctx.button("app-button-show", SHOW.pack(a.id), number=a.number) for a in mine]
        return Reply(self._lines(ctx, mine), buttons(*rows, add, ctx.menu_button()))

    def _list_button(self, ctx: Context) -> Button:
        return ctx.button("app-button-list", go(self.name))

    async def history(self, ctx: Context) -> list[Reply]:
        """/history's section: the person's applications, if they follow any."""
        mine = await self.office.mine(ctx.session, ctx.person)
        if not mine:
            return []
        return [Reply(self._lines(ctx, mine), buttons(self._list_button(ctx)))]

    def _lines(self, ctx: Context, mine: list[Application]) -> str:
        lines = [
            views.line(
                ctx.locale, self.office.stages, a, self.service_title(a.service, ctx.locale)
            )
            for a in mine
        ]
        return "\n".join([ctx.t("app-list-title"), *lines])
