"""Public comments: which need an answer (triage.py), the receipt under one that became a
ticket and the moderator's override (desk.py), the office's moderation rules (rules.py)."""
