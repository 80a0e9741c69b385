"""Prometheus metrics, in prometheus-client's default registry."""

from prometheus_client import Counter

WEBHOOK_REJECTED = Counter(
    "priemnaya_webhook_rejected_total",
    "Webhook requests refused: wrong or missing secret",
    ["channel"],
)
