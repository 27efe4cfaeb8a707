"""Load per-site extraction rules from `config/sites/*.yaml` (the only file reading in extraction)."""

from __future__ import annotations

from pathlib import Path

from workers.core.extract.site_rules import SiteRules, parse_site_rules

SITES_DIR = Path(__file__).with_name("sites")


def load_site_rules(directory: str | Path = SITES_DIR) -> dict[str, SiteRules]:
    """Read every `<domain>.yaml` in directory into {domain: SiteRules}; a bad file raises ConfigError."""
    rules: dict[str, SiteRules] = {}
    for path in sorted(Path(directory).glob("*.yaml")):
        parsed = parse_site_rules(path.read_text(encoding="utf-8"), domain=path.stem.lower())
        rules[parsed.domain.removeprefix("www.")] = parsed
    return rules
