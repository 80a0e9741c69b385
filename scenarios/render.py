"""The words of the walk: a step as a message, the whole route as a checklist, and matching
what a person typed against the buttons they were shown."""

import re
from collections.abc import Sequence

from bot.core.feature import Context
from scenarios.schema import Route, Service, Step


def _details(ctx: Context, step: Step) -> list[str]:
    lines: list[str] = []
    if step.documents:
        lines += ["", ctx.t("scenario-documents")]
        lines += [f"• {document.get(ctx.locale)}" for document in step.documents]
    if step.fee is not None or step.deadline is not None:
        lines.append("")
    if step.fee is not None:
        lines.append(ctx.t("scenario-fee", fee=step.fee.get(ctx.locale)))
    if step.deadline is not None:
        lines.append(ctx.t("scenario-deadline", deadline=step.deadline.get(ctx.locale)))
    if step.where is not None:
        lines += ["", ctx.t("scenario-where"), step.where.get(ctx.locale)]
    if step.links:
        lines += ["", ctx.t("scenario-links")]
        lines += [f"• {link.title.get(ctx.locale)}: {link.url}" for link in step.links]
    return lines


def _heading(ctx: Context, route: Route, index: int) -> str:
    counter = ctx.t("scenario-step-counter", n=index + 1, total=len(route.steps))
    return f"{counter}. {route.steps[index].title.get(ctx.locale)}"


def step_text(ctx: Context, service: Service, route: Route, index: int) -> str:
    step = route.steps[index]
    return "\n".join(
        [
            _heading(ctx, route, index),
            f"{service.title.get(ctx.locale)} — {route.title.get(ctx.locale)}",
            "",
            step.text.get(ctx.locale),
            *_details(ctx, step),
        ]
    )


def summary_text(ctx: Context, service: Service, route: Route) -> str:
    """Every step of the route in one message, each with a box to tick on paper or in mind."""
    parts = [
        ctx.t(
            "scenario-summary",
            service=service.title.get(ctx.locale),
            route=route.title.get(ctx.locale),
        )
    ]
    for index, step in enumerate(route.steps):
        body = [f"☐ {_heading(ctx, route, index)}", step.text.get(ctx.locale)]
        parts.append("\n".join(body + _details(ctx, step)))
    return "\n\n".join(parts)


def _normal(text: str) -> str:
    text = text.lower().replace("ё", "е")
    return " ".join(re.sub(r"[^\w\s]", " ", text).split())


def match_typed(
    text: str, options: Sequence[Sequence[str]], *, numbers: bool = False
) -> int | None:
    """Which option a typed answer means: its number in the list (when the list is numbered in
    the person's mind), an exact name, or a part of exactly one option's name."""
    typed = _normal(text)
    if not typed:
        return None
    if numbers and typed.isdigit() and 1 <= int(typed) <= len(options):
        return int(typed) - 1
    names = [[_normal(name) for name in option] for option in options]
    for index, option in enumerate(names):
        if typed in option:
            return index
    if len(typed) >= 3:
        partial = [i for i, option in enumerate(names) if any(typed in name for name in option)]
        if len(partial) == 1:
            return partial[0]
    return None
