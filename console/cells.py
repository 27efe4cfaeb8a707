"""Table cells for the terminal: Arabic in the right order, widths in terminal cells, folding by word.

A terminal either lays right-to-left text out itself ("bidi": VTE, Konsole, mlterm, Apple Terminal) or
prints every character left to right as it comes. For the first, each cell is wrapped in Unicode
isolates (FSI … PDI), so the `│` between two Arabic cells never joins their right-to-left run and
columns never swap. For the second, each line of a cell is reordered to visual order here (Unicode's
bidi algorithm with bracket mirroring, from python-bidi); letters are only reordered, never shaped:
joining Arabic letters is the terminal's font's job. A cell is folded by word first and reordered line
by line after, so its first words stay on its first line. Widths are terminal cells (`rich.cells`):
harakat and other combining marks take none.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.cells import cell_len  # rich.cells alone: the rest of rich is imported when a table is printed

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderResult
    from rich.measure import Measurement

FSI, PDI = "\u2068", "\u2069"  # first-strong isolate: the cell takes its own direction, outside sees a neutral
ELLIPSIS = "…"
BIDI_CHOICES = ("auto", "on", "off")
_RTL = frozenset({"R", "AL"})
_STRONG = frozenset({"L", "R", "AL"})

# this process's choice, set once by the CLI from --bidi / AKHBAR_BIDI: a value, or how to find it when first
# needed (guessing asks rich whether stdout is a terminal, an import a command that prints no table skips)
_terminal_bidi: bool | Callable[[], bool] | None = None


def has_rtl(text: str) -> bool:
    """Whether text holds a right-to-left letter (Arabic, Hebrew, Syriac, Thaana…)."""
    return any(unicodedata.bidirectional(ch) in _RTL for ch in text)


def base_direction(text: str) -> str:
    """'R' or 'L': the direction of text's first strong letter (Unicode P2); 'L' when it has none."""
    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind in _STRONG:
            return "R" if kind in _RTL else "L"
    return "L"


def terminal_has_bidi(environ: Mapping[str, str]) -> bool:
    """Guess from the environment whether the terminal reorders right-to-left text by itself.

    Yes for VTE 0.58 and later (GNOME Terminal, Tilix, Terminator, xfce4-terminal: VTE_VERSION >= 5800),
    Konsole (KONSOLE_VERSION), mlterm (MLTERM) and Apple's Terminal (TERM_PROGRAM=Apple_Terminal); no
    inside tmux or screen (they redraw the screen cell by cell) and for everything else (xterm, kitty,
    Alacritty, iTerm2, WezTerm, Windows Terminal, the Linux console, VS Code).
    """
    if environ.get("TMUX") or environ.get("STY"):
        return False
    vte = environ.get("VTE_VERSION", "")
    if vte.isdigit() and int(vte) >= 5800:
        return True
    return bool(environ.get("KONSOLE_VERSION") or environ.get("MLTERM")
                or environ.get("TERM_PROGRAM") == "Apple_Terminal")


def resolve_bidi(choice: str, environ: Mapping[str, str], is_terminal: bool) -> bool:
    """True when cells should be printed in logical order and isolated, False for visual order.

    `on`: the terminal does bidi; `off`: it does not; `auto`: guessed by terminal_has_bidi, and output
    that is not a terminal (a pipe, a file) keeps logical order, which is what programs and editors read.
    """
    if choice not in BIDI_CHOICES:
        raise ValueError(f"bidi is one of {', '.join(BIDI_CHOICES)}, not {choice!r}")
    if choice != "auto":
        return choice == "on"
    return terminal_has_bidi(environ) if is_terminal else True


def set_terminal_bidi(value: bool | Callable[[], bool]) -> None:
    """Record for this process whether the terminal does bidi, or how to tell when a table first asks (the CLI
    calls this once, before any command)."""
    global _terminal_bidi
    _terminal_bidi = value


def terminal_bidi() -> bool:
    """This process's choice; logical order and isolates when the CLI never set one (a library caller)."""
    global _terminal_bidi
    if callable(_terminal_bidi):
        _terminal_bidi = _terminal_bidi()
    return True if _terminal_bidi is None else _terminal_bidi


def visual_line(line: str, base: str) -> str:
    """One line in visual order (left to right as printed), brackets mirrored; letters are not shaped."""
    from bidi.algorithm import get_display  # the reference algorithm; unlike the Rust one it mirrors brackets

    return _marks_after_base(str(get_display(line, base_dir=base)))


