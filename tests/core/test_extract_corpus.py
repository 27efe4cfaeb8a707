"""The shared corpus of real Arabic pages, when present: no leaks, titles exact, body and dates close."""

from __future__ import annotations

import json
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

from workers.core.arabic import strip_marks
from workers.core.extract import extract_article

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "extraction"
CASES = sorted(CORPUS.glob("*.json")) if CORPUS.is_dir() else []


def _tokens(text: str) -> list[str]:
    return strip_marks(unicodedata.normalize("NFKC", text)).split()


def _f1(a: list[str], b: list[str]) -> float:
    common = sum((Counter(a) & Counter(b)).values())
    return 0.0 if not common else 2 * common / (len(a) + len(b))


@pytest.mark.skipif(not CASES, reason="shared extraction corpus not present")
@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_corpus_page(path):
    truth = json.loads(path.read_text(encoding="utf-8"))
    article = extract_article(path.with_suffix(".html").read_bytes(), truth["url"])
    flat = " ".join(article.body.split())
    assert [s for s in truth.get("must_not_contain", []) if " ".join(s.split()) in flat] == []
    assert " ".join(article.title.split()) == " ".join(truth["title"].split())
    assert _f1(_tokens(article.body), _tokens(truth["body"])) >= 0.9
    if truth.get("published"):
        assert article.published_at is not None
        assert article.published_at.date().isoformat() == truth["published"][:10]
