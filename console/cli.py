"""The `akhbar` command: the operator's and the developer's entry to every service and view."""

from __future__ import annotations

import json
import os
import sys
import time
import typing
from enum import StrEnum
from pathlib import Path

import typer

from console.cells import resolve_bidi, set_terminal_bidi
from console.commands import PRUNE_HELP, failures_app, prune, sources_app
from console.terminal import (
    console,
    err,
    error_line,
    fail,
    flush_notes,
    load_settings,
    open_runtime,
    rich_console,
    sync_sources,
)
from workers.core.errors import AkhbarError

if typing.TYPE_CHECKING:
    from datetime import datetime

if typing.TYPE_CHECKING:
    from config.settings import Settings

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="akhbar: Arabic news ingestion. See README.md for the two commands to start with.")
app.add_typer(sources_app, name="sources")
app.add_typer(failures_app, name="failures")
app.command("prune", help=PRUNE_HELP)(prune)  # retention: console/commands.py


class Bidi(StrEnum):
    auto = "auto"
    on = "on"
    off = "off"


class ArticleFormat(StrEnum):
    table = "table"
    jsonl = "jsonl"
    clusters = "clusters"


class ArticleSort(StrEnum):
    published = "published"
    stored = "stored"
    relevance = "relevance"  # with --q: best match first


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import PackageNotFoundError, version

        try:
            print(f"akhbar {version('akhbar')}")
        except PackageNotFoundError:
            print("akhbar (not installed: run from a source tree)")
        raise typer.Exit()


@app.callback()
def _options(bidi: Bidi | None = typer.Option(
                 None, "--bidi", show_default=False, case_sensitive=False,
                 help="does the terminal lay out Arabic (right-to-left) text itself? on: cells are printed in "
                 "logical order, each isolated; off: akhbar prints them in visual order; auto (default, or "
                 "$AKHBAR_BIDI): guessed from the terminal (README, 'Arabic in the terminal')"),
             version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                          help="print akhbar's version and exit")) -> None:
    """akhbar: Arabic news ingestion. See README.md for the two commands to start with."""
    choice = bidi.value if bidi else _bidi_setting()
    set_terminal_bidi(lambda: resolve_bidi(choice, os.environ, console.is_terminal))


def _bidi_setting() -> str:
    """AKHBAR_BIDI through the settings; 'auto' when the settings do not validate (the command says why)."""
    from config.settings import Settings, SettingsError

    try:
        return Settings().bidi
    except SettingsError:
        return "auto"


@app.command()
def extract(paths: list[Path] = typer.Argument(..., help="saved pages (raw bytes); '-' reads stdin"),
            url: str | None = typer.Option(None, help="the page's URL (required for one page)"),
            source: str = typer.Option("", help="source name to put in the article"),
            timezone: str | None = typer.Option(None, help="IANA zone for dates given in local time"),
            fetched_at: str | None = typer.Option(
                None, "--fetched-at", help="ISO 8601 time the page was fetched (relative dates count back from it; "
                "a time without an offset is read in --timezone, else UTC); default now")) -> None:
    """Extract saved pages and print the article as JSON (one JSON line per page for several)."""
    from workers.core.extract import extract_article

    limit = load_settings().max_body_bytes
    fetched = _fetched_at(fetched_at, timezone)

    def read(path: Path) -> bytes:
        return _read_page(path, limit)

    if len(paths) == 1 and url:
        try:
            article = extract_article(read(paths[0]), url, {}, source=source, timezone=timezone,
                                      fetched_at=fetched)
        except AkhbarError as exc:
            fail(f"{paths[0]}: {exc.message}", 1)
        print(json.dumps(article.to_dict(), ensure_ascii=False, indent=2))
        return
    status = 0
    for path in paths:
        page_url = url or path.resolve().as_uri()
        try:
            data = extract_article(read(path), page_url, {}, source=source, timezone=timezone,
                                   fetched_at=fetched).to_dict()
        except AkhbarError as exc:
            data, status = {"error": exc.message}, 1
        print(json.dumps({"path": str(path), **data}, ensure_ascii=False))
    raise typer.Exit(status)


