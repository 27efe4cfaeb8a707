#!/usr/bin/env bash
# Start the local Redis and PostgreSQL the integration tests use, when installed but not running.
# Tests that need a server that is not installed skip with a message naming it.
set -u
if command -v redis-cli >/dev/null && ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  if command -v redis-server >/dev/null; then
    mkdir -p /tmp/akhbar-redis
    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
      --dir /tmp/akhbar-redis --logfile /tmp/akhbar-redis/redis.log && echo "started redis-server"
  fi
fi
if command -v pg_isready >/dev/null && ! pg_isready -h 127.0.0.1 -p 5432 -q; then
  if command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start \
      && echo "started postgresql"
  elif command -v service >/dev/null; then
    service postgresql start || true
  fi
  for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
fi
# Browser tests drive Debian's Chromium; install it when we may (root with apt), else they skip.
if ! command -v chromium >/dev/null && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null \
   && [ "${AKHBAR_NO_APT:-}" = "" ]; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
    || echo "could not install chromium; browser tests will skip"
fi
exit 0
