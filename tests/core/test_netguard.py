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
