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


def _literal_ip(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The address a host names without DNS, in every spelling a resolver accepts (2130706433, 0x7f.1)."""
    host = host.strip("[]").rstrip(".")
    try:
        return ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        pass
    parts = host.split(".")
    if not 1 <= len(parts) <= 4:
        return None
    try:
        numbers = [int(p, 16) if p.lower().startswith("0x") else int(p, 8) if len(p) > 1 and p.startswith("0")
                   else int(p) for p in parts]
    except ValueError:
        return None
    # inet_aton rules: the last part fills the remaining bytes.
    *head, last = numbers
    if any(n > 255 for n in head) or last >= 256 ** (4 - len(head)):
        return None
    value = 0
    for n in head:
        value = value * 256 + n
    value = value * 256 ** (4 - len(head)) + last
    return ipaddress.IPv4Address(value)


def literal_refusal(host: str, port: int | None, allow_hosts: list[str]) -> str | None:
    """Why a host is refused before any DNS lookup: a non-public IP literal or `localhost`, not allow-listed."""
    if host_allowed(host, port, allow_hosts):
        return None
    lowered = host.lower().rstrip(".")
    if lowered == "localhost" or lowered.endswith(".localhost"):
        return f"{host} is a loopback name"
    ip = _literal_ip(lowered)
    return address_refusal(str(ip)) if ip is not None else None
