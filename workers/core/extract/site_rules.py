"""Per-site extraction rules as data (CSS selectors), parsed from YAML text and matched to a URL by host."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import yaml

from workers.core.errors import ConfigError

_SELECTOR_KEYS = ("title", "body", "date", "author", "tags", "subtitle")


@dataclass(frozen=True, slots=True)
class SiteRules:
    """CSS selectors an operator sets for one outlet; empty fields fall back to the generic path."""

    domain: str = ""
    title: str | None = None
    body: str | None = None
    date: str | None = None
    author: str | None = None
    tags: str | None = None
    subtitle: str | None = None
    drop: tuple[str, ...] = field(default_factory=tuple)
    timezone: str | None = None


def parse_site_rules(text: str, domain: str = "") -> SiteRules:
    """Parse one `config/sites/<domain>.yaml` document into SiteRules; raise ConfigError when malformed."""
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise ConfigError(f"site rules for {domain or '?'} are not valid YAML: {exc}") from exc
    if not isinstance(data, Mapping):
        raise ConfigError(f"site rules for {domain or '?'} must be a mapping")
    unknown = set(data) - {*_SELECTOR_KEYS, "drop", "domain", "timezone"}
    if unknown:
        raise ConfigError(f"site rules for {domain or '?'}: unknown keys {sorted(unknown)}")
    values: dict[str, str | None] = {}
    for key in (*_SELECTOR_KEYS, "timezone"):
        value = data.get(key)
        if isinstance(value, list):  # several selectors for one field read as a CSS selector group
            value = ", ".join(str(v) for v in value)
        if not (value is None or isinstance(value, str)):
            raise ConfigError(f"site rules for {domain or '?'}: {key} must be a selector string")
        values[key] = value or None
    drop = data.get("drop") or []
    if isinstance(drop, str):
        drop = [drop]
    if not isinstance(drop, list) or not all(isinstance(d, str) for d in drop):
        raise ConfigError(f"site rules for {domain or '?'}: drop must be a list of selectors")
    rules = SiteRules(domain=str(data.get("domain") or domain).lower(), drop=tuple(drop), **values)
    _check_selectors(rules)
    return rules


def _check_selectors(rules: SiteRules) -> None:
    """Compile every selector now, so a typo fails at load time rather than on every page."""
    from lxml.cssselect import CSSSelector, SelectorError

    for selector in [getattr(rules, k) for k in _SELECTOR_KEYS] + list(rules.drop):
        if selector:
            try:
                CSSSelector(selector)
            except SelectorError as exc:
                raise ConfigError(f"site rules for {rules.domain or '?'}: bad selector {selector!r}") from exc


def rules_for_url(url: str, rules: Mapping[str, SiteRules]) -> SiteRules | None:
    """The rules whose domain is the URL's host, with or without www., or its nearest parent domain."""
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    if host.startswith("www."):
        host = host[4:]
    parts = host.split(".")
    for i in range(len(parts) - 1):
        candidate = ".".join(parts[i:])
        found = rules.get(candidate) or rules.get("www." + candidate)
        if found:
            return found
    return None
