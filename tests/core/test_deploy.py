"""deploy/docker-compose.yml cannot be started here (no Docker): it is read as YAML and held to
what docs/scaling.md says about it."""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"


def test_compose_has_the_database_the_workers_and_the_proxy() -> None:
    compose = yaml.safe_load((DEPLOY / "docker-compose.yml").read_text(encoding="utf-8"))
    services = compose["services"]
    assert set(services) == {"postgres", "bot", "proxy"}
    bot = services["bot"]
    assert (DEPLOY / bot["build"] / "Dockerfile").is_file()
    assert bot["command"][:4] == ["priemnaya", "run", "--workers", "${WORKERS:-2}"]
    assert bot["environment"]["DATABASE_URL"].startswith("postgresql+asyncpg://")
    assert "@postgres:5432/" in bot["environment"]["DATABASE_URL"]
    assert bot["depends_on"]["postgres"]["condition"] == "service_healthy"
    listen = bot["environment"]["WEBHOOK_LISTEN"].rpartition(":")[2]
    caddyfile = (DEPLOY / "Caddyfile").read_text(encoding="utf-8")
    assert f"reverse_proxy bot:{listen}" in caddyfile
    assert "./Caddyfile:/etc/caddy/Caddyfile:ro" in services["proxy"]["volumes"]


def test_every_variable_of_the_compose_file_is_documented() -> None:
    text = (DEPLOY / "docker-compose.yml").read_text(encoding="utf-8")
    used = set(re.findall(r"\$\{([A-Z_]+)", text))
    assert used == {"POSTGRES_PASSWORD", "PUBLIC_HOST", "SECRET_KEY", "WORKERS"}
    guide = (ROOT / "docs" / "scaling.md").read_text(encoding="utf-8")
    assert all(f"`{name}`" in guide for name in used)