def _marks_after_base(visual: str) -> str:
    """Put combining marks back after their base letter (Unicode's optional rule L3): reversed, an Arabic
    letter's harakat come before it, and a terminal would draw them on the character to their left."""
    out: list[str] = []
    marks: list[str] = []
    for ch in visual:
        if unicodedata.combining(ch) or unicodedata.category(ch) == "Mn":
            marks.append(ch)
            continue
        if marks and unicodedata.bidirectional(ch) in _RTL:  # reversed with their letter: restore both orders
            out.append(ch)
            out.extend(reversed(marks))
        else:
            out.extend(marks)
            out.append(ch)
        marks = []
    out.extend(marks)
    return "".join(out)


def show_line(line: str, base: str, bidi: bool) -> str:
    """A line ready to print: isolated for a bidi terminal, reordered for one without; LTR-only text as is."""
    if not has_rtl(line):
        return line
    return f"{FSI}{line}{PDI}" if bidi else visual_line(line, base)


def _cut(text: str, width: int) -> str:
    """The longest start of text that fits in width terminal cells (never half a wide character)."""
    out, used = [], 0
    for ch in text:
        size = cell_len(ch)
        if used + size > width:
            break
        out.append(ch)
        used += size
    return "".join(out)


def truncate(text: str, width: int) -> str:
    """Text cut to at most width terminal cells, ending in an ellipsis when cut."""
    if cell_len(text) <= width:
        return text
    return _cut(text, width - 1) + ELLIPSIS if width > 0 else ""


def wrap_words(text: str, width: int, max_lines: int | None = None) -> list[str]:
    """Text folded into lines of at most width cells at spaces only; a longer word is cut with an ellipsis
    (a URL or number is never split across lines), and past max_lines the last line ends with one."""
    width = max(1, width)
    lines: list[str] = []
    line, used = "", 0
    for word in text.split():
        size = cell_len(word)
        if size > width:
            word, size = truncate(word, width), min(size, width)
        if line and used + 1 + size <= width:
            line, used = f"{line} {word}", used + 1 + size
            continue
        if line:
            lines.append(line)
        line, used = word, size
    if line:
        lines.append(line)
    if max_lines is not None and len(lines) > max_lines:
        kept = lines[:max_lines]
        last = kept[-1]
        kept[-1] = f"{last} {ELLIPSIS}" if cell_len(last) + 2 <= width else _cut(last, width - 1).rstrip() + ELLIPSIS
        return kept
    return lines or [""]


@dataclass
class Cell:
    """A table cell of free text (a title, tags, an error): folded by word to the column, then each line
    isolated or reordered, right-aligned when the text is right-to-left."""

    text: str
    style: str = ""
    max_lines: int | None = None
    bidi: bool | None = None  # None: the process's choice (terminal_bidi())

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        from rich.measure import Measurement

        words = self.text.split() or [""]
        longest = max(cell_len(w) for w in words)
        return Measurement(min(longest, options.max_width), min(cell_len(" ".join(words)), options.max_width))

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        from rich.text import Text

        width = options.max_width
        base = base_direction(self.text)
        bidi = terminal_bidi() if self.bidi is None else self.bidi
        lines = []
        for line in wrap_words(self.text, width, self.max_lines):
            shown = show_line(line, base, bidi)
            if base == "R":  # right-aligned: the padding goes before the text, outside any isolate
                shown = " " * (width - cell_len(line)) + shown
            lines.append(shown)
        yield Text("\n".join(lines), style=self.style, no_wrap=True, overflow="ellipsis")


@dataclass(frozen=True)
class Column:
    """A column a table may show: its header, the least width its values need, and when it goes first
    (a higher priority stays longer when the terminal is narrow)."""

    name: str
    min_width: int
    priority: int


def fit_columns(columns: Iterable[Column], width: int, padding: int = 3) -> list[Column]:
    """The columns that fit in width cells (each costs min_width plus padding and a border), dropping the
    lowest priority first; order kept. Whatever is left shares the width, so nothing needs splitting."""
    kept = list(columns)
    while len(kept) > 1 and sum(c.min_width + padding for c in kept) + 1 > width:
        kept.remove(min(kept, key=lambda c: (c.priority, -kept.index(c))))
    return kept
