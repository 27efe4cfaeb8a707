"""`akhbar sources …` and `akhbar failures …`: editing what the scheduler sees, replaying dead letters.

`console/cli.py` adds these two groups to the `akhbar` command explicitly."""

from __future__ import annotations

import json

import typer
from rich.table import Table

from config.redact import redact
from console.terminal import console, fail, open_runtime
from workers.core.errors import AkhbarError, ConfigError

sources_app = typer.Typer(help="The sources the scheduler polls (file and run-time).", no_args_is_help=True)
failures_app = typer.Typer(help="Jobs that exhausted their retries (dead letters).", no_args_is_help=True)


@sources_app.command("list")
def sources_list(as_json: bool = typer.Option(False, "--json")) -> None:
    """Every source the scheduler sees, from the file and added at run time."""
    from config.redact import redact_value

    rt = open_runtime()
    rows = redact_value(rt.store.list_sources())  # a source URL may carry user:password@
    if as_json:
        print(json.dumps(rows, default=str, ensure_ascii=False, indent=2))
        return
    table = Table(title=f"{len(rows)} sources", title_justify="left")
    for col in ("name", "kind", "origin", "enabled", "interval", "url"):
        table.add_column(col, overflow="fold")
    for r in rows:
        table.add_row(r["name"], r["kind"], r["origin"], "yes" if r["enabled"] else "no",
                      f"{r['interval']}s", r["url"])
    console.print(table)


@sources_app.command("add")
def sources_add(url: str, name: str | None = typer.Option(None), kind: str = typer.Option("feed"),
                interval: str = typer.Option("15m"), discover: bool = typer.Option(
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
            source = parse_source({"name": source_name, "url": feed_url, "kind": kind, "interval": interval}, 0)
            if rt.store.get_source(source.name):
                raise ConfigError(f"source {source.name!r}: field 'name' is a duplicate")
            rt.store.add_source(source)
        except ConfigError as exc:
            fail(exc.message)
        console.print(f"added source [bold]{source.name}[/] → {redact(feed_url)}")  # journal-safe


@sources_app.command("disable")
def sources_disable(name: str, reason: str = typer.Option("disabled by operator")) -> None:
    rt = open_runtime()
    if not rt.store.set_source_enabled(name, False, reason):
        fail(f"no source named {name!r}")
    console.print(f"disabled {name}")


@sources_app.command("enable")
def sources_enable(name: str) -> None:
    rt = open_runtime()
    if not rt.store.set_source_enabled(name, True):
        fail(f"no source named {name!r}")
    console.print(f"enabled {name}; it is due now")


@sources_app.command("remove")
def sources_remove(name: str) -> None:
    """Remove a run-time source (file sources are removed by editing the file)."""
    rt = open_runtime()
    row = rt.store.get_source(name)
    if row is None:
        fail(f"no source named {name!r}")
    if row["origin"] == "file":
        fail(f"{name!r} comes from the sources file; remove it there, or `akhbar sources disable {name}`")
    rt.store.remove_source(name)
    console.print(f"removed {name}")


@failures_app.command("list")
def failures_list(as_json: bool = typer.Option(False, "--json"), limit: int = typer.Option(200)) -> None:
    from config.redact import redact_value
    from console.views import failures_table

    rt = open_runtime()
    rows = redact_value(rt.store.list_failures(limit))  # job URLs and error texts may carry a password
    if as_json:
        print(json.dumps(rows, default=str, ensure_ascii=False, indent=2))
    else:
        console.print(failures_table(rows))


@failures_app.command("retry")
def failures_retry(failure_id: int | None = typer.Argument(None),
                   all_: bool = typer.Option(False, "--all")) -> None:
    """Queue failed jobs again on the manual lane; the record is removed once re-queued."""
    from console.replay import retry_failure

    rt = open_runtime()
    if all_ == (failure_id is not None):
        fail("give a failure ID or --all")
    ids = [f["id"] for f in rt.store.list_failures(10**6)] if all_ else [failure_id]
    for fid in ids:
        if not retry_failure(rt, int(fid)):
            fail(f"no failure with id {fid}")
    console.print(f"re-queued {len(ids)} failed job(s) on the manual lane")


@failures_app.command("drop")
def failures_drop(failure_id: int) -> None:
    rt = open_runtime()
    if not rt.store.drop_failure(failure_id):
        fail(f"no failure with id {failure_id}")
    console.print(f"dropped failure {failure_id}")


