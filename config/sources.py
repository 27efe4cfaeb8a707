"""Load and validate the sources file; every problem names the source and the field (exit code 2)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from workers.core.errors import ConfigError
from workers.core.models import Source

KINDS = ("feed", "sitemap", "page")
MAX_SOURCES_BYTES = 1024 * 1024  # 36 outlets take 5 KB; a few thousand sources still fit
# the C loader when PyYAML was built with libyaml (fast on big files); safe either way: no object tags
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
FIELDS = {"name", "url", "kind", "interval", "timezone", "enabled", "link_pattern", "max_interval"}
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|sec|m|min|h|d)?\s*$")
_UNITS = {None: 1, "s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "d": 86400}


def parse_duration(value: object) -> int:
    """'15m', '1h', '30s', '2d' or a number of seconds → seconds."""
    if isinstance(value, bool):
        raise ValueError("not a duration")
    if isinstance(value, int | float):
        seconds = float(value)
    else:
        match = _DURATION.match(str(value))
        if not match:
            raise ValueError(f"{value!r} is not a duration like 15m, 1h or 30s")
        seconds = float(match.group(1)) * _UNITS[match.group(2)]
    if seconds <= 0:
        raise ValueError("must be positive")
    return int(seconds)


def _validate_url(url: object) -> str:
    if not isinstance(url, str) or not url.strip():
        raise ValueError("must be a URL")
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"{url!r} is not an http(s) URL with a host")
    return url.strip()


def parse_source(raw: Any, index: int) -> Source:
    """One entry of the sources list → Source, or ConfigError naming the entry and field."""
    where = f"sources[{index}]"
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: each source must be a mapping with name, url, kind, interval")
    name = raw.get("name")
    if isinstance(name, str) and name.strip():
        where = f"source {name!r}"
    unknown = sorted(set(raw) - FIELDS)
    if unknown:
        raise ConfigError(f"{where}: unknown field {unknown[0]!r} (known: {', '.join(sorted(FIELDS))})")
    if isinstance(name, list | dict):
        raise ConfigError(f"{where}: field 'name' must be a single value, not a "
                          f"{'list' if isinstance(name, list) else 'mapping'}")
    if not isinstance(name, str) or not name.strip():
        raise ConfigError(f"{where}: field 'name' is missing or empty")
    if not re.fullmatch(r"[\w.\-]+", name):
        raise ConfigError(f"{where}: field 'name' may hold letters, digits, '.', '-' and '_' only")

    def field(key: str, convert: Callable[[Any], Any], default: Any = None) -> Any:
        if key not in raw or raw[key] is None:
            return default
        if isinstance(raw[key], list | dict):  # str() of a nested value would be accepted by some checks
            raise ConfigError(f"{where}: field {key!r} must be a single value, not a "
                              f"{'list' if isinstance(raw[key], list) else 'mapping'}")
        try:
            return convert(raw[key])
        except (ValueError, TypeError) as exc:
            raise ConfigError(f"{where}: field {key!r}: {exc}") from None

    if "url" not in raw:
        raise ConfigError(f"{where}: field 'url' is missing")
    url = field("url", _validate_url)
    kind = field("kind", _kind, "feed")
    interval = field("interval", parse_duration, 900)
    max_interval = field("max_interval", parse_duration)
    timezone = field("timezone", _timezone)
    enabled = field("enabled", _bool, True)
    link_pattern = field("link_pattern", _regex)
    return Source(name=name, url=url, kind=kind, interval=interval, timezone=timezone, enabled=enabled,
                  link_pattern=link_pattern, max_interval=max_interval)


def _kind(value: object) -> str:
    if value not in KINDS:
        raise ValueError(f"{value!r} is not one of {', '.join(KINDS)}")
    return str(value)


def _timezone(value: object) -> str:
    try:
        ZoneInfo(str(value))
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"{value!r} is not an IANA time zone") from None
    return str(value)


def _bool(value: object) -> bool:
    if not isinstance(value, bool):
        raise ValueError("must be true or false")
    return value


def _regex(value: object) -> str:
    try:
        re.compile(str(value))
    except re.error as exc:
        raise ValueError(f"invalid regular expression: {exc}") from None
    return str(value)


def _load_yaml(text: str, origin: str) -> Any:
    """Parse with the safe loader, refusing aliases before any node is built (no billion-laughs)."""
    try:
        for event in yaml.parse(text, Loader=_LOADER):
            if isinstance(event, yaml.AliasEvent):  # expansion is where the memory goes; refuse the alias
                mark = event.start_mark
                line = f" (line {mark.line + 1})" if mark is not None else ""
                raise ConfigError(f"{origin}: YAML aliases (*name) are not allowed in the sources file{line}")
        return yaml.load(text, Loader=_LOADER)  # a safe loader: no object tags
    except yaml.YAMLError as exc:
        raise ConfigError(f"{origin}: not valid YAML: {' '.join(str(exc).split())}") from None
    except RecursionError:
        raise ConfigError(f"{origin}: not valid YAML: nested too deeply") from None


def parse_sources(text: str, origin: str = "sources file") -> list[Source]:
    """YAML text → sources; duplicates and malformed entries raise ConfigError."""
    data = _load_yaml(text, origin)
    if not isinstance(data, dict) or not isinstance(data.get("sources"), list):
        raise ConfigError(f"{origin}: expected a top-level 'sources:' list")
    sources: list[Source] = []
    seen: set[str] = set()
    for index, raw in enumerate(data["sources"]):
        source = parse_source(raw, index)
        if source.name in seen:
            raise ConfigError(f"source {source.name!r}: field 'name' is a duplicate (sources[{index}])")
        seen.add(source.name)
        sources.append(source)
    return sources


def load_sources(path: Path | str) -> list[Source]:
    """Read the sources file (a regular file, at most MAX_SOURCES_BYTES, UTF-8) and parse it."""
    path = Path(path)
    try:
        if not path.is_file():  # a directory or a device (/dev/zero) would never end or never parse
            raise ConfigError(f"{path}: cannot read the sources file: not a regular file"
                              if path.exists() else f"{path}: cannot read the sources file: no such file")
        with path.open("rb") as handle:
            data = handle.read(MAX_SOURCES_BYTES + 1)  # never more than the cap, whatever the file grew to
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the sources file: {exc.strerror}") from None
    if len(data) > MAX_SOURCES_BYTES:
        raise ConfigError(f"{path}: the sources file is larger than {MAX_SOURCES_BYTES // 1024 // 1024} MiB")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: the sources file is not UTF-8 (byte {exc.start})") from None
    return parse_sources(text, str(path))
