"""Rich renderings for the terminal: status, articles, clusters, failures."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from rich.console import Group
from rich.table import Table
from rich.text import Text

from workers.adapters.schema import utcnow
from workers.core.models import Article

STATE_STYLE = {"ok": "green", "backoff": "yellow", "disabled": "red"}


def ago(value: str | datetime | None) -> str:
    """'3m ago' / 'in 2h' for a timestamp; '—' for none."""
    if not value:
        return "—"
    when = datetime.fromisoformat(value) if isinstance(value, str) else value
    seconds = (utcnow() - when).total_seconds()
    future, seconds = seconds < 0, abs(seconds)
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size:
            text = f"{int(seconds // size)}{unit}"
            break
    else:
        text = f"{int(seconds)}s"
    return f"in {text}" if future else f"{text} ago"


def status_view(status: dict[str, Any]) -> Group:
    queues = Table(title="Queues", title_justify="left")
    for col in ("queue", "outstanding", "in broker", "retrying", "oldest"):
        queues.add_column(col, justify="right" if col != "queue" else "left")
    for name, depth in status["queues"].items():
        d = status["queue_details"].get(name, {})
        age = d.get("oldest_age_seconds")
        queues.add_row(name, str(depth), "—" if d.get("in_broker") is None else str(d["in_broker"]),
                       str(d.get("retrying", 0)), f"{age:.0f}s" if age is not None else "—")
    workers = Table(title=f"Workers ({len(status['workers'])} online)", title_justify="left")
    for col in ("name", "queues", "active", "processed", "last seen"):
        workers.add_column(col)
    for w in status["workers"]:
        workers.add_row(w["name"], w["queues"], str(w["active"]), str(w["processed"]), ago(w["last_seen"]))
    tp = status.get("throughput", {})
    sources = Table(title=f"Sources — {status.get('articles_total', 0)} articles stored, "
                          f"{tp.get('jobs_per_minute', 0)} jobs/min over {tp.get('window_minutes', 5)} min",
                    title_justify="left")
    for col in ("source", "state", "last success", "next due", "fails", "24h", "total", "last error"):
        sources.add_column(col, overflow="fold")
    for s in status["sources"]:
        error = s.get("last_error") or {}
        message = f"{error.get('kind')}: {error.get('message')}" if error and s["consecutive_failures"] else ""
        sources.add_row(s["name"], Text(s["state"], style=STATE_STYLE.get(s["state"], "")),
                        ago(s["last_success_at"]), ago(s["next_due_at"]), str(s["consecutive_failures"]),
                        str(s.get("articles_24h", 0)), str(s["articles"]), message[:80])
    return Group(queues, workers, sources)


def articles_table(articles: list[Article]) -> Table:
    table = Table(title=f"{len(articles)} articles", title_justify="left", show_lines=False)
    for col in ("published", "source", "title", "tags", "original", "cluster", "rev"):
        table.add_column(col, overflow="fold")
    for a in articles:
        published = a.published_at.strftime("%Y-%m-%d %H:%M%z") if a.published_at else "—"
        cluster = "" if not a.duplicate_of else f"dup of {a.duplicate_of[:8]}"
        table.add_row(published, a.source, a.title[:90], "، ".join(a.tags[:4]), a.original_source or "",
                      cluster, str(a.revision))
    return table


def clusters_table(clusters: list[dict[str, Any]]) -> Table:
    table = Table(title=f"{len(clusters)} clusters", title_justify="left")
    for col in ("cluster", "members", "outlets", "title", "last stored"):
        table.add_column(col, overflow="fold")
    for c in clusters:
        table.add_row(c["cluster_id"][:10], str(c["members"]), ", ".join(c["sources"]), c["title"][:80],
                      ago(c["last_at"]))
    return table


def failures_table(rows: list[dict[str, Any]]) -> Table:
    table = Table(title=f"{len(rows)} failures", title_justify="left")
    for col in ("id", "when", "source", "url", "error", "tries"):
        table.add_column(col, overflow="fold")
    for f in rows:
        table.add_row(str(f["id"]), ago(f["at"]), f["source"] or "", (f["url"] or "")[:70],
                      f"{f['error_kind']}: {f['message'][:60]}", str(f["attempts"]))
    return table
