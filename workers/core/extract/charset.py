"""Turn page bytes into text: HTTP header, BOM, <meta>, then detection that knows Arabic code pages."""

from __future__ import annotations

import codecs
import re
from collections.abc import Mapping

from charset_normalizer import from_bytes

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_:.-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]+encoding\s*=\s*["']([a-zA-Z0-9_.-]+)""", re.I)
_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?([a-zA-Z0-9_:.-]+)""", re.I)
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
         (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
# Single-byte code pages that decode any byte string, so a clean decode proves nothing about them.
_PERMISSIVE = {"cp1252", "latin_1", "iso8859_15", "ascii", "cp1256", "iso8859_6"}
# The code pages Arabic pages are actually written in when they are not UTF-8.
_ARABIC_PAGES = ("cp1256", "iso8859_6")
# "ال" (alef lam) is the commonest Arabic bigram; under a wrong code page it almost never survives.
_ALEF_LAM = "ال"
_ARABIC_LETTER = re.compile("[\u0621-\u064a]")


def decode_html(body: bytes, headers: Mapping[str, str] | None = None) -> str:
    """Decode an HTML page by what its bytes really are, trusting declarations only when they fit."""
    for bom, encoding in _BOMS:
        if body.startswith(bom):
            return body[len(bom):].decode(encoding, errors="replace")
    declared = _declared_encoding(body, headers)
    if body.isascii():
        return body.decode("ascii")
    try:
        # Valid multi-byte UTF-8 is almost never an accident, whatever the page declares.
        return body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if declared and declared != "utf_8" and declared not in _PERMISSIVE:
        text = _try_decode(body, declared)
        if text is not None:
            return text
    return _detect(body, declared)


def _declared_encoding(body: bytes, headers: Mapping[str, str] | None) -> str | None:
    """The charset named by the HTTP header, else by the first <meta> or XML declaration."""
    candidates = []
    content_type = (headers or {}).get("content-type", "")
    match = _HEADER_CHARSET.search(content_type)
    if match:
        candidates.append(match.group(1))
    head = body[:4096]
    for pattern in (_META_CHARSET, _XML_ENCODING):
        declared = pattern.search(head)
        if declared:
            candidates.append(declared.group(1).decode("ascii", "ignore"))
    for name in candidates:
        normalised = _codec_name(name)
        if normalised:
            return normalised
    return None


def _codec_name(name: str) -> str | None:
    """Python's canonical codec name for a label, folding the WHATWG rule that latin-1 means cp1252."""
    try:
        canonical = codecs.lookup(name.strip().lower()).name.replace("-", "_")
    except LookupError:
        return None
    aliases = {"iso8859_1": "cp1252", "latin_1": "cp1252", "iso8859_6": "iso8859_6",
               "windows_1256": "cp1256", "utf_8_sig": "utf_8"}
    return aliases.get(canonical, canonical)


def _try_decode(body: bytes, encoding: str) -> str | None:
    """Strict decode, or None when the bytes do not fit the encoding."""
    try:
        return body.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _arabic_score(text: str) -> float:
    """How much decoded text looks like Arabic: alef-lam pairs per Arabic letter (about 0.1 for real text)."""
    letters = len(_ARABIC_LETTER.findall(text))
    if letters < 20:
        return 0.0
    return text.count(_ALEF_LAM) / letters


def _detect(body: bytes, declared: str | None) -> str:
    """Pick the decoding that reads best: Arabic code pages by letter statistics, others by charset-normalizer."""
    scored: list[tuple[float, str]] = []
    for encoding in dict.fromkeys([*_ARABIC_PAGES, declared or "cp1256"]):
        text = _try_decode(body, encoding)
        if text is not None:
            scored.append((_arabic_score(text), encoding))
    lenient = body.decode("utf-8", errors="replace")
    if lenient.count("\ufffd") <= 8:
        # A UTF-8 page with a few broken bytes (a cut multi-byte character) is still UTF-8.
        scored.append((_arabic_score(lenient) + 0.01, "utf_8"))
    scored.sort(reverse=True)
    if scored and scored[0][0] >= 0.03:
        return body.decode(scored[0][1], errors="replace")
    # Not Arabic in any Arabic code page: let charset-normalizer judge (Latin, Cyrillic, CJK pages).
    best = from_bytes(body[:200_000]).best()
    if best is not None and best.encoding:
        return body.decode(best.encoding, errors="replace")
    return body.decode(declared or "utf-8", errors="replace")
