"""Refuse bytes that are not a web page (an image, an archive, random noise) before extraction reads them."""

from __future__ import annotations

import codecs
import re

from workers.core.errors import ExtractError

SAMPLE = 64 * 1024  # the head of the body decides; a page's markup starts there
MAX_CONTROL_SHARE = 0.03  # real pages: ~0; compressed or random bytes: ~11% (29 of 256 byte values)
# C0 controls other than tab, LF, FF, CR and ESC (ISO-2022 pages use ESC), plus DEL
_CONTROL = bytes([*range(0x00, 0x09), 0x0B, *range(0x0E, 0x1B), *range(0x1C, 0x20), 0x7F])
_CONTROL_CHARS = frozenset(_CONTROL.decode("latin-1"))
_MARKUP = re.compile(r"<(?:!doctype\s+html|html|head|body|meta|title|div|article|section|main|p|span|"
                     r"table|a\s+href|h[1-6]|br|script|style|link|\?xml|rss|feed|urlset)[\s>/]", re.I)
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def _wide_text(sample: bytes) -> str | None:
    """The sample decoded when it is UTF-16/32 (bytes full of NULs and 0x06, fine as text), else None."""
    for bom, encoding in _BOMS:
        if sample.startswith(bom):
            return sample.decode(encoding, "replace")
    # UTF-16 without a BOM (the charset named in a header or meta): ASCII markup puts a NUL in every
    # other byte, always on the same side, where noise spreads its NULs evenly
    half = max(len(sample) // 2, 1)
    even, odd = sample[0::2].count(0) / half, sample[1::2].count(0) / half
    if max(even, odd) > 0.3 and min(even, odd) < 0.02:
        return sample[: len(sample) // 2 * 2].decode("utf-16-be" if even > odd else "utf-16-le", "replace")
    return None


def _utf8(sample: bytes) -> str | None:
    """The sample as UTF-8 (a character cut at the end is fine), or None when it is not UTF-8."""
    try:
        return codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
    except UnicodeDecodeError:
        return None


def refuse_binary(body: bytes) -> None:
    """Raise ExtractError when body is binary (NUL or many control bytes, or undecodable without markup)."""
    sample = body[:SAMPLE]
    if not sample:
        return
    wide = _wide_text(sample)
    if wide is not None:
        controls = sum(1 for ch in wide if ch in _CONTROL_CHARS)
        share, has_nul = controls / max(len(wide), 1), "\x00" in wide
        text, decoded = wide, wide.count("\ufffd") <= 1  # the cut at SAMPLE may split one character
    else:
        share = (len(sample) - len(sample.translate(None, _CONTROL))) / len(sample)
        has_nul = b"\x00" in sample
        utf8 = _utf8(sample)
        # legacy 8-bit pages (cp1256) are not UTF-8 either; their markup tells them from noise
        text, decoded = (utf8, True) if utf8 is not None else (sample.decode("latin-1"), False)
    if share > MAX_CONTROL_SHARE:
        raise ExtractError(f"binary content, not a web page ({share:.0%} control bytes)")
    if (has_nul or not decoded) and not _MARKUP.search(text):
        raise ExtractError("binary content, not a web page (no HTML markup"
                           + (", NUL bytes)" if has_nul else ", not decodable as text)"))
