"""Arabic normalisation for matching (never for storage): one spelling per letter, no marks, ASCII digits."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Letter variants writers and keyboards use interchangeably; folding them makes «إطلاق» match «اطلاق».
_LETTERS = str.maketrans({
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ٲ": "ا", "ٳ": "ا",
    "ى": "ي", "ی": "ي", "ئ": "ي",
    "ة": "ه", "ۀ": "ه",
    "ؤ": "و",
    "ک": "ك", "ڪ": "ك",
})
# Arabic-Indic (U+0660..) and Persian (U+06F0..) digits → ASCII.
_DIGITS = str.maketrans({**{chr(0x0660 + i): str(i) for i in range(10)},
                         **{chr(0x06F0 + i): str(i) for i in range(10)}})
# Harakat, Quranic marks, superscript alef; tatweel; zero-width and bidi controls.
_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640"
                    "\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff\u061c]")
_PUNCT = re.compile(r"[^\w\s]|_", re.UNICODE)
_SPACE = re.compile(r"\s+")
# str.translate with a dict is ~20x slower than a handful of str.replace scans on Arabic text.
_LETTER_PAIRS = tuple((chr(k), v) for k, v in _LETTERS.items())
_DIGIT_PAIRS = tuple((chr(k), v) for k, v in _DIGITS.items())


def _fold(text: str, pairs: tuple[tuple[str, str], ...]) -> str:
    for old, new in pairs:
        if old in text:
            text = text.replace(old, new)
    return text


def strip_marks(text: str) -> str:
    """Remove diacritics, tatweel and invisible direction marks, keeping letters as written."""
    return _MARKS.sub("", text)


def fold_chars(text: str) -> str:
    """`normalize_arabic` before spaces are collapsed: punctuation and whitespace stay where they were."""
    text = unicodedata.normalize("NFKC", text)
    text = strip_marks(text)
    text = _fold(_fold(text, _LETTER_PAIRS), _DIGIT_PAIRS)
    return _PUNCT.sub(" ", text.lower())


def normalize_arabic(text: str) -> str:
    """Fold text for matching: NFKC, no marks, letter variants and digits unified, punctuation to spaces."""
    if len(text) <= _SHORT:
        return _normalize_short(text)
    return _SPACE.sub(" ", fold_chars(text)).strip()


# Labels, menu items, headings and names are folded again and again (by several rules on one page, and on
# every page of one site): short texts are remembered.
_SHORT = 80


@lru_cache(maxsize=16384)
def _normalize_short(text: str) -> str:
    return _SPACE.sub(" ", fold_chars(text)).strip()


def forget_folds() -> None:
    """Empty the cache of folded short texts (benchmarks: a page timed again must not find its own texts)."""
    _normalize_short.cache_clear()


# Tags newsrooms put in front of a headline to sell it; they say nothing about which story it is.
_KICKER_WORDS = ("عاجل", "خاص", "حصري", "فيديو", "صور", "صوره", "صورة", "شاهد", "انفوجراف", "إنفوجراف",
                 "انفوجرافيك", "إنفوجرافيك", "مباشر", "تحديث", "محدث", "بالفيديو", "بالصور")
_WORDS = "|".join(sorted(_KICKER_WORDS, key=len, reverse=True))
# A tag followed by a separator («عاجل:», «فيديو |», «شاهد..»), or bracketed («[عاجل]»).
_SEPARATOR = r"\s*(?:[:|/\-–—،,]+|\.\.+|…)\s*"
_KICKER = re.compile(  # (matched at a position: no «^», which would hold only at the string's start)
    rf"\s*(?:[«\"“(\[]\s*(?:{_WORDS})\s*[»\"”)\]](?:{_SEPARATOR}|\s+)|(?:{_WORDS}){_SEPARATOR})"
)
# «بالفيديو» and «بالصور» open no real sentence, so they are tags even without a separator.
_BARE_KICKER = re.compile(r"\s*(?:بالفيديو|بالصور)\s+")
_NON_SPACE = re.compile(r"\S")
# Separators a site uses between a headline and its own name.
_AFFIX_SEPARATORS = (" - ", " | ", " – ", " — ", " :: ", " / ", " » ")


def strip_kickers(title: str) -> str:
    """Remove leading tags such as «عاجل:», «بالفيديو..», «فيديو |» or «شاهد..» from a headline. Read by position,
    not by slicing the rest after each tag (a hostile title of 200,000 «عاجل:» took a minute that way)."""
    title = title.strip()
    start = 0
    while True:
        match = _KICKER.match(title, start) or _BARE_KICKER.match(title, start)
        # A tag must leave a headline behind: a title that is only «صور» stays as it is.
        if not match or not _NON_SPACE.search(title, match.end()):
            return title[start:].strip() if start else title
        start = match.end()


def _affix_candidates(title: str, suffix: bool) -> list[str]:
    """Every site-name-like tail (or head) of a title, separator included, short enough to be a name."""
    found = []
    for sep in _AFFIX_SEPARATORS:
        index = title.rfind(sep) if suffix else title.find(sep)
        if index <= 0:
            continue
        affix = title[index:] if suffix else title[:index + len(sep)]
        name = affix.replace(sep, "", 1).strip()
        rest = title[:index] if suffix else title[index + len(sep):]
        if name and len(name.split()) <= 5 and len(rest.split()) >= 2:
            found.append(affix if suffix else affix.lstrip())
    return found


def _learn_affix(titles: list[str], suffix: bool, min_share: float, min_count: int) -> str | None:
    """The affix most titles share; a real «X - Y» headline's Y varies, so it never reaches the share."""
    titles = [t.strip() for t in titles if t and t.strip()]
    counts: dict[str, int] = {}
    for title in titles:
        for affix in set(_affix_candidates(title, suffix)):
            counts[affix] = counts.get(affix, 0) + 1
    if not counts:
        return None
    affix, count = max(counts.items(), key=lambda kv: (kv[1], len(kv[0])))
    return affix if count >= min_count and count >= min_share * len(titles) else None


def learn_site_suffix(titles: list[str], min_share: float = 0.5, min_count: int = 3) -> str | None:
    """Learn a source's own name suffix (« - اليوم السابع») from many of its titles; None if none recurs."""
    return _learn_affix(titles, True, min_share, min_count)


def learn_site_prefix(titles: list[str], min_share: float = 0.5, min_count: int = 3) -> str | None:
    """Learn a source's recurring head tag («عام / », «اليوم السابع | ») from many of its titles."""
    return _learn_affix(titles, False, min_share, min_count)


def strip_site_affix(title: str, suffix: str | None = None, prefix: str | None = None) -> str:
    """Cut a learned suffix/prefix from a title, only where it is present and a headline remains."""
    title = title.strip()
    if suffix and title.endswith(suffix) and title[: -len(suffix)].strip():
        title = title[: -len(suffix)].strip()
    if prefix and title.startswith(prefix) and title[len(prefix):].strip():
        title = title[len(prefix):].strip()
    return title
