"""The summary `akhbar run --once` prints: what each source gave and what was stored."""

from __future__ import annotations

from collections import Counter

from rich.console import Console
from rich.table import Table

from config.redact import redact
from console.cells import Cell
from console.views import articles_table
from workers.runtime import Runtime


def print_run_summary(rt: Runtime, *, since_event: int, seconds: float, console: Console) -> None:
    events = rt.articles.events_since(since_event, limit=10**7)
    kinds = Counter(e.kind for e in events)
    table = Table(title="Sources", title_justify="left")
    for col in ("source", "state", "articles", "last error"):
        table.add_column(col, no_wrap=col in ("state", "articles"))
    counts = rt.sources.article_counts()
    sources = rt.sources.all()
    for s in sources:
        error = s.last_error or {}
        message = redact(f"{error.get('kind')}: {error.get('message')}") if s.consecutive_failures else ""
        table.add_row(Cell(s.name, max_lines=2), s.state if s.enabled else "disabled",
                      str(counts.get(s.name, 0)), Cell(message, max_lines=3))
    console.print(table)
    ok = sum(1 for s in sources if s.enabled and s.consecutive_failures == 0)
    console.print(f"run --once: {len(sources)} sources ({ok} ok), {kinds['published']} new and "
                  f"{kinds['updated']} updated articles, {rt.articles.count()} stored in all, "
                  f"{len(rt.ledger.failures())} failures kept, in {seconds:.1f}s", soft_wrap=True)


def print_articles(rt: Runtime, console: Console, limit: int = 50) -> None:
    console.print(articles_table(rt.articles.find(limit=limit)))
