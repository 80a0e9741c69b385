"""The messenger side of benchmarks/load.py: a fake Bot API or VK API server that pushes the
people's updates and tells, from the calls the bot makes, when each update has its answer,
and counts what was lost or sent twice (see load.py's docstring for what an answer is).

Not a benchmark itself (a leading underscore: .ci/run skips it)."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import json
import socket
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from _harness import FakeTelegramAPI, FakeVKAPI, bot_env
from _people import Action, Button

from bot.core import texts
from tests.support._common import Call

BUSY = texts.text("ru", "busy-wait")


@dataclasses.dataclass
class Step:
    chat: int
    pushed: float
    callback_id: str | None = None
    done: asyncio.Future[tuple[list[Button], str]] | None = None
    answered_at: float | None = None  # the answer's last message so far
    buttons: list[Button] | None = None  # of the answer's last message with buttons
    text: str = ""
    seen: set[tuple[str, tuple[Button, ...]]] = dataclasses.field(default_factory=set)
    timer: asyncio.TimerHandle | None = None
    key: str = "text"  # what kind of update: "text", or a press's first two action parts
    keyboards: int = 0  # messages with buttons in the answer so far


class Messenger:
    """A fake server plus the bookkeeping of answers: which update of a chat is waiting,
    and every message the bot sent, counted by kind."""

    def __init__(self, channel: str, settle: float, *, webhooks: int = 0) -> None:
        self.channel = channel
        # Telegram only: the bot takes updates on a webhook, set by this many workers; the
        # fake POSTs them there as Telegram does (0: the bot polls).
        self.webhooks = webhooks
        self.settle = settle  # how long after a message with buttons more parts may follow
        self.strays = 0
        self.repeats = 0
        self.erred: set[int] = set()  # chats with a lost or repeated answer, to show
        self.overdue: list[Step] = []  # not answered within --timeout
        # The most messages with buttons an answer to each kind of update has had: an
        # answer with fewer waits longer for the rest (learnt in the warm-up, unhurried).
        self.shapes: dict[str, int] = {}
        self.fake: Any = (
            FakeTelegramAPI(deliver_webhooks=bool(webhooks))
            if channel == "telegram"
            else FakeVKAPI()
        )
        self.waiting: dict[int, Step] = {}
        self.callbacks: Counter[str] = Counter()  # answerCallbackQuery per callback id
        self.pushed_callbacks: set[str] = set()
        self.counts: Counter[str] = Counter()
        self.last_call = time.perf_counter()
        self._message_ids: dict[int, int] = {}  # the chat's last message with buttons
        self.log: dict[int, list[str]] = {}  # what went each way, shown for a chat that erred
        record = self.fake._record

        def recorded(call: Call) -> Call:
            self.on_call(call)
            return record(call)

        self.fake._record = recorded

    async def __aenter__(self) -> Messenger:
        await self.fake.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.fake.stop()

    def env(self, workdir: Path, database_url: str | None) -> dict[str, str]:
        fakes = {"telegram": self.fake} if self.channel == "telegram" else {"vk": self.fake}
        env = bot_env(workdir, database_url=database_url, **fakes)
        if self.webhooks:
            with socket.socket() as probe:
                probe.bind(("127.0.0.1", 0))
                port = probe.getsockname()[1]
            env["TELEGRAM_WEBHOOK_URL"] = f"http://127.0.0.1:{port}/telegram"
            env["WEBHOOK_LISTEN"] = f"127.0.0.1:{port}"
        return env

    async def ready(self, bot: str) -> None:
        if self.webhooks and bot == "priemnaya":
            await self.fake.wait_for("setWebhook", count=self.webhooks, timeout=120)
        elif self.channel == "telegram":
            await self.fake.wait_for_poll(timeout=120)
        else:
            await self.fake.wait_for_long_poll(timeout=120)

    def push(self, chat: int, action: Action, buttons: list[Button]) -> Step:
        step = Step(chat, time.perf_counter())
        if action.kind == "press":
            step.key = ":".join(action.value.split(":")[:2])
        step.done = asyncio.get_running_loop().create_future()
        self.waiting[chat] = step
        self.log.setdefault(chat, []).append(f"-> {action.kind} {action.value[:50]!r}")
        self.counts[action.kind] += 1
        if self.channel == "telegram":
            if action.kind == "press":
                update_id = self.fake.push_callback(
                    chat, action.value, message_id=self._message_ids[chat]
                )
                step.callback_id = self.fake.pushed(update_id)["callback_query"]["id"]
                self.pushed_callbacks.add(step.callback_id)
            else:
                self.fake.push_message(chat, action.value)
        elif action.kind == "press":
            label = next((text for text, code in buttons if code == action.value), action.value)
            self.fake.push_message(chat, label, payload={"a": action.value})
        else:
            self.fake.push_message(chat, action.value)
        return step

    def on_call(self, call: Call) -> None:
        method, params = call.method.lower(), call.params
        if method in ("getupdates",):
            return
        self.last_call = time.perf_counter()
        if call.failed:
            self.counts["failed calls"] += 1
            return
        if call.duplicate:  # VK dropped a repeated messages.send (same random_id)
            self.counts["repeated sends"] += 1
            return
        if method == "answercallbackquery":
            self.callbacks[str(params.get("callback_query_id"))] += 1
            return
        if method.startswith("edit"):
            self.counts["edits"] += 1
            return
        if method in ("sendmessage", "senddocument", "sendphoto"):
            chat, text = params.get("chat_id"), str(params.get("text") or "")
            buttons = telegram_buttons(params.get("reply_markup"))
        elif method == "messages.send":
            peers = params.get("peer_ids") or [params.get("peer_id")]  # answer() sends peer_ids
            chat, text = peers[0], str(params.get("message") or "")
            buttons = vk_buttons(params.get("keyboard"))
        else:
            return
        if not isinstance(chat, int):
            return
        self.log.setdefault(chat, []).append(f"{method} {text[:50]!r} {len(buttons)} buttons")
        if text == BUSY:
            self.counts["notices"] += 1
            return
        step = self.waiting.get(chat)
        if step is None:  # nothing of this chat waits: a repeat, or a part later than settle
            self.strays += 1
            self.erred.add(chat)
            return
        seen = (text, tuple(buttons))
        if seen in step.seen:
            self.repeats += 1  # the same message twice for one update
            self.erred.add(chat)
        step.seen.add(seen)
        self.counts["messages"] += 1
        if buttons:
            step.buttons, step.text = buttons, text
            step.keyboards += 1
            if isinstance(call.result, dict) and "message_id" in call.result:
                self._message_ids[chat] = call.result["message_id"]
        if step.buttons is None:
            return  # an earlier part: the buttons come under the last one
        step.answered_at = time.perf_counter()
        if step.timer is not None:
            step.timer.cancel()
        # A busy bot is slow between the parts too: wait a quarter of the answer's time.
        taken = step.answered_at - step.pushed
        settle = max(self.settle, 0.25 * taken)
        if step.keyboards < self.shapes.get(step.key, 1):
            settle = max(settle, taken, 5.0)  # this kind has brought more parts before
        step.timer = asyncio.get_running_loop().call_later(settle, self._finish, step)

    def _finish(self, step: Step) -> None:
        self.shapes[step.key] = max(self.shapes.get(step.key, 1), step.keyboards)
        if step.keyboards > 1:
            self.counts["answers in parts"] += 1
        if self.waiting.get(step.chat) is step:
            del self.waiting[step.chat]
        assert step.done is not None and step.buttons is not None
        if not step.done.done():
            step.done.set_result((step.buttons, step.text))

    async def quiet(self, seconds: float, limit: float) -> None:
        """Until the bot has sent nothing for `seconds` (at most `limit` seconds)."""
        deadline = time.perf_counter() + limit
        while time.perf_counter() < deadline:
            idle = time.perf_counter() - self.last_call
            if idle >= seconds:
                return
            await asyncio.sleep(seconds - idle)

    def late(self) -> int:
        """Answers that came after --timeout (the person had given up): not lost."""
        return sum(1 for step in self.overdue if step.answered_at is not None)

    def audit(self, lost: int) -> tuple[int, int]:
        """(lost, duplicated) over the whole run, counted from what the fake recorded:
        updates never answered, or presses whose callback was not answered; messages sent
        twice for one update, messages no update waited for, callbacks answered twice."""
        unanswered = sum(1 for cid in self.pushed_callbacks if self.callbacks[cid] == 0)
        repeated = sum(n - 1 for n in self.callbacks.values() if n > 1)
        strangers = sum(n for cid, n in self.callbacks.items() if cid not in self.pushed_callbacks)
        for chat in sorted(self.erred)[:3]:
            self.show_chat(chat)
        if self.late():
            self.counts["late"] = self.late()
        return lost - self.late() + unanswered, self.repeats + self.strays + repeated + strangers

    def show_chat(self, chat: int) -> None:
        print(f"chat {chat}:", *self.log.get(chat, []), sep="\n  ", file=sys.stderr)


def telegram_buttons(markup: Any) -> list[Button]:
    if not isinstance(markup, dict):
        return []
    rows = markup.get("inline_keyboard") or []
    return [(b.get("text", ""), b.get("callback_data", "")) for row in rows for b in row]


def vk_buttons(keyboard: Any) -> list[Button]:
    if isinstance(keyboard, str):
        with contextlib.suppress(ValueError):
            keyboard = json.loads(keyboard)
    if not isinstance(keyboard, dict):
        return []
    found = []
    for row in keyboard.get("buttons") or []:
        for button in row:
            action = button.get("action") or {}
            payload = action.get("payload") or {}
            if isinstance(payload, str):  # VK sends it as a JSON string; vkbottle may not
                try:
                    payload = json.loads(payload)
                except ValueError:
                    payload = {}
            code = payload.get("a") if isinstance(payload, dict) else None
            found.append((action.get("label", ""), code if isinstance(code, str) else ""))
    return found
