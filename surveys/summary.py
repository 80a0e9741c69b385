"""The report's short Markdown summary in Russian: the quarter in four numbers, what moved
most since the previous quarter (CSAT and NPS per service and per touchpoint, only where both
quarters show the number), and what people write about."""

from __future__ import annotations

from dataclasses import dataclass

from surveys.results import Analysis, Score, within

TOP_CHANGES = 5


@dataclass(frozen=True)
class Change:
    measure: str  # "CSAT" or "NPS"
    side: str  # "услуга" or "точка контакта"
    name: str
    before: float
    after: float

    @property
    def delta(self) -> float:
        return self.after - self.before


def changes(current: Analysis, previous: Analysis) -> list[Change]:
    """The biggest moves first; a cell hidden or empty in either quarter is left out."""
    found = []
    for now, then in ((current.csat, previous.csat), (current.nps, previous.nps)):
        for side, after, before in (
            ("услуга", now.by_service, then.by_service),
            ("точка контакта", now.by_touchpoint, then.by_touchpoint),
        ):
            for name, score in after.items():
                old = before.get(name)
                if old is not None and score.value is not None and old.value is not None:
                    found.append(Change(now.name, side, name, old.value, score.value))
    found.sort(key=lambda change: (-abs(change.delta), change.measure, change.side, change.name))
    return found


def summary(current: Analysis, previous: Analysis) -> str:
    quarter, before = current.quarter.label(), previous.quarter.label()
    lines = [f"# Обратная связь: {quarter}", ""]
    lines += [
        f"- CSAT (доля оценок 4–5): {_score(current.csat.total, '%')}; "
        f"{before}: {_score(previous.csat.total, '%')}.",
        f"- NPS: {_score(current.nps.total, '')}; {before}: {_score(previous.nps.total, '')}.",
        f"- Оценок этапов: {current.stages_total.n}, средняя {_mean(current)}.",
        f"- Первый ответ на обращение в срок: {_share(within(current.replies))}.",
        "",
        "## Сильнее всего изменилось",
        "",
    ]
    moved = [change for change in changes(current, previous) if change.delta][:TOP_CHANGES]
    if moved:
        lines += [_change(change) for change in moved]
    else:
        lines.append("Нет чисел, которые можно сравнить с прошлым кварталом.")
    lines += ["", "## О чём пишут", ""]
    themes = current.themes
    if themes.words:
        lines.append("Слова: " + ", ".join(f"{word} ({n})" for word, n in themes.words) + ".")
    if themes.phrases:
        phrases = ", ".join(f"«{phrase}» ({n})" for phrase, n in themes.phrases)
        lines.append(f"Сочетания: {phrases}.")
    if not themes.words and not themes.phrases:
        lines.append(f"Свободных ответов: {themes.answers}; общих тем в 5 и больше ответах нет.")
    lines += [
        "",
        "В скобках — в скольких ответах это встречается. Где меньше 5 ответов, и где число "
        "можно вычислить из других, оно скрыто.",
    ]
    return "\n".join(lines) + "\n"


def _change(change: Change) -> str:
    unit, points = ("%", "п. п.") if change.measure == "CSAT" else ("", "пунктов")
    return (
        f"- {change.measure}, {change.side} «{change.name}»: {change.before:.0f}{unit} → "
        f"{change.after:.0f}{unit} ({change.delta:+.0f} {points})"
    )


def _score(score: Score, unit: str) -> str:
    if score.hidden:
        return "скрыто"
    if score.value is None:
        return "нет ответов"
    sign = "+" if unit == "" and score.value > 0 else ""
    return f"{sign}{score.value:.0f}{unit} (ответов: {score.n})"


def _mean(analysis: Analysis) -> str:
    total = analysis.stages_total
    if total.hidden:
        return "скрыта"
    return "—" if total.mean is None else f"{total.mean:.2f} из 5"


def _share(share: float | None) -> str:
    return "нет обращений" if share is None else f"{100 * share:.0f}%"
