"""Rich renderings for the terminal: status, articles, clusters, failures."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from rich.console import Group
from rich.table import Table
from rich.text import Text

from workers.core.clock import utcnow
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


SPARK = "▁▂▃▄▅▆▇█"


def sparkline(values: list[int]) -> str:
    """One character per minute, scaled to the busiest minute."""
    top = max(values or [0])
    if not top:
        return SPARK[0] * len(values)
    return "".join(SPARK[min(len(SPARK) - 1, round(v / top * (len(SPARK) - 1)))] for v in values)


def _queues_table(status: dict[str, Any]) -> Table:
    table = Table(title="Queues", title_justify="left")
    for col in ("queue", "outstanding", "waiting", "running", "retrying", "oldest job"):
        table.add_column(col, justify="left" if col == "queue" else "right")
    for name, depth in status["queues"].items():
        d = status["queue_details"].get(name, {})
        age = d.get("oldest_age_seconds")
        waiting = "—" if d.get("in_broker") is None else str(d["in_broker"])
        style = "yellow" if age is not None and age > 300 else ""
        table.add_row(name, Text(str(depth), style="bold" if depth else "dim"), waiting, str(d.get("running", 0)),
                      str(d.get("retrying", 0)), Text(ago_seconds(age), style=style))
    return table


def _workers_table(status: dict[str, Any]) -> Table:
    workers = status["workers"]
    table = Table(title=f"Workers ({len(workers)} online)", title_justify="left")
    for col in ("name", "queues", "active", "processed", "running now", "last seen"):
        table.add_column(col, overflow="fold")
    for w in workers:
        current = w.get("current") or {}
        doing = ""
        if current:
            doing = f"{current.get('task', '').removeprefix('akhbar.')} {current.get('url') or current.get('source')}" \
                    f" ({ago(current.get('since')).removesuffix(' ago')})"
        table.add_row(w["name"], w["queues"], str(w["active"]), str(w["processed"]), doing[:90],
                      ago(w["last_seen"]))
    if not workers:
        table.add_row(Text("no worker has reported in the last 30 s", style="red"), "", "", "", "", "")
    return table


def _throughput_line(status: dict[str, Any]) -> Text:
    tp = status.get("throughput", {})
    per = tp.get("per_minute", {})
    line = Text("Throughput ", style="bold")
    line.append(f"last {tp.get('window_minutes', 0)} min  jobs ")
    line.append(sparkline([a + b for a, b in zip(per.get("done", []), per.get("failed", []), strict=False)]),
                style="cyan")
    line.append(f"  {tp.get('jobs_per_minute', 0)}/min   articles ")
    line.append(sparkline(per.get("published", [])), style="green")
    line.append(f"  {tp.get('articles_last_hour', 0)} in the last hour, {status.get('articles_total', 0)} stored,"
                f" {status.get('failures', 0)} failures kept")
    return line


def _sources_table(status: dict[str, Any]) -> Table:
    sources = status["sources"]
    bad = sum(1 for s in sources if s["state"] != "ok")
    table = Table(title=f"Sources ({len(sources)}, {bad} not ok)", title_justify="left")
    for col in ("source", "state", "last success", "next due", "fails", "24h", "total", "last error"):
        table.add_column(col, overflow="fold", justify="right" if col in ("fails", "24h", "total") else "left")
    for s in sources:
        error = s.get("last_error") or {}
        message = ""
        if error and (s["consecutive_failures"] or s["state"] != "ok"):
            status_code = f" {error['status']}" if error.get("status") else ""
            message = f"{error.get('kind')}{status_code}: {error.get('message')}"
        elif s["state"] == "disabled":
            message = s.get("disabled_reason") or ""
        fails = Text(str(s["consecutive_failures"]), style="red" if s["consecutive_failures"] else "")
        table.add_row(s["name"], Text(s["state"], style=STATE_STYLE.get(s["state"], "")),
                      ago(s["last_success_at"]), ago(s["next_due_at"]), fails,
                      str(s.get("articles_24h", 0)), str(s["articles"]), message[:100])
    return table


def ago_seconds(age: float | None) -> str:
    """An age in seconds as '42s' / '3m' / '2h'; '—' for none."""
    if age is None:
        return "—"
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if age >= size:
            return f"{int(age // size)}{unit}"
    return f"{int(age)}s"


def status_view(status: dict[str, Any]) -> Group:
    """Queues, workers, throughput and sources: what `akhbar status` prints."""
    return Group(_queues_table(status), _workers_table(status), _throughput_line(status), Text(""),
                 _sources_table(status))


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
