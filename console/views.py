"""Rich renderings for the terminal: status, articles, clusters, failures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.table import Table
from rich.text import Text

from console.cells import Cell, Column, fit_columns
from workers.core.clock import utcnow
from workers.core.models import Article
from workers.core.rows import ClusterRow

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
        table.add_column(col, overflow="fold" if col in ("name", "queues") else "ellipsis",
                         no_wrap=col not in ("name", "queues"))
    for w in workers:
        current = w.get("current") or {}
        doing = ""
        if current:
            doing = f"{current.get('task', '').removeprefix('akhbar.')} {current.get('url') or current.get('source')}" \
                    f" ({ago(current.get('since')).removesuffix(' ago')})"
        table.add_row(w["name"], w["queues"], str(w["active"]), str(w["processed"]), doing,
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
        table.add_column(col, no_wrap=col != "last error" and col != "source",
                         justify="right" if col in ("fails", "24h", "total") else "left")
    for s in sources:
        error = s.get("last_error") or {}
        message = ""
        if error and (s["consecutive_failures"] or s["state"] != "ok"):
            status_code = f" {error['status']}" if error.get("status") else ""
            message = f"{error.get('kind')}{status_code}: {error.get('message')}"
        elif s["state"] == "disabled":
            message = s.get("disabled_reason") or ""
        fails = Text(str(s["consecutive_failures"]), style="red" if s["consecutive_failures"] else "")
        table.add_row(Cell(s["name"], max_lines=2), Text(s["state"], style=STATE_STYLE.get(s["state"], "")),
                      ago(s["last_success_at"]), ago(s["next_due_at"]), fails,
                      str(s.get("articles_24h", 0)), str(s["articles"]), Cell(message, max_lines=3))
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
    parts: list[RenderableType] = [_queues_table(status), _workers_table(status), _throughput_line(status), Text(""),
                                   _sources_table(status)]
    if status.get("mode") == "embedded":
        parts.append(Text(EMBEDDED_NOTE, style="dim"))
    return Group(*parts)


# The embedded broker (kombu's SQLAlchemy transport) carries no broadcast or events: Celery's remote control
# and Flower cannot reach its workers. They report to the store instead, which is what status shows.
EMBEDDED_NOTE = ("embedded mode: workers report here, on the dashboard and in /metrics; `celery status`, "
                 "`celery inspect` and Flower see none (they need the Redis broker: AKHBAR_BROKER_URL=redis://…)")


ARTICLE_COLUMNS = (  # what `akhbar articles` shows, and what goes first on a narrow terminal (lowest priority)
    Column("id", 8, 9), Column("published (UTC)", 16, 8), Column("source", 8, 6), Column("title", 20, 10),
    Column("tags", 12, 4), Column("original", 10, 2), Column("dup of", 8, 7), Column("rev", 3, 1),
)
SHORT_ID = 8  # ids are 32 hex digits; 8 tell apart any table a terminal shows


@dataclass
class ArticlesTable:
    """The articles as a table sized to the terminal at render time: columns that do not fit are left out
    (said in the caption), so no date, number, id or URL is ever split across lines."""

    articles: list[Article]

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        source_width = min(14, max([cell_len(a.source) for a in self.articles] + [len("source")]))
        columns = [Column(c.name, source_width, c.priority) if c.name == "source" else c for c in ARTICLE_COLUMNS]
        names = [c.name for c in fit_columns(columns, options.max_width)]
        hidden = [c.name for c in ARTICLE_COLUMNS if c.name not in names]
        caption = f"hidden at this width: {', '.join(hidden)} (--format jsonl shows every field)" if hidden else None
        table = Table(title=f"{len(self.articles)} articles", title_justify="left", caption=caption,
                      caption_justify="left")
        widths = _flexible_widths(self.articles, [c for c in columns if c.name in names], options.max_width)
        for col in columns:
            if col.name not in names:
                continue
            if col.name in widths:  # free text, folded by word, at a width set here (Rich never squeezes it)
                table.add_column(col.name, width=widths[col.name])
            else:  # one token each: never wrapped, never wider than it needs
                table.add_column(col.name, min_width=col.min_width, max_width=col.min_width, no_wrap=True,
                                 overflow="ellipsis", justify="right" if col.name == "rev" else "left")
        for a in self.articles:
            published = a.published_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M") if a.published_at else "—"
            values: dict[str, str | Cell] = {
                "id": a.id[:SHORT_ID], "published (UTC)": published, "source": Cell(a.source, max_lines=1),
                "title": Cell(a.title, max_lines=4), "tags": Cell("، ".join(a.tags[:4]), max_lines=3),
                "original": Cell(a.original_source or "", max_lines=2),
                "dup of": (a.duplicate_of or "")[:SHORT_ID], "rev": str(a.revision)}
            table.add_row(*(values[n] for n in names))
        yield table


FLEXIBLE = ("title", "tags", "original")  # in the order spare width goes to them


def _flexible_widths(articles: list[Article], shown: list[Column], width: int) -> dict[str, int]:
    """Widths for the free-text columns: each its least, then what is left to the title, the tags and the
    attribution in turn, each up to its longest value; the fixed columns keep theirs, so the table fits."""
    fixed = sum(c.min_width + 3 for c in shown if c.name not in FLEXIBLE) + 1
    flexible = [c for c in shown if c.name in FLEXIBLE]
    widths = {c.name: c.min_width for c in flexible}
    spare = width - fixed - sum(c.min_width + 3 for c in flexible)
    longest = {"title": max([cell_len(a.title) for a in articles] + [0]),
               "tags": max([cell_len("، ".join(a.tags[:4])) for a in articles] + [0]),
               "original": max([cell_len(a.original_source or "") for a in articles] + [0])}
    for name in FLEXIBLE:
        if name in widths and spare > 0:
            grow = max(0, min(spare, longest[name] - widths[name]))
            widths[name] += grow
            spare -= grow
    return widths


def articles_table(articles: list[Article]) -> ArticlesTable:
    """`akhbar articles`: short id, publication time, source, title, tags, attribution, cluster head, revision."""
    return ArticlesTable(articles)


def clusters_table(clusters: list[ClusterRow]) -> Table:
    table = Table(title=f"{len(clusters)} clusters", title_justify="left")
    table.add_column("cluster", no_wrap=True, min_width=SHORT_ID, max_width=SHORT_ID)
    table.add_column("members", no_wrap=True, justify="right")
    table.add_column("outlets")
    table.add_column("title")
    table.add_column("last stored", no_wrap=True)
    for c in clusters:
        table.add_row(c.cluster_id[:SHORT_ID], str(c.members), Cell(", ".join(c.sources), max_lines=3),
                      Cell(c.title, max_lines=4), ago(c.last_at))
    return table


def failures_table(rows: list[dict[str, Any]]) -> Table:
    """Dead letters; a URL too long for its column ends in an ellipsis (`--json` has it whole)."""
    table = Table(title=f"{len(rows)} failures", title_justify="left")
    table.add_column("id", no_wrap=True, justify="right")
    table.add_column("when", no_wrap=True)
    table.add_column("source", no_wrap=True, overflow="ellipsis", max_width=14)
    table.add_column("url", no_wrap=True, overflow="ellipsis")
    table.add_column("error")
    table.add_column("tries", no_wrap=True, justify="right")
    for f in rows:
        table.add_row(str(f["id"]), ago(f["at"]), f["source"] or "", f["url"] or "",
                      Cell(f"{f['error_kind']}: {f['message']}", max_lines=3), str(f["attempts"]))
    return table
