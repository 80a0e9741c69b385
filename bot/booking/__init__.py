"""Appointment booking: the office's schedule as data, free-slot search, holds and bookings
that the database keeps from being taken twice, building-pass data kept encrypted, reminders,
the security desk's pass list and the staff's day."""

from pathlib import Path

from bot.core import texts

texts.add_catalogs(Path(__file__).parent / "texts")
