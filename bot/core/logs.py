"""Logging set-up. Our own log lines carry ids and event codes, never message text; libraries
that log SQL parameters or update bodies at DEBUG are held at WARNING so they cannot leak
names, passport or phone numbers whatever LOG_LEVEL says."""

import logging
import sys

QUIET_LIBRARIES = (
    "aiosqlite",
    "sqlalchemy",
    "asyncpg",
    "aiogram.event",
    "vkbottle",
    "apscheduler",
)


def setup_logging(level: str, *, quiet: bool = False) -> None:
    logging.basicConfig(
        level=logging.WARNING if quiet else level,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
        force=True,
    )
    for name in QUIET_LIBRARIES:
        logging.getLogger(name).setLevel(logging.WARNING)
