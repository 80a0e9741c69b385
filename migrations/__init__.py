"""Alembic migrations; `priemnaya migrate` and `priemnaya run` apply them."""
