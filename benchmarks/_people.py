"""The people of benchmarks/load.py: what each one sends, decided from the buttons the bot
last showed them (see load.py's docstring for the mix).

Not a benchmark itself (a leading underscore: .ci/run skips it)."""

from __future__ import annotations

import dataclasses
import random
from collections import Counter
from collections.abc import Iterator

Button = tuple[str, str]  # (label, action)


@dataclasses.dataclass(frozen=True)
class Action:
    kind: str  # "text" or "press"
    value: str  # the text, or the pressed button's action


class Script:
    """One person's messages, decided from what the bot last showed them."""

    def __init__(self, seed: int, questions: list[str]) -> None:
        self.rng = random.Random(seed)
        self.questions = questions
        self.buttons: list[Button] = []
        self.text = ""

    def actions(self) -> Iterator[Action]:
        yield Action("text", "/start")
        # By episode: most people ask a question; walks take many messages each.
        episodes = (*[self.faq] * 8, *[self.browse] * 3, self.scenario, self.booking)
        while True:
            yield from self.rng.choice(episodes)()

    # helpers

    def has(self, prefix: str) -> list[Button]:
        return [button for button in self.buttons if button[1].startswith(prefix)]

    def press(self, prefix: str) -> Iterator[Action]:
        found = self.has(prefix)
        if found:
            yield Action("press", self.rng.choice(found)[1])

    def to_menu(self) -> Iterator[Action]:
        if self.has("go:scenario") and self.has("go:booking"):
            return  # on the main menu already
        if self.has("go:menu"):
            yield Action("press", "go:menu")
        else:
            yield Action("text", "/start")

    # episodes

    def faq(self) -> Iterator[Action]:
        if not (self.has("faq:") or self.has("go:faq") or self.has("go:ticket")):
            yield from self.to_menu()  # in a form a question would be taken as its answer
        yield Action("text", self.rng.choice(self.questions))
        if self.rng.random() < 0.3:
            yield from self.press("faq:")

    def browse(self) -> Iterator[Action]:
        yield from self.to_menu()
        yield from self.press(self.rng.choice(("go:info", "go:history", "go:faq")))
        yield from self.press("go:menu")

    def scenario(self) -> Iterator[Action]:
        yield from self.to_menu()
        yield from self.press("go:scenario")
        yield from self.press("scenario:svc:")
        for _ in range(10):
            if self.has("scenario:ans:"):
                yield from self.press("scenario:ans:")
            elif self.has("scenario:step:"):
                yield from self.press("scenario:step:")
            else:
                return

    def booking(self) -> Iterator[Action]:
        yield from self.to_menu()
        yield from self.press("go:booking")
        prompts: Counter[str] = Counter()
        for _ in range(25):
            if self.has("booking:ok"):
                return  # the summary: a real person would confirm; we leave it here
            # The deepest step first: a "Назад" button leads to the one before.
            for prefix in ("booking:t:", "booking:d:", "booking:s:", "booking:o:"):
                if self.has(prefix):
                    yield from self.press(prefix)
                    break
            else:
                if self.has("booking:consent:yes"):
                    yield Action("press", "booking:consent:yes")
                elif self.has("booking:doc:ru"):
                    yield Action("press", "booking:doc:ru")
                elif "отчеств" in self.text.lower():
                    yield Action("text", self.typed())
                elif self.has("booking:skip"):
                    yield Action("press", "booking:skip")
                elif self.has("booking:"):
                    return  # something this script does not know: leave the form
                else:
                    prompts[self.text] += 1
                    if prompts[self.text] > 2:
                        return  # asked the same again and again: the script gives up
                    yield Action("text", self.typed())

    def typed(self) -> str:
        asked = self.text.lower()
        if "паспорт" in asked or "номер" in asked:
            return f"45{self.rng.randint(10, 99)} {self.rng.randint(100000, 999999)}"
        if "отчеств" in asked:
            return "Иванович"
        if "имя" in asked:
            return "Иван"
        return "Иванов"


class Replay:
    """The same texts and presses again, for the echo bot (a press takes its one button)."""

    def __init__(self, sent: list[Action]) -> None:
        self.sent = sent
        self.buttons: list[Button] = []
        self.text = ""

    def actions(self) -> Iterator[Action]:
        for action in self.sent:
            if action.kind == "press" and self.buttons:
                yield Action("press", self.buttons[0][1])
            else:
                yield Action("text", action.value if action.kind == "text" else "/start")
