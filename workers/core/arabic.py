"""Arabic normalisation for matching (never for storage): one spelling per letter, no marks, ASCII digits."""

from __future__ import annotations

import re
import unicodedata

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


def strip_marks(text: str) -> str:
    """Remove diacritics, tatweel and invisible direction marks, keeping letters as written."""
    return _MARKS.sub("", text)


def normalize_arabic(text: str) -> str:
    """Fold text for matching: NFKC, marks removed, letter variants and digits unified, punctuation to spaces."""
    text = unicodedata.normalize("NFKC", text)
    text = strip_marks(text)
    text = text.translate(_LETTERS).translate(_DIGITS)
    text = _PUNCT.sub(" ", text.lower())
    return _SPACE.sub(" ", text).strip()
