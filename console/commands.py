"""`akhbar sources …`, `akhbar failures …` and `akhbar prune`: editing what the scheduler sees, replaying dead
letters, retention.

`console/cli.py` adds these two groups and the prune command to the `akhbar` command explicitly."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from enum import StrEnum
from typing import TYPE_CHECKING

import typer

from config.redact import redact
from console.cells import Cell
from console.terminal import console, err, fail, open_runtime
from workers.core.errors import AkhbarError, ConfigError

if TYPE_CHECKING:
    from datetime import datetime

    from workers.core.prune import PruneTally


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
    from rich.table import Table

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




PRUNE_HELP = (
    "Delete old articles (or, --keep-metadata, their bodies) in short batches; safe while the pipeline runs.\n\n"
    "Age is the time an article was stored, which akhbar sets itself, not its published_at, which the page "
    "claims: a hostile site could date its pages 2099 to be kept forever, and undated pages have none. URLs, "
    "claims, embeddings, same-story links, duplicate-index and search entries go with each article; clusters "
    "that lose members keep their id and get a new head (their earliest-published survivor).")


def prune(older_than: str = typer.Option(..., "--older-than", metavar="AGE",
                                         help="prune articles stored longer ago than this: 90d, 12h, 2w, 30m"),
          keep_metadata: bool = typer.Option(False, "--keep-metadata", help="keep the rows (id, URLs, title, "
                                             "source, dates, cluster) and strip only their text fields"),
          batch_size: str = typer.Option("100", "--batch-size", metavar="N", help="articles per transaction "
                                         "(1-10000): a publishing worker waits at most one batch"),
          dry_run: bool = typer.Option(False, "--dry-run", help="say what would go; change nothing"),
          as_json: bool = typer.Option(False, "--json", help="print one JSON object instead of a sentence")) -> None:
    """Delete old articles, or strip their bodies, in short batches (PRUNE_HELP says more)."""
    from workers.core.clock import utcnow
    from workers.core.prune import AgeError, parse_age

    try:
        age = parse_age(older_than)
    except AgeError as exc:
        fail(f"--older-than: {exc}")
    size = int(batch_size) if batch_size.strip().isascii() and batch_size.strip().isdigit() else 0
    if not 1 <= size <= 10_000:
        fail(f"--batch-size: {batch_size!r} is not a whole number from 1 to 10000")
    from workers.adapters.prune import Pruner

    rt = open_runtime()
    cutoff = utcnow() - age
    pruner = Pruner(rt.store, batch_size=size, keep_metadata=keep_metadata)
    tally = pruner.plan(cutoff) if dry_run else pruner.run(cutoff, _progress(keep_metadata))
    if as_json:
        print(json.dumps({"older_than": older_than, "cutoff": cutoff.isoformat(), **tally.as_dict()}, indent=2))
        return
    console.print(_pruned_sentence(tally, cutoff, keep_metadata), soft_wrap=True, highlight=False)


def _progress(keep_metadata: bool) -> Callable[[PruneTally, PruneTally], None]:
    """Per-batch progress on stderr, at most one line a second (a long run shows it is moving)."""
    last = [time.monotonic()]

    def show(batch: PruneTally, total: PruneTally) -> None:
        if time.monotonic() - last[0] < 1.0:
            return
        last[0] = time.monotonic()
        done = total.stripped if keep_metadata else total.deleted
        err.print(f"prune: batch {total.batches}: {done} {'stripped' if keep_metadata else 'deleted'} so far "
                  f"({batch.seconds * 1000:.0f} ms this batch)", soft_wrap=True, highlight=False)
    return show


def _pruned_sentence(tally: PruneTally, cutoff: datetime, keep_metadata: bool) -> str:
    """One line saying what a prune did (or, dry run, would do)."""
    would = "would " if tally.dry_run else ""
    if keep_metadata:
        what = f"{would}strip{'' if would else 'ped'} the bodies of {tally.stripped} articles"
        clusters = ""
    else:
        what = f"{would}delete{'' if would else 'd'} {tally.deleted} articles"
        lose, get = ("would lose", "would get") if would else ("lost", "got")
        clusters = f" ({tally.clusters_touched} clusters {lose} members, {tally.heads_moved} {get} a new head)"
    freed = f", {tally.bytes_freed / 1e6:.1f} MB of article data {'to free' if would else 'freed'}"
    timing = "" if would else \
        f" in {tally.batches} batches, {tally.seconds:.1f} s (longest {tally.longest_batch_seconds * 1000:.0f} ms)"
    busy = f"; {tally.skipped_busy} held by a publish were left for the next run" if tally.skipped_busy else ""
    return f"{what} stored before {cutoff:%Y-%m-%d %H:%M} UTC{clusters}{freed}{timing}{busy}"
