"""Logging set-up. Our own log lines carry ids and event codes, never message text; libraries
that log SQL parameters or update bodies at DEBUG are held at WARNING so they cannot leak
names, passport or phone numbers whatever LOG_LEVEL says."""

import logging
from pathlib import Path

QUIET_LIBRARIES = (
    "aiosqlite",
    "sqlalchemy",
    "asyncpg",
    "aiogram.event",
    "vkbottle",
    "apscheduler",
)


def setup_logging(level: str, *, quiet: bool = False, file: Path | None = None) -> None:
    """To stderr, only warnings and errors if `quiet`; or to `file` (the terminal chat, whose
    screen is the conversation: a log line there would read as the bot's answer)."""
    if file is not None:
        file.parent.mkdir(parents=True, exist_ok=True)
    logging.basicConfig(
        level=logging.WARNING if quiet else level,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        handlers=[
            logging.FileHandler(file, encoding="utf-8") if file else logging.StreamHandler()
        ],
        force=True,
    )
    for name in QUIET_LIBRARIES:
        logging.getLogger(name).setLevel(logging.WARNING)
