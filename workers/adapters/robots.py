"""robots.txt: fetched once per origin, cached where every worker sees it, read with protego."""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from protego import Protego

from workers.core.errors import RobotsDisallowedError, TransientFetchError

OK_TTL = 24 * 3600  # RFC 9309 §2.4: a cached robots.txt should not be used past 24 hours
UNAVAILABLE_TTL = 600  # a 5xx or unreachable robots.txt means "disallow all", but only for a while
MAX_CRAWL_DELAY = 60.0  # a site's Crawl-delay above this would starve its own feed; cap it
MAX_ROBOTS_BYTES = 500 * 1024  # RFC 9309 §2.5: at least 500 KiB must be parsed


@dataclass(frozen=True, slots=True)
class RobotsEntry:
    """What we know of one origin's robots.txt: state is ok (with body), allow_all or unavailable."""

    state: str
    body: str = ""
    note: str = ""


# fetch_robots(robots_url) -> RobotsEntry; the fetcher provides it, with its own SSRF guard and limits.
RobotsFetch = Callable[[str], RobotsEntry]


class RobotsCache:
    """Where entries live: a Redis key per origin with a TTL, or a JSON file per origin under data_dir."""

    def __init__(self, *, redis_client: Any | None = None, directory: Path | None = None,
                 prefix: str = "akhbar:robots") -> None:
        self.redis = redis_client
        self.directory = Path(directory) if directory else None
        self.prefix = prefix

    def get(self, origin: str) -> RobotsEntry | None:
        if self.redis is not None:
            raw = self.redis.get(f"{self.prefix}:{origin}")
            return RobotsEntry(**json.loads(raw)) if raw else None
        path = self._path(origin)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if data.pop("expires_at", 0) < time.time():
            return None
        return RobotsEntry(**data)

    def put(self, origin: str, entry: RobotsEntry, ttl: int) -> None:
        data = {"state": entry.state, "body": entry.body, "note": entry.note}
        if self.redis is not None:
            self.redis.set(f"{self.prefix}:{origin}", json.dumps(data), ex=ttl)
            return
        path = self._path(origin)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps({**data, "expires_at": time.time() + ttl}), encoding="utf-8")
        os.replace(tmp, path)  # atomic: another process reads the old file or the new one, never half

    def _path(self, origin: str) -> Path:
        assert self.directory is not None
        self.directory.mkdir(parents=True, exist_ok=True)
        return self.directory / (hashlib.sha1(origin.encode()).hexdigest()[:24] + ".json")


def origin_of(url: str) -> str:
    """scheme://host[:port]: robots.txt applies per origin (RFC 9309 §2.3)."""
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.rsplit('@', 1)[-1].lower()}"


class RobotsPolicy:
    """Answers "may this URL be fetched, and how slowly" for one user agent."""

    def __init__(self, cache: RobotsCache, user_agent: str) -> None:
        self.cache = cache
        self.user_agent = user_agent

    def entry(self, url: str, fetch: RobotsFetch) -> RobotsEntry:
        origin = origin_of(url)
        entry = self.cache.get(origin)
        if entry is None:
            entry = fetch(origin + "/robots.txt")
            self.cache.put(origin, entry, UNAVAILABLE_TTL if entry.state == "unavailable" else OK_TTL)
        return entry

    def check(self, url: str, fetch: RobotsFetch) -> float:
        """The Crawl-delay that applies (0 when none); raises RobotsDisallowedError or, robots unreachable,
        TransientFetchError so the page is tried again later rather than fetched blind."""
        entry = self.entry(url, fetch)
        if entry.state == "allow_all":
            return 0.0
        if entry.state == "unavailable":
            raise TransientFetchError(f"robots.txt of {origin_of(url)} is unavailable ({entry.note}); "
                                      "pages there wait until it answers", url=url, retry_after=UNAVAILABLE_TTL)
        rules = Protego.parse(entry.body)
        if not rules.can_fetch(url, self.user_agent):
            raise RobotsDisallowedError(f"robots.txt of {origin_of(url)} disallows this URL for our user agent",
                                        url=url)
        return min(float(rules.crawl_delay(self.user_agent) or 0.0), MAX_CRAWL_DELAY)

    def cached_delay(self, url: str) -> float:
        """Crawl-delay from a cached robots.txt, without fetching one (for feeds, which skip robots)."""
        entry = self.cache.get(origin_of(url))
        if entry is None or entry.state != "ok":
            return 0.0
        return min(float(Protego.parse(entry.body).crawl_delay(self.user_agent) or 0.0), MAX_CRAWL_DELAY)


def build_robots(settings: Any, redis_client: Any | None) -> RobotsPolicy:
    """Shared cache: Redis when the fleet has one, else files under data_dir."""
    cache = RobotsCache(redis_client=redis_client,
                        directory=None if redis_client is not None else Path(settings.data_dir) / "robots")
    return RobotsPolicy(cache, settings.user_agent)
