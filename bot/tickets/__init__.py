"""Escalation to staff: tickets with SLA timers, a staff relay, transfers and ratings."""
