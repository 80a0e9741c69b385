"""The messenger-neutral core of Priemnaya."""