def _fetched_at(text: str | None, zone_name: str | None) -> datetime | None:
    """--fetched-at as an aware datetime (None: now); one line and exit 2 on a bad time or zone."""
    from datetime import UTC, datetime

    from workers.core.extract.zones import get_zone

    zone = get_zone(zone_name)
    if zone_name and zone is None:
        fail(f"--timezone: unknown time zone {zone_name!r} (an IANA name such as Africa/Cairo)")
    if not text:
        return None
    try:
        value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        fail(f"--fetched-at: {text!r} is not an ISO 8601 time (such as 2026-12-04T10:30:00+02:00)")
    return value if value.tzinfo else value.replace(tzinfo=zone or UTC)


def _read_page(path: Path, limit: int) -> bytes:
    """A saved page: stdin or a regular file, at most limit bytes (read limit + 1 to tell), else AkhbarError."""
    if str(path) == "-":
        data = sys.stdin.buffer.read(limit + 1)
    else:
        try:
            if not path.is_file():  # a directory, /dev/zero or a FIFO: never read into memory
                raise AkhbarError("not a regular file" if path.exists() else "no such file")
            with path.open("rb") as handle:
                data = handle.read(limit + 1)
        except OSError as exc:
            raise AkhbarError(f"cannot read: {exc.strerror}") from None
    if len(data) > limit:
        raise AkhbarError(f"larger than AKHBAR_MAX_BODY_BYTES ({limit} bytes)")
    return data


@app.command()
def run(sources: Path | None = typer.Option(None, help="sources file (default $AKHBAR_SOURCES)"),
        once: bool = typer.Option(False, "--once", help="poll every source once, drain, summarise, exit"),
        concurrency: int | None = typer.Option(None, help="worker processes in the general pool"),
        timeout: float = typer.Option(3600, help="--once: give up after this many seconds")) -> None:
    """Scheduler and its own worker processes together, on the configured broker and store."""
    run_with(load_settings(sources=sources), once=once, concurrency=concurrency, timeout=timeout)


