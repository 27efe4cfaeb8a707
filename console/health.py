"""`python -m console.health SERVICE`: the container healthchecks of docker-compose.yml (exit 0: healthy).

scheduler  this host's scheduler holds the lease (renewed every tick; a standby waiting for it is not healthy)
worker     a worker process on this host reported to the store in the last 30 s (they report every 5 s)
api PORT   something answers HTTP on 127.0.0.1:PORT (any status: a 401 or 400 still means it is up)
"""

from __future__ import annotations

import socket
import sys


def scheduler_healthy(holder: str | None, hostname: str) -> bool:
    """Whether the lease holder ('host:pid:nonce') is a scheduler on this host."""
    return bool(holder) and str(holder).split(":", 1)[0] == hostname


def worker_healthy(hostnames: list[str], hostname: str) -> bool:
    return hostname in hostnames


def http_answers(port: int, timeout: float = 5.0) -> bool:
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", "/")
        return conn.getresponse().status > 0
    except OSError:
        return False
    finally:
        conn.close()


def check(service: str, args: list[str]) -> bool:
    """Run one service's check against the environment's settings and this container's host name."""
    if service == "api":
        return http_answers(int(args[0]) if args else 8000)
    from config.settings import get_settings
    from workers.runtime import Runtime

    rt = Runtime(get_settings())
    host = socket.gethostname()
    if service == "scheduler":
        from scheduler.lock import LOCK_NAME

        return scheduler_healthy(rt.fleet.lock_holder(LOCK_NAME), host)
    if service == "worker":
        return worker_healthy([w.hostname for w in rt.fleet.live_workers()], host)
    raise SystemExit(f"unknown service {service!r}: scheduler, worker or api PORT")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    ok = check(sys.argv[1], sys.argv[2:])
    print("healthy" if ok else "unhealthy")
    sys.exit(0 if ok else 1)
