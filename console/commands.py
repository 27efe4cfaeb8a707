"""`akhbar sources …` and `akhbar failures …`: editing what the scheduler sees, replaying dead letters.

`console/cli.py` adds these two groups to the `akhbar` command explicitly."""

from __future__ import annotations

import json
from enum import StrEnum

import typer
from rich.table import Table

from config.redact import redact
from console.cells import Cell
from console.terminal import console, fail, open_runtime
from workers.core.errors import AkhbarError, ConfigError


class SourceKind(StrEnum):
    feed = "feed"
    sitemap = "sitemap"
    page = "page"


sources_app = typer.Typer(help="The sources the scheduler polls (file and run-time).", no_args_is_help=True)
failures_app = typer.Typer(help="Jobs that exhausted their retries (dead letters).", no_args_is_help=True)


@sources_app.command("list")
def sources_list(as_json: bool = typer.Option(False, "--json", help="print a JSON list instead of a table")) -> None:
    """Every source the scheduler sees, from the file and added at run time."""
    from config.redact import redact_value
    from console.rows import row_dicts

    rt = open_runtime()
    rows = redact_value(row_dicts(rt.sources.all()))  # a source URL may carry user:password@
    if as_json:
        print(json.dumps(rows, default=str, ensure_ascii=False, indent=2))
        return
    table = Table(title=f"{len(rows)} sources", title_justify="left")
    for col in ("name", "kind", "origin", "enabled", "interval", "url"):  # a long URL ends in … (--json: whole)
        table.add_column(col, no_wrap=col != "url")  # names whole: they are what `sources disable` takes
    for r in rows:
        table.add_row(r["name"], r["kind"], r["origin"], "yes" if r["enabled"] else "no",
                      f"{r['interval']}s", Cell(r["url"], max_lines=1))
    console.print(table)


@sources_app.command("add")
def sources_add(url: str = typer.Argument(..., help="the feed, sitemap or section page (or a homepage: --discover)"),
                name: str | None = typer.Option(None, help="the source's name (default: the URL's host)"),
                kind: SourceKind = typer.Option("feed", help="feed: RSS or Atom (detected); sitemap: a (news) "
                                                "sitemap; page: a section page whose article links are followed"),
                interval: str = typer.Option("15m", help="shortest time between polls, e.g. 90s, 15m, 2h"),
                discover: bool = typer.Option(
                    True, help="for a homepage URL, add the feeds it advertises")) -> None:
    """Add a source at run time (kept in the store beside the sources file); no restart needed."""
    from urllib.parse import urlsplit

    from config.sources import parse_source
    from workers.core.pages import discover_feeds

    rt = open_runtime()
    targets = [(url, name)]
    if discover and kind == "feed":
        try:
            # the operator asked for this very URL, as with a configured feed: robots.txt does not apply
            result = rt.fetcher.fetch(url, accept="page", obey_robots=False)
            if b"<html" in result.body[:4096].lower():
                from workers.core.extract import decode_html

                found = discover_feeds(decode_html(result.body, result.headers), result.url)
                if not found:
                    fail(f"{url} is a page that advertises no RSS or Atom feed")
                targets = [(f, None) for f, _ in found]
        except AkhbarError as exc:
            fail(f"could not fetch {url}: {exc.message}")
    for index, (feed_url, given) in enumerate(targets):
        source_name = given or name or urlsplit(feed_url).hostname or "source"
        if len(targets) > 1:
            source_name = f"{name or urlsplit(feed_url).hostname}-{index + 1}"
        try:
            source = parse_source({"name": source_name, "url": feed_url, "kind": str(kind), "interval": interval}, 0)
            if rt.sources.get(source.name):
                raise ConfigError(f"source {source.name!r}: field 'name' is a duplicate")
            rt.sources.add(source)
        except ConfigError as exc:
            fail(exc.message)
        console.print(f"added source [bold]{source.name}[/] → {redact(feed_url)}")  # journal-safe


@sources_app.command("disable")
def sources_disable(name: str = typer.Argument(..., help="the source's name (akhbar sources list)"),
                    reason: str = typer.Option("disabled by operator", help="shown in status and on the dashboard")
                    ) -> None:
    """Stop polling a source until `akhbar sources enable` (the running scheduler sees it at its next tick)."""
    rt = open_runtime()
    if not rt.sources.set_enabled(name, False, reason):
        fail(f"no source named {name!r}")
    console.print(f"disabled {name}")


@sources_app.command("enable")
def sources_enable(name: str = typer.Argument(..., help="the source's name (akhbar sources list)")) -> None:
    """Poll a disabled source again, starting now."""
    rt = open_runtime()
    if not rt.sources.set_enabled(name, True):
        fail(f"no source named {name!r}")
    console.print(f"enabled {name}; it is due now")


@sources_app.command("remove")
def sources_remove(name: str = typer.Argument(..., help="the run-time source's name")) -> None:
    """Remove a run-time source (file sources are removed by editing the file)."""
    rt = open_runtime()
    row = rt.sources.get(name)
    if row is None:
        fail(f"no source named {name!r}")
    if row.origin == "file":
        fail(f"{name!r} comes from the sources file; remove it there, or `akhbar sources disable {name}`")
    rt.sources.remove(name)
    console.print(f"removed {name}")


@failures_app.command("list")
def failures_list(as_json: bool = typer.Option(False, "--json", help="print a JSON list instead of a table"),
                  limit: int = typer.Option(200, help="at most this many, newest first")) -> None:
    """Jobs kept after exhausting their retries: id, time, source, URL, error and tries."""
    from config.redact import redact_value
    from console.rows import row_dicts
    from console.views import failures_table

    rt = open_runtime()
    rows = redact_value(row_dicts(rt.ledger.failures(limit)))  # job URLs and error texts may carry a password
    if as_json:
        print(json.dumps(rows, default=str, ensure_ascii=False, indent=2))
    else:
        console.print(failures_table(rows))


@failures_app.command("retry")
def failures_retry(failure_id: int | None = typer.Argument(None, help="the failure's id (akhbar failures list)"),
                   all_: bool = typer.Option(False, "--all", help="every kept failure instead of one")) -> None:
    """Queue failed jobs again on the manual lane; the record is removed once re-queued."""
    from console.replay import retry_failure

    rt = open_runtime()
    if all_ == (failure_id is not None):
        fail("give a failure ID or --all")
    ids = [f.id for f in rt.ledger.failures(10**6)] if failure_id is None else [failure_id]  # None: --all
    for fid in ids:
        if not retry_failure(rt, int(fid)):
            fail(f"no failure with id {fid}")
    console.print(f"re-queued {len(ids)} failed job(s) on the manual lane")


@failures_app.command("drop")
def failures_drop(failure_id: int = typer.Argument(..., help="the failure's id (akhbar failures list)")) -> None:
    """Forget one kept failure without retrying it."""
    rt = open_runtime()
    if not rt.ledger.drop_failure(failure_id):
        fail(f"no failure with id {failure_id}")
    console.print(f"dropped failure {failure_id}")


