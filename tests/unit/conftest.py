"""The unit tier's fixtures: use cases over the in-memory fakes (tests/fakes.py) and a site on httpx.MockTransport."""

from __future__ import annotations

from dataclasses import dataclass, field

import httpx
import pytest

from config.settings import Settings
from tests.fakes import FakeDeps, mock_fetcher

HOST = "localhost"  # resolved from /etc/hosts (no DNS); allowed past the private-address block below
BASE = f"http://{HOST}"


@dataclass
class MockSite:
    """Canned responses by path for one host; every request it saw, in order."""

    routes: dict[str, tuple[int, dict[str, str], bytes]] = field(default_factory=dict)
    requests: list[httpx.Request] = field(default_factory=list)

    def route(self, path: str, status: int = 200, body: bytes = b"", **headers: str) -> None:
        self.routes[path] = (status, {k.replace("_", "-"): v for k, v in headers.items()}, body)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        found = self.routes.get(request.url.path)
        if found is None:
            return httpx.Response(404, stream=httpx.ByteStream(b"not found"))
        status, headers, body = found
        if headers.get("etag") and request.headers.get("if-none-match") == headers["etag"]:
            return httpx.Response(304, headers={"etag": headers["etag"]})
        # a stream, not content=: the fetcher reads the body as it arrives (iter_raw), as from a socket
        return httpx.Response(status, headers=headers, stream=httpx.ByteStream(body))


@pytest.fixture
def settings() -> Settings:
    return Settings(store_url="sqlite:///:memory:", broker_url="memory://", allow_hosts=[HOST],
                    min_interval=60, max_interval=6 * 3600)


@pytest.fixture
def site() -> MockSite:
    return MockSite()


@pytest.fixture
def deps(settings: Settings, site: MockSite) -> FakeDeps:
    """What a use case sees, every port faked in memory; the fetcher is the real one over the mock site."""
    return FakeDeps(settings=settings, fetcher=mock_fetcher(site, [HOST]))
