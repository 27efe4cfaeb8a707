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
