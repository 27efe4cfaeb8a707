"""What every `akhbar` sub-command shares: the two consoles, the one-line failure, settings and runtime.

Its own module so the command modules (`cli.py`, `commands.py`) import it and never each other's privates.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NoReturn, cast

import typer

from workers.core.errors import ConfigError

if TYPE_CHECKING:
    from rich.console import Console

    from config.settings import Settings
    from workers.runtime import Runtime


class LazyConsole:
    """A rich Console made on first use: rich costs some 80 ms of imports that a command printing JSON, or
    nothing, never needs (issue 15: a command starts within 300 ms). Every attribute is the Console's."""

    def __init__(self, *, stderr: bool = False) -> None:
        self._stderr = stderr
        self._console: Console | None = None

    def _made(self) -> Console:
        if self._console is None:
            from rich.console import Console

            self._console = Console(stderr=self._stderr)
        return self._console

    def __getattr__(self, name: str) -> Any:
        return getattr(self._made(), name)

    def __setattr__(self, name: str, value: Any) -> None:  # `console.width = 250` sets the Console's width
        if name.startswith("_"):
            object.__setattr__(self, name, value)
        else:
            setattr(self._made(), name, value)


console = cast("Console", LazyConsole())
err = cast("Console", LazyConsole(stderr=True))


def rich_console(which: Console) -> Console:
    """The Console itself, for what rich is handed (a Progress, a Live): rich uses it as a context manager,
    and special methods are not looked up through `__getattr__`."""
    return which._made() if isinstance(which, LazyConsole) else which


def error_line(message: str) -> None:
    """One `error:` line on stderr: never wrapped, never read as markup, no URL password in it."""
    from rich.markup import escape

    from config.redact import redact

    err.print(f"[bold red]error:[/] {escape(redact(' '.join(message.split())))}", soft_wrap=True)


def fail(message: str, code: int = 2) -> NoReturn:
    error_line(message)
    raise typer.Exit(code)


def load_settings(**overrides: Any) -> Settings:
    """The environment's settings read afresh and validated (one line naming a bad AKHBAR_* variable, exit 2),
    with a command's own options laid over them as values (None leaves a setting as it is)."""
    from config.settings import SettingsError, get_settings, reset_settings

    reset_settings()
    try:
        settings = get_settings()
        given = {k: v for k, v in overrides.items() if v is not None}
        return settings.replace(**given) if given else settings
    except SettingsError as exc:
        fail(f"setting {exc}")


def open_runtime(settings: Settings | None = None, *, migrate: bool = True) -> Runtime:
    """The command's adapters, built from the settings it is given (default: the environment's); store migrated."""
    from workers.runtime import Runtime

    settings = settings or load_settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    rt = Runtime(settings)
    if migrate:
        new = not _has_schema(rt)
        rt.store.migrate()
        if new:
            say_new_store(settings.store_url)
    return rt


def _has_schema(rt: Runtime) -> bool:
    """Whether the store already holds akhbar's tables (false for a file or database made just now)."""
    from sqlalchemy import inspect

    return inspect(rt.store.engine).has_table("articles")


def say_new_store(store_url: str) -> None:
    """Note the store this command has just created, so a command run from the wrong directory (a relative
    SQLite path) does not silently report an empty store as if it were the real one. Said on stderr once the
    command has succeeded (flush_notes): a failing command keeps its one `error:` line."""
    from config.redact import mask_url

    where = mask_url(store_url)
    if store_url.startswith("sqlite:///") and not store_url.startswith("sqlite:////"):
        from pathlib import Path

        where += f" ({Path(store_url.removeprefix('sqlite:///')).resolve()})"
    _notes.append(f"note: store {where} is new and empty (created just now); to use an existing one, "
                  "run from its directory or set AKHBAR_STORE_URL")


_notes: list[str] = []  # this command's notes for the end, when it succeeds


def flush_notes() -> None:
    """Print the notes kept for the end of a successful command, on stderr."""
    while _notes:
        err.print(_notes.pop(0), soft_wrap=True, markup=False, highlight=False)


def sync_sources(rt: Runtime) -> list:
    """The sources file read and validated (one line and exit 2 when broken), then mirrored into the store."""
    from config.sources import load_sources

    try:
        sources = load_sources(rt.settings.sources)
    except ConfigError as exc:
        fail(exc.message)
    rt.sources.sync(sources)
    return sources
