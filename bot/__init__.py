"""Priemnaya: the core (bot/core), the features built on it, and their assembly (app.py)."""
