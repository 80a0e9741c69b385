"""The terminal channel: the whole bot without any token. Buttons are numbered; a number
presses one."""

import asyncio
import getpass
import sys
from collections.abc import Sequence
from typing import TextIO

from bot.core.engine import Engine
from bot.core.messages import Channel, Incoming, Reply
from bot.core.outbox import Progress


class ConsoleChannel:
    name = Channel.CONSOLE

    def __init__(
        self,
        engine: Engine,
        stdin: TextIO = sys.stdin,
        stdout: TextIO = sys.stdout,
        user_id: str | None = None,
    ) -> None:
        self.engine = engine
        self.stdin = stdin
        self.stdout = stdout
        self.user_id = user_id or getpass.getuser()
        self.numbered: dict[str, str] = {}
        self.sender = self

    def describe(self) -> str:
        return f"terminal, as user {self.user_id!r}"

    async def send(self, chat_id: str, reply: Reply, progress: Progress | None = None) -> None:
        # Arrives between the person's lines (staff answers, reminders): show the prompt again.
        self.render([reply])

    def render(self, replies: Sequence[Reply]) -> None:
        numbered: dict[str, str] = {}
        for reply in replies:
            self.stdout.write(f"\n{reply.text}\n")
            if reply.attachment is not None:
                self.stdout.write(f"[file: {reply.attachment.filename}]\n")
            for row in reply.buttons:
                for button in row:
                    number = str(len(numbered) + 1)
                    numbered[number] = button.action
                    self.stdout.write(f"  {number}) {button.text}\n")
        if numbered:
            self.numbered = numbered
        self.stdout.write("> ")
        self.stdout.flush()

    def incoming(self, line: str) -> Incoming:
        text = line.strip()
        pressed = self.numbered.get(text)
        return Incoming(
            channel=self.name,
            user_id=self.user_id,
            chat_id=self.user_id,
            text="" if pressed else text,
            action=pressed,
        )

    async def run(self) -> None:
        await self._say("/start")
        while True:
            line = await asyncio.to_thread(self.stdin.readline)
            if not line:  # end of input
                self.stdout.write("\n")
                return
            if line.strip():
                await self._say(line)

    async def _say(self, line: str) -> None:
        # A terminal write cannot fail, so replies skip send_now; numbers run across all of
        # them so that every button on screen has its own.
        self.render(await self.engine.handle(self.incoming(line)) or [])
