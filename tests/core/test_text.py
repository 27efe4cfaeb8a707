"""Text an operator reads: invisible format characters and bidi controls removed, shaping joiners kept."""

from __future__ import annotations

import pytest

from workers.core.text import strip_bidi_controls, strip_invisible

RLO, LRO, PDF, RLI, PDI = "\u202e", "\u202d", "\u202c", "\u2067", "\u2069"
ZWNJ, ZWJ = "\u200c", "\u200d"


@pytest.mark.parametrize(("raw", "clean"), [
    ("عنوان الخبر", "عنوان الخبر"),
    (f"{RLO}txt.exe{PDF}", "txt.exe"),  # the classic file-name spoof
    (f"{LRO}abc", "abc"),
    (f"{RLI}وكالة{PDI} الأنباء", "وكالة الأنباء"),
    ("\u202a\u202b\u2066\u2068x", "x"),  # every embedding, override and isolate
    ("a\u200bb", "ab"),  # zero-width space
    ("\u200e\u200fRT\u061c", "RT"),  # LRM, RLM, ARABIC LETTER MARK
    ("\ufeffعنوان", "عنوان"),  # BOM / zero-width no-break space
    ("\u2060\u2061\u2062\u2063\u2064x", "x"),  # word joiner and invisible operators
    ("مقا\u00adلة", "مقالة"),  # soft hyphen
    ("\U000e0041\U000e0042tag", "tag"),  # tag characters carry hidden ASCII
    ("a\x00b\x1bc\x7f\x9fd", "abcd"),  # control characters
    (f"می{ZWNJ}خواهم", f"می{ZWNJ}خواهم"),  # Persian: ZWNJ inside a word shapes it, kept
    (f"ک{ZWJ}ه", f"ک{ZWJ}ه"),  # ZWJ between letters, kept
    (f"{ZWNJ}عنوان{ZWJ}", "عنوان"),  # joiners at the edges join nothing
    (f"كلمة {ZWNJ}أخرى", "كلمة أخرى"),  # next to a space it joins nothing either
    (f"{ZWNJ}{RLO}{ZWNJ}", ""),
    ("\u0600\u06dd١٢", "\u0600\u06dd١٢"),  # Arabic number signs are visible (prepended marks), kept
    ("", ""),
])
def test_strip_invisible(raw: str, clean: str) -> None:
    assert strip_invisible(raw) == clean
    assert strip_invisible(clean) == clean  # idempotent


@pytest.mark.parametrize(("raw", "clean"), [
    (f"فقرة {RLO}أولى{PDF}.\n\nفقرة ثانية.", "فقرة أولى.\n\nفقرة ثانية."),
    (f"{RLI}x{PDI} \u202a\u202b\u202dy", "x y"),
    # the body keeps its other characters: marks, joiners and soft hyphens are the publisher's text
    (f"نص\u200fمع{ZWNJ}علامات\u00ad", f"نص\u200fمع{ZWNJ}علامات\u00ad"),
])
def test_strip_bidi_controls(raw: str, clean: str) -> None:
    assert strip_bidi_controls(raw) == clean


def test_the_hidden_ranges_are_every_format_and_control_character() -> None:
    """HIDDEN is written out as ranges for speed: it must match unicodedata's Cf and Cc exactly, less the
    visible Arabic number signs, the joiners (handled apart) and tab and line breaks."""
    import re
    import sys
    import unicodedata

    from workers.core.text import HIDDEN

    visible = {0x600, 0x601, 0x602, 0x603, 0x604, 0x605, 0x6DD, 0x70F, 0x890, 0x891, 0x8E2, 0x110BD, 0x110CD}
    kept = {0x200C, 0x200D, 0x09, 0x0A, 0x0D}
    expected = {c for c in range(sys.maxunicode + 1)
                if unicodedata.category(chr(c)) in ("Cf", "Cc") and c not in visible | kept}
    pattern = re.compile(f"[{HIDDEN}]")
    matched = {c for c in range(sys.maxunicode + 1) if pattern.match(chr(c))}
    # a newer Unicode than this Python's may add format characters inside the ranges (U+13439-1343F)
    assert expected <= matched and all(unicodedata.category(chr(c)) in ("Cf", "Cc", "Cn") for c in matched - expected)
