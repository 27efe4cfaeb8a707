"""The SSRF policy over addresses (loopback only in tests, per the workplace rules)."""

from __future__ import annotations

import pytest

from workers.core.netguard import address_refusal, host_allowed


@pytest.mark.parametrize("address", ["127.0.0.1", "127.0.0.2", "::1", "::ffff:127.0.0.2", "0.0.0.0"])
def test_loopback_and_unspecified_are_refused(address: str) -> None:
    assert address_refusal(address)


def test_allow_list_entries_with_and_without_port() -> None:
    assert host_allowed("127.0.0.1", 8765, ["127.0.0.1:8765"])
    assert not host_allowed("127.0.0.1", 8766, ["127.0.0.1:8765"])
    assert host_allowed("127.0.0.1", 9999, ["127.0.0.1"])
    assert host_allowed("::1", 8080, ["[::1]:8080"])
    assert not host_allowed("127.0.0.2", 8765, ["127.0.0.1:8765"])


@pytest.mark.parametrize(("host", "refused"), [
    ("127.0.0.2", True), ("2130706433", True), ("0x7f.1", True), ("017700000001", True), ("127.1", True),
    ("10.1.2.3", True), ("169.254.169.254", True), ("::1", True), ("[::ffff:10.0.0.1]", True), ("localhost", True),
    ("api.localhost", True), ("224.0.0.1", True), ("example.com", False), ("8.8.8.8", False), ("news.test", False),
])
def test_literal_refusal_without_dns(host: str, refused: bool) -> None:
    from workers.core.netguard import literal_refusal

    assert bool(literal_refusal(host, None, [])) is refused
    bare = host.strip("[]")
    entry = f"[{bare}]:80" if ":" in bare else f"{bare}:80"
    assert literal_refusal(bare, 80, [entry]) is None  # the allow list wins
