"""console/cells.py: bidi decisions, visual order, isolation, widths and folding by word (pure)."""

from __future__ import annotations

import io

import pytest
from rich.cells import cell_len
from rich.console import Console
from rich.table import Table

from console.cells import (
    FSI,
    PDI,
    Cell,
    Column,
    base_direction,
    fit_columns,
    has_rtl,
    resolve_bidi,
    show_line,
    terminal_has_bidi,
    truncate,
    visual_line,
    wrap_words,
)


@pytest.mark.parametrize(("environ", "expected"), [
    ({"VTE_VERSION": "7600"}, True),  # GNOME Terminal on VTE 0.76
    ({"VTE_VERSION": "5402"}, False),  # before VTE's bidi (0.58)
    ({"KONSOLE_VERSION": "230805"}, True),
    ({"MLTERM": "3.9.3"}, True),
    ({"TERM_PROGRAM": "Apple_Terminal"}, True),
    ({"TERM_PROGRAM": "iTerm.app"}, False),
    ({"TERM": "xterm-kitty"}, False),
    ({"TERM_PROGRAM": "vscode"}, False),
    ({"VTE_VERSION": "7600", "TMUX": "/tmp/tmux-0/default,1,0"}, False),  # tmux redraws cell by cell
    ({}, False),
])
def test_terminal_bidi_guess(environ: dict[str, str], expected: bool) -> None:
    assert terminal_has_bidi(environ) is expected


def test_resolve_bidi_choice_wins_and_auto_guesses() -> None:
    vte = {"VTE_VERSION": "7600"}
    assert resolve_bidi("on", {}, is_terminal=True) is True
    assert resolve_bidi("off", vte, is_terminal=True) is False
    assert resolve_bidi("auto", vte, is_terminal=True) is True
    assert resolve_bidi("auto", {}, is_terminal=True) is False
    assert resolve_bidi("auto", {}, is_terminal=False) is True  # a pipe keeps logical order
    with pytest.raises(ValueError):
        resolve_bidi("yes", {}, is_terminal=True)


def test_direction() -> None:
    assert has_rtl("خبر 12") and not has_rtl("rt-arabic 12")
    assert base_direction("12 خبر about") == "R"
    assert base_direction("http_status 503: الخادم") == "L"
    assert base_direction("2026 — 12") == "L"


@pytest.mark.parametrize(("logical", "visual"), [
    ("خبر اليوم", "مويلا ربخ"),
    ("عاجل 2026", "2026 لجاع"),  # numbers keep their own order
    ("قال (الوزير)", "(ريزولا) لاق"),  # brackets mirrored, so they still enclose the word
    ("وكالة AFP للأنباء", "ءابنألل AFP ةلاكو"),  # a Latin word inside stays readable
    ("أمطاراً غزيرة", "ةريزغ اًراطمأ"),  # harakat stay after their letter, so the terminal draws them on it
    ("مُحَمَّد cafe\u0301", "cafe\u0301 دمَّحَمُ"),  # each letter keeps its marks; a Latin mark stays too
])
def test_visual_line(logical: str, visual: str) -> None:
    assert visual_line(logical, "R") == visual


def test_show_line_isolates_or_reorders_only_rtl() -> None:
    assert show_line("demo-rss", "L", bidi=False) == "demo-rss"
    assert show_line("demo-rss", "L", bidi=True) == "demo-rss"
    assert show_line("خبر", "R", bidi=True) == f"{FSI}خبر{PDI}"
    assert show_line("خبر", "R", bidi=False) == "ربخ"


def test_widths_count_terminal_cells() -> None:
    assert cell_len("مُحَمَّد") == 4  # harakat take no cell
    assert cell_len(f"{FSI}خبر{PDI}") == 3  # neither do isolates
    assert truncate("مُحَمَّدٌ رسولٌ", 5) == "مُحَمَّدٌ…"
    assert truncate("short", 10) == "short"


def test_wrap_words_never_splits_a_token() -> None:
    text = "انطلاق 2026-12-04 https://example.org/a/very/long/path/to/an/article.html ختام"
    lines = wrap_words(text, 20)
    assert all(cell_len(line) <= 20 for line in lines)
    assert "2026-12-04" in lines[0]
    assert not any(line.startswith(("/", "path", "article")) for line in lines)
    assert any(line.startswith("https://example.org") and line.endswith("…") for line in lines)
    assert wrap_words("أ ب ج د ه و ز", 3, max_lines=2) == ["أ ب", "ج…"]
    assert wrap_words("أ ب ج د ه و ز", 5, max_lines=1) == ["أ ب…"]


def test_fit_columns_drops_lowest_priority_first() -> None:
    cols = [Column("id", 8, 9), Column("title", 20, 10), Column("tags", 12, 4), Column("rev", 3, 1)]
    assert [c.name for c in fit_columns(cols, 200)] == ["id", "title", "tags", "rev"]
    assert [c.name for c in fit_columns(cols, 55)] == ["id", "title", "tags"]
    assert [c.name for c in fit_columns(cols, 40)] == ["id", "title"]


def _render(renderable: object, width: int) -> list[str]:
    out = io.StringIO()
    Console(file=out, width=width, color_system=None, legacy_windows=False).print(renderable)
    return out.getvalue().splitlines()


def test_cells_in_a_bidi_terminal_are_isolated_line_by_line() -> None:
    table = Table("title", "tags")
    table.add_row(Cell("الأرصاد تتوقع أمطاراً غزيرة على المناطق الشمالية", bidi=True), Cell("طقس، أمطار", bidi=True))
    lines = _render(table, 40)
    for line in lines:
        assert line.count(FSI) == line.count(PDI)  # each line balanced: no run leaks into the next cell
        for segment in line.split("│")[1:-1]:
            assert segment.count(FSI) == segment.count(PDI)
    assert all(cell_len(line) <= 40 for line in lines)
    assert FSI + "الأرصاد" in lines[3]  # the first words on the first line, in logical order


def test_cells_without_terminal_bidi_are_in_visual_order_line_by_line() -> None:
    table = Table("title")
    table.add_row(Cell("الأرصاد تتوقع أمطاراً غزيرة", bidi=False))
    body = [line for line in _render(table, 20) if "│" in line]
    assert body[0].strip("│ ").endswith("داصرألا")  # first word, reversed, at the right end of the first line
    assert FSI not in "".join(body)
