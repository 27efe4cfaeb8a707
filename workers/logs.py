"""Logging: one line per job outcome (source, URL, result, duration), plain or JSON as settings ask."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable
from datetime import UTC, datetime

LOGGER = logging.getLogger("akhbar")
OutcomeSink = Callable[..., None]
_SINKS: list[OutcomeSink] = []


class JSONFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        data = {"at": datetime.fromtimestamp(record.created, UTC).isoformat(), "level": record.levelname,
                "logger": record.name, "message": record.getMessage()}
        data.update(getattr(record, "fields", {}))
        if record.exc_info:
            data["exception"] = self.formatException(record.exc_info)
        return json.dumps(data, ensure_ascii=False)


def configure_logging(json_lines: bool, level: str = "INFO") -> None:
    """akhbar's loggers to stderr, plain or JSON, with every URL password masked (RedactingFormatter)."""
    from config.redact import RedactingFormatter

    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(RedactingFormatter(JSONFormatter() if json_lines else logging.Formatter(
        "%(asctime)s %(levelname)s %(name)s %(message)s")))
    root = logging.getLogger("akhbar")
    root.handlers[:] = [handler]
    root.setLevel(level)
    root.propagate = False


def log_outcome(job: str, *, source: str | None, url: str | None, result: str, duration: float,
                **extra: object) -> None:
    """The one line per job an operator greps for."""
    fields = {"job": job, "source": source, "url": url, "result": result,
              "duration_ms": round(duration * 1000, 1), **extra}
    detail = " ".join(f"{k}={v}" for k, v in extra.items() if v is not None)
    LOGGER.info("%s source=%s url=%s result=%s duration=%.0fms %s", job, source, url, result,
                duration * 1000, detail, extra={"fields": fields})
    for sink in _SINKS:
        try:
            sink(job, source=source, url=url, result=result, duration=duration, **extra)
        except Exception as exc:  # metrics being away must never fail the job they describe
            LOGGER.warning("outcome not recorded by %s: %s", getattr(sink, "__name__", sink), exc)


def add_outcome_sink(sink: OutcomeSink) -> None:
    """Hand every job outcome to sink as well (the fleet-wide metrics); registered once per process."""
    if sink not in _SINKS:
        _SINKS.append(sink)