def run_with(settings: Settings, *, once: bool, concurrency: int | None, timeout: float) -> None:
    """`akhbar run` on settings given as values; its worker processes are handed the same settings."""
    from console.summary import print_run_summary
    from console.supervisor import WorkerFleet, run_forever, wait_drained
    from scheduler.tick import tick
    from workers.core.clock import utcnow

    rt = open_runtime(settings)
    sync_sources(rt)
    fleet = WorkerFleet(concurrency=concurrency or rt.settings.worker_concurrency,
                        log_dir=rt.settings.data_dir / "logs" if once else None, settings=rt.settings)
    started_at, started = utcnow(), time.monotonic()
    from config.redact import mask_url

    mode = "embedded" if rt.settings.embedded else mask_url(rt.settings.broker_url)
    err.print(f"akhbar: broker {mode}, store {mask_url(rt.settings.store_url)}, "
              f"{len(rt.sources.all())} sources"
              + (f"; worker logs in {fleet.log_dir}" if fleet.log_dir else ""), soft_wrap=True)
    fleet.start()
    if not once:
        run_forever(rt, fleet)
        return
    last_event = rt.articles.last_event_id()  # not every event read to find the last
    try:
        queued = tick(rt, force=True)
        err.print(f"polling {len(queued)} source(s) once")
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        with Progress(TextColumn("jobs"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                      console=rich_console(err), transient=not err.is_terminal) as bar:
            task = bar.add_task("jobs", total=None)
            drained = wait_drained(rt, started_at, timeout=timeout, fleet=fleet,
                                   progress=lambda done, total: bar.update(task, completed=done, total=total))
    except KeyboardInterrupt:
        err.print("interrupted; stopping workers")
        drained = False
    finally:
        fleet.stop()
    print_run_summary(rt, since_event=last_event, seconds=time.monotonic() - started, console=console)
    if not drained:
        fail("the queues did not drain before the timeout", 1)


@app.command()
def worker(queues: str = typer.Option("manual,feeds,pages", "-Q", help="queues to consume, in priority order"),
           concurrency: int | None = typer.Option(None, "-c", help="pool processes"),
           loglevel: str = typer.Option("INFO", "-l", "--loglevel",
                                        help="Celery's log level: DEBUG, INFO, WARNING, ERROR or CRITICAL")) -> None:
    """A Celery worker for a distributed deployment (any number, on any machine)."""
    from console.supervisor import worker_command

    rt = open_runtime()
    os.execv(sys.executable, worker_command(queues, concurrency or rt.settings.worker_concurrency,
                                            f"akhbar-{os.getpid()}", loglevel))


@app.command()
def scheduler(sources: Path | None = typer.Option(None, help="sources file")) -> None:
    """The scheduler alone; a second one started by mistake waits for the first's lease."""
    import signal
    import threading

    from scheduler.tick import run_scheduler
    from workers.logs import configure_logging

    rt = open_runtime(load_settings(sources=sources))
    configure_logging(rt.settings.log_json, rt.settings.log_level)
    sync_sources(rt)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        run_scheduler(rt, stop)
    except KeyboardInterrupt:
        stop.set()


@app.command()
def api(host: str = typer.Option("127.0.0.1", help="address to listen on (off loopback the token is required)"),
        port: int = typer.Option(8000, help="port to listen on")) -> None:
    """The HTTP API and dashboard; off loopback only with a real AKHBAR_API_TOKEN."""
    import uvicorn

    from console.api import create_app
    from console.guard import refuse_insecure_bind

    rt = open_runtime(migrate=False)
    refuse_insecure_bind(host, rt.settings.api_token)  # before the store is touched or a port is bound
    rt.store.migrate()
    uvicorn.run(create_app(rt), host=host, port=port, log_level="warning")


@app.command()
def status(as_json: bool = typer.Option(False, "--json", help="print one JSON object (queues, workers, sources "
                                         "with their last errors) for scripts; its shape is in README.md"),
           watch: bool = typer.Option(False, "--watch", help="refresh in place every 2 s")) -> None:
    """Queue depths, workers and each source's health."""
    from console.status import collect_status

    rt = open_runtime()
    if as_json:
        print(json.dumps(collect_status(rt), ensure_ascii=False, indent=2, default=str))
        return
    from console.views import status_view  # rich's tables: not for --json

    if not watch:
        console.print(status_view(collect_status(rt)))
        return
    from rich.live import Live

    with Live(status_view(collect_status(rt)), console=rich_console(console), screen=False, auto_refresh=False) as live:
        try:
            while True:
                time.sleep(2)
                live.update(status_view(collect_status(rt)), refresh=True)
        except KeyboardInterrupt:
            pass


@app.command()
def refetch(url: str | None = typer.Argument(None, help="an article page's URL to fetch again"),
            source: str | None = typer.Option(None, "--source", metavar="NAME",
                                              help="instead of a URL: poll this source again now")) -> None:
    """Queue a manual re-fetch of a page URL or of a whole source (manual lane, ahead of routine work)."""
    from scheduler.refetch import refetch_source, refetch_url

    if bool(url) == bool(source):
        fail("give a URL or --source NAME")
    rt = open_runtime()
    try:
        if source:
            refetch_source(rt, source)
            console.print(f"queued a re-fetch of source [bold]{source}[/] on the manual lane")
        else:
            canonical = refetch_url(rt, url or "")
            console.print(f"queued a re-fetch of {canonical} on the manual lane")
    except AkhbarError as exc:
        fail(exc.message)


@app.command()
def articles(fmt: ArticleFormat = typer.Option(
                 "table", "--format", help="table; jsonl (every field, one article a line); clusters (one row "
                 "per cluster, newest stored first)"),
             sort: ArticleSort = typer.Option(
                 "published", "--sort", help="newest first by publication time (undated last) or by time stored; "
                 "relevance: with --q, best match first"),
             source: str | None = typer.Option(None, metavar="NAME", help="only this source's articles"),
             limit: int = typer.Option(200, help="at most this many"),
             q: str | None = typer.Option(None, help="text search: all these words, Arabic ones in any "
                                          "inflection (والمفاوضات finds مفاوضات); \"quoted words\" a phrase")) -> None:
    """The stored articles, newest published first (`--sort stored`: newest stored first)."""
    from console.views import articles_table, clusters_table
    from workers.core.search_terms import SearchQueryError

    rt = open_runtime()
    try:
        found = _read_articles(rt, source=source, q=q, limit=limit, sort=str(sort)) if fmt != "clusters" else []
    except SearchQueryError as exc:
        fail(f"--q: {exc}")
    if fmt == "jsonl":
        for article in found:
            print(json.dumps(article.to_dict(), ensure_ascii=False))
    elif fmt == "table":
        console.print(articles_table(found))
    elif fmt == "clusters":
        console.print(clusters_table(rt.articles.clusters(limit=limit)))
    else:
        fail("--format is jsonl, table or clusters")


PAGE = 500  # articles per read when the CLI lists more


def _read_articles(rt: typing.Any, *, limit: int, sort: str, **kw: typing.Any) -> list[typing.Any]:
    """The listing page by page with the cursor, each page read from the index where the last one ended, however
    many are asked for; a search by relevance (no key to resume from) in one read."""
    if sort == "relevance":
        return list(rt.articles.find(limit=limit, sort=sort, **kw))
    found: list[typing.Any] = []
    cursor = None
    while len(found) < limit:
        rows, cursor = rt.articles.page(limit=min(PAGE, limit - len(found)), sort=sort, cursor=cursor, **kw)
        found += rows
        if cursor is None:
            break
    return found


@app.command("dedupe-pairs")
def dedupe_pairs(file: Path = typer.Argument(..., help="JSON lines of {a: {title, body}, b: {...}}"),
                 explain: bool = typer.Option(False, "--explain",
                                              help='add "rule": the merge, veto or lack that decided')) -> None:
    """For each pair print {"duplicate": bool, "score": float}: the pipeline's own decision."""
    from workers.core.dedupe import pair_decision

    if str(file) == "-":
        stream = sys.stdin.buffer
    else:
        try:
            if not file.is_file():
                fail(f"{file}: {'not a regular file' if file.exists() else 'no such file'}")
            stream = file.open("rb")
        except OSError as exc:
            fail(f"{file}: cannot read: {exc.strerror}")
    bad = 0
    with stream:
        for number, raw in enumerate(_bounded_lines(stream), 1):
            try:
                a, b = _pair(raw)
                if a is None or b is None:
                    continue  # a blank line
                decision = pair_decision(a, b)
            except ValueError as exc:  # one bad line is reported and skipped; the rest still get answers
                bad += 1
                error_line(f"{file}:{number}: {exc}")
                continue
            answer: dict[str, object] = {"duplicate": bool(decision.duplicate), "score": float(decision.score)}
            if explain:
                answer["rule"] = decision.rule
            print(json.dumps(answer), flush=True)
    if bad:
        raise typer.Exit(1)


MAX_PAIR_LINE = 16 * 1024 * 1024  # two article bodies; a longer "line" is refused, not held in memory


def _bounded_lines(stream: typing.BinaryIO) -> typing.Iterator[bytes | None]:
    """The stream's lines, each at most MAX_PAIR_LINE bytes; None stands for a longer one (skipped)."""
    while True:
        line = stream.readline(MAX_PAIR_LINE + 1)
        if not line:
            return
        if len(line) > MAX_PAIR_LINE and not line.endswith(b"\n"):
            while (rest := stream.readline(MAX_PAIR_LINE)) and not rest.endswith(b"\n"):
                pass
            yield None
            continue
        yield line


def _pair(raw: bytes | None) -> tuple[dict[str, typing.Any] | None, dict[str, typing.Any] | None]:
    """One JSON line → its two {title, body} objects ((None, None) for a blank line), else ValueError."""
    if raw is None:
        raise ValueError(f"line longer than {MAX_PAIR_LINE} bytes")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError(f"not UTF-8 (byte {exc.start})") from None
    if not text.strip():
        return None, None
    try:
        pair = json.loads(text)
    except RecursionError:
        raise ValueError("JSON nested too deeply") from None
    except ValueError as exc:
        raise ValueError(f"not JSON ({exc})") from None
    if not isinstance(pair, dict):
        raise ValueError(f"not a JSON object but {type(pair).__name__}")
    sides = []
    for side in ("a", "b"):
        item = pair.get(side)
        if not isinstance(item, dict):
            raise ValueError(f"'{side}' is missing or not an object with title and body")
        for key in ("title", "body"):
            if not isinstance(item.get(key), str):
                raise ValueError(f"'{side}.{key}' is missing or not a string")
        sides.append(item)
    return sides[0], sides[1]


def main() -> None:
    """The console script: every command, with an unreachable store or broker and any surprise as one line."""
    try:
        _configure_logging()
        app()
    except SystemExit as exc:
        if not exc.code:  # success: the notes kept for the end (a new, empty store)
            flush_notes()
        raise
    except Exception as exc:  # a bug or an unforeseen input: one line; AKHBAR_DEBUG=1 shows the traceback
        if os.environ.get("AKHBAR_DEBUG"):
            raise
        from workers.adapters.outages import is_outage  # here: it imports redis, kombu and sqlalchemy

        if is_outage(exc):  # also a full Redis refusing a publish, which kombu wraps
            error_line(_outage_message(exc))
            sys.exit(2)
        error_line(f"internal error ({type(exc).__name__}): {exc} (AKHBAR_DEBUG=1 shows the traceback)")
        sys.exit(1)


def _configure_logging() -> None:
    """This process's own warnings (status, run, scheduler) formatted as settings ask, URL passwords masked."""
    from config.settings import SettingsError, get_settings
    from workers.logs import configure_logging

    try:
        settings = get_settings()
    except SettingsError:
        return  # the command itself names the bad variable in one line
    configure_logging(settings.log_json, settings.log_level)


def _outage_message(exc: BaseException) -> str:
    """Which service is away (its URL masked) and the driver's own reason, in one line."""
    import sqlalchemy.exc

    from config.redact import mask_url
    from config.settings import get_settings
    from workers.adapters.outages import describe

    try:
        settings = get_settings()
        store, broker = settings.store_url, settings.broker_url or "the embedded broker"
    except Exception:  # the settings were read before any connection was tried; this is belt and braces
        store, broker = "the configured store", "the configured broker"
    if isinstance(exc, sqlalchemy.exc.SQLAlchemyError):
        what, url = "store", store
        reason = str(getattr(exc, "orig", None) or exc).split("(Background on this error")[0]
    else:
        what, url = "broker", broker
        reason = str(exc)
    reason = " ".join(reason.split())[:300]
    said = describe(exc)
    if "maxmemory" in said or "too many clients" in said:
        return f"the {what} at {mask_url(url)} is full, so unreachable for now: {said}"
    return f"the {what} at {mask_url(url)} is unreachable: {reason}"


@app.command()
def demo(port: int = typer.Option(8765, help="port of the demo news site on 127.0.0.1"),
         serve: bool = typer.Option(False, "--serve", help="afterwards keep the site and the dashboard up"),
         api_port: int = typer.Option(8000, help="--serve: dashboard port")) -> None:
    """Serve the bundled Arabic demo site on loopback, ingest it through the real pipeline, show the result."""
    from demo.site import DemoSite, sources_yaml

    base = load_settings()
    site = DemoSite(port=port).start()
    base.data_dir.mkdir(parents=True, exist_ok=True)
    sources_file = base.data_dir / "demo-sources.yaml"
    sources_file.write_text(sources_yaml(site.base), encoding="utf-8")
    # the demo site is on loopback: allowed for this run (and its workers), passed as a value
    settings = base.replace(sources=sources_file, allow_hosts=[*base.allow_hosts, site.host_port])
    err.print(f"demo site at {site.base} (RSS {site.base}/rss.xml, Atom {site.base}/atom.xml)")
    try:
        run_with(settings, once=True, concurrency=None, timeout=600)
        if serve and not settings.api_token:
            import secrets  # a demo-only token, so the dashboard's buttons work out of the box

            settings = settings.replace(api_token=secrets.token_hex(12))
            err.print(f"demo API token (paste it into the dashboard): {settings.api_token}")
        rt = open_runtime(settings, migrate=False)
        from console.views import articles_table

        console.print(articles_table(rt.articles.find(limit=50, sort="published")))
        if serve:
            from console.serve import serve as serve_dashboard

            err.print(f"dashboard at http://127.0.0.1:{api_port}/; the scheduler and workers keep running "
                      "— Ctrl-C stops")
            serve_dashboard(rt, "127.0.0.1", api_port, fleet_concurrency=rt.settings.worker_concurrency)
    finally:
        site.stop()


@app.command()
def events(after: int = typer.Option(0, help="print events after this id (0: from the beginning)"),
           follow: bool = typer.Option(False, "--follow", "-f", help="keep printing new events")) -> None:
    """The publish event stream (published / updated, with the article id), as JSON lines; resumable by id."""
    rt = open_runtime()
    while True:
        rows = rt.articles.events_since(after, limit=1000)
        for row in rows:
            print(json.dumps({"id": row.id, "kind": row.kind, "article_id": row.article_id,
                              "revision": row.revision, "at": row.at.isoformat()}), flush=True)
            after = row.id
        if not follow:
            return
        if not rows:
            time.sleep(1.0)
