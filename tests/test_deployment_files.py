"""docker-compose.yml: every service has a healthcheck, and the site rules are read from the mounted config."""

from __future__ import annotations

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def test_every_compose_service_has_a_healthcheck_and_reads_mounted_site_rules() -> None:
    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))["services"]
    assert all(s.get("healthcheck", {}).get("test") for s in services.values()), \
        [name for name, s in services.items() if not s.get("healthcheck")]
    for name, service in services.items():
        env = service.get("environment") or {}
        if "AKHBAR_STORE_URL" not in env:
            continue  # redis, postgres
        rules = env.get("AKHBAR_SITE_RULES_DIR")
        assert rules, f"{name}: no AKHBAR_SITE_RULES_DIR"
        mounts = [v.split(":")[:2] for v in service.get("volumes", [])]
        assert any(rules.startswith(inside) and (ROOT / outside / rules[len(inside):].lstrip("/")).is_dir()
                   for outside, inside in mounts), f"{name}: {rules} is not under a mounted folder of the repo"
