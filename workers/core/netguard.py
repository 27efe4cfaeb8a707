"""Which addresses a fetch may reach: the SSRF policy as a pure function over resolved addresses."""

from __future__ import annotations

import ipaddress


def address_refusal(address: str) -> str | None:
    """Why an IP address is not a public internet address, or None when it may be fetched."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return f"{address!r} is not an IP address"
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    for label, flag in (("loopback", ip.is_loopback), ("private", ip.is_private),
                        ("link-local", ip.is_link_local), ("multicast", ip.is_multicast),
                        ("reserved", ip.is_reserved), ("unspecified", ip.is_unspecified)):
        if flag:
            return f"{ip} is a {label} address"
    if not ip.is_global:
        return f"{ip} is not a public address"
    return None


def host_allowed(host: str, port: int | None, allow_hosts: list[str]) -> bool:
    """AKHBAR_ALLOW_HOSTS entries are `host` (any port) or `host:port`."""
    host = host.lower().strip("[]")
    for entry in allow_hosts:
        entry = entry.lower()
        if entry.startswith("["):  # [::1]:8080
            name, _, rest = entry[1:].partition("]")
            entry_port = rest.lstrip(":") or None
        elif entry.count(":") == 1:
            name, entry_port = entry.split(":")
        else:
            name, entry_port = entry, None
        if name == host and (entry_port is None or (port is not None and entry_port == str(port))):
            return True
    return False
