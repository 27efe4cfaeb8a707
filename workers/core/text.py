"""Text an operator reads, made safe to show: no bidi controls and no invisible format characters.

A hostile page or command can hide characters in a title, tag or source name that change how it displays
(U+202E RIGHT-TO-LEFT OVERRIDE shows «exe.txt» as «txt.exe») or make two names that look alike differ.
`strip_invisible` is for short display fields (titles, tags, names, reasons); `strip_bidi_controls` is for
the article body, which keeps the publisher's text except the controls that reorder what follows them.
"""

from __future__ import annotations

import re
import unicodedata

from workers.core.models import Article, RelatedLink, content_hash
from workers.core.urls import is_fetchable

# Embeddings, overrides and isolates (LRE RLE PDF LRO RLO, LRI RLI FSI PDI): they reorder the text after
# them, in a terminal or a browser, so they go even from the body.
BIDI_CONTROLS = "\u202a-\u202e\u2066-\u2069"
_BIDI = re.compile(f"[{BIDI_CONTROLS}]")

ZWNJ, ZWJ = "\u200c", "\u200d"
# Characters that never show but can change how their neighbours show: the format characters (Cf) and
# control characters (Cc) other than tab and line breaks. Written out as ranges so one regex pass does the
# work (a unicodedata lookup per character cost more than the rest of the cleaning); test_text checks the
# ranges against unicodedata for every code point. Left out on purpose: the Arabic number signs and
# end-of-ayah mark (U+0600-0605, U+06DD, U+070F, U+0890-0891, U+08E2, U+110BD, U+110CD), format
# characters that are visible (they enclose the digits after them), and ZWNJ/ZWJ, handled apart.
HIDDEN = ("\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b\u200e\u200f\u202a-\u202e"
          "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U00013430-\U0001343f\U0001bca0-\U0001bca3"
          "\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f")
_HIDDEN = re.compile(f"[{HIDDEN}]+")


def _joins_letters(text: str, index: int) -> bool:
    """A joiner with a letter or combining mark on both sides: inside a word, where it shapes it."""
    if index == 0 or index == len(text) - 1:
        return False
    return all(unicodedata.category(text[i])[0] in "LM" for i in (index - 1, index + 1))


def strip_invisible(text: str) -> str:
    """Remove bidi controls, invisible format characters (Cf) and control characters from display text.

    ZWNJ and ZWJ are kept inside words: Persian (and Urdu, Kurdish) spell with them — «می‌خواهم» without
    its ZWNJ is joined into a different-looking word — while in Arabic they only alter joining, so keeping
    them between two letters is harmless there and necessary elsewhere. At a word's edge, next to a space
    or another hidden character, they join nothing visible and are removed like the rest.
    """
    # hidden characters other than the joiners first, so a joiner's neighbours are what will be shown
    kept = _HIDDEN.sub("", text)
    if ZWNJ not in kept and ZWJ not in kept:
        return kept
    return "".join(c for i, c in enumerate(kept) if c not in (ZWNJ, ZWJ) or _joins_letters(kept, i))


def strip_bidi_controls(text: str) -> str:
    """Remove only the bidi embeddings, overrides and isolates (U+202A-202E, U+2066-2069)."""
    return _BIDI.sub("", text)


def _line(text: str | None) -> str:
    """One display line: hidden characters removed, then white space folded (a removed mark leaves none)."""
    return " ".join(strip_invisible(text or "").split())


def clean_article(article: Article) -> Article:
    """Make an article safe to store and show, in place: display fields through strip_invisible, the body
    through strip_bidi_controls and without NUL, and URL fields other than http(s) dropped. Idempotent;
    returns the article.

    The extractor's output and the store's publish both call it, so an Article built any other way is
    held to the same rule at the boundary.
    """
    article.title = _line(article.title)
    article.source = _line(article.source)
    for name in ("subtitle", "site_name", "original_source", "summary"):
        setattr(article, name, _line(getattr(article, name)) or None)
    article.tags = [t for t in map(_line, article.tags) if t]
    article.authors = [a for a in map(_line, article.authors) if a]
    article.related = [RelatedLink(_line(r.title), r.url) for r in article.related
                       if _line(r.title) and is_fetchable(r.url)]
    if article.image and not is_fetchable(article.image):
        article.image = None
    if article.claimed_canonical_url and not is_fetchable(article.claimed_canonical_url):
        article.claimed_canonical_url = None
    body = strip_bidi_controls(article.body).replace("\x00", "")  # a NUL never shows, and JSONB refuses it
    if body != article.body:
        article.body, article.content_hash = body, content_hash(body)
    return article
