"""The article's language, read from its text: the share of each script, then a language-identification model.

Script share alone cannot tell Arabic from Persian or Urdu (one script), nor English from French, so the text
goes to py3langid (langid.py's model, BSD, bundled in the wheel: no download at run time), restricted to the
languages written in the script that dominates. The model is loaded once per process, on first use (~0.6 s).
Short or mixed text falls back: to Arabic when the Arabic script dominates and the model is unsure, to the
page's declared language when it is written in the dominant script, else to the model's best guess.
"""

from __future__ import annotations

import copy
import re
import threading
from typing import Any

_ARABIC_LETTER = re.compile("[\u0620-\u064a\u066e-\u06d3\u06d5\u06ee\u06ef\u06fa-\u06ff\u0750-\u077f\ufb50-\ufdff"
                            "\ufe70-\ufefc]")
_LATIN_LETTER = re.compile("[A-Za-z\u00c0-\u024f]")
_OTHER_LETTER = re.compile("[\u0370-\u03ff\u0400-\u04ff\u0590-\u05ff\u0900-\u0dff\u0e00-\u0e7f\u3040-\u30ff"
                           "\u4e00-\u9fff\uac00-\ud7af]")
# Letters of the Arabic script that the Arabic alphabet lacks and Persian, Urdu, Pashto, Kurdish, Sindhi or
# Uyghur need (پ چ ژ گ ک ی ٹ ڈ ڑ ں ے ە ۆ …), and presentation forms, which hide what a letter is.
_NOT_ARABIC_ALPHABET = re.compile("[\u0672-\u06d3\u06d5\u06ee\u06ef\u06fa-\u06ff\u0750-\u077f\ufb50-\ufdff"
                                  "\ufe70-\ufefc]")
_TA_MARBUTA = "\u0629"  # frequent in Arabic, all but absent from the other languages of the script
# Languages the model knows that are written in each script (langid.py's 97-language set).
_ARABIC_SCRIPT = ("ar", "fa", "ur", "ps", "ug", "ku")
_SAMPLE = 500  # characters read: enough for a confident answer, cheap on long articles
_MIN_LETTERS = 12  # below this there is nothing to identify
_SURE = 0.9  # model confidence (normalised probability) taken without further evidence

_lock = threading.Lock()
_identifiers: dict[str, Any] = {}


def _models() -> dict[str, Any]:
    """py3langid's identifier (normalised probabilities), loaded once per process, in two restricted copies:
    the Arabic-script languages, and all the others (the arrays are shared; restricting builds new ones)."""
    if not _identifiers:
        with _lock:
            if not _identifiers:
                from py3langid.langid import MODEL_FILE, LanguageIdentifier

                full = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
                arabic = copy.copy(full)
                arabic.set_languages(_ARABIC_SCRIPT)
                full.set_languages([c for c in dict.fromkeys(full.nb_classes) if c not in _ARABIC_SCRIPT])
                _identifiers.update(arabic=arabic, other=full)
    return _identifiers


def load_model() -> None:
    """Load the model now (a worker process at start), not on the first page that needs it: most Arabic pages
    are decided by their letters alone, so that page may come long after start and pay ~0.6 s."""
    _models()


def _declared(declared: str | None) -> str | None:
    code = (declared or "").strip().split("-")[0].split("_")[0].lower()
    return code if 2 <= len(code) <= 3 and code.isalpha() else None


def _best(text: str, script: str) -> tuple[str, float]:
    """The model's most probable language among those written in script, with its probability."""
    lang, p = _models()[script].classify(text)
    return lang, float(p)


def detect_language(text: str, declared: str | None = None) -> str:
    """ISO 639-1 code of text's language ('ar', 'fa', 'ur', 'en', 'fr', …), never the declaration alone."""
    sample = text[:_SAMPLE]
    arabic = len(_ARABIC_LETTER.findall(sample))
    latin = len(_LATIN_LETTER.findall(sample))
    other = len(_OTHER_LETTER.findall(sample))
    letters = arabic + latin + other
    said = _declared(declared)
    if letters < _MIN_LETTERS:
        # nothing to read: the script decides when there is one, else what the page says, else Arabic
        if arabic and arabic >= latin + other:
            return "ar"
        return said or ("en" if latin else "ar")
    if arabic >= latin + other:
        if arabic >= 80 and _TA_MARBUTA in sample and not _NOT_ARABIC_ALPHABET.search(sample):
            # a paragraph in the Arabic alphabet alone, with its ة: no other language of the script is
            # written so, and the model would only confirm it (a fifth of a millisecond a page)
            return "ar"
        lang, p = _best(sample, "arabic")
        if lang == "ar" or p >= _SURE or (arabic >= 80 and p >= 0.6):
            return lang
        return said if said in _ARABIC_SCRIPT else "ar"
    lang, p = _best(sample, "other")
    if p >= 0.5 or latin + other >= 80 or not said or said in _ARABIC_SCRIPT:
        return lang
    return said
