"""Pages of every structure the extractor claims to handle (tests/fixtures/structures/README.md): body token F1
≥ 0.97, the exact title, the same instant, tags, authors and language, and no boilerplate in the body."""

from __future__ import annotations

import json
import unicodedata
from collections import Counter
from datetime import datetime
from pathlib import Path

import pytest

from workers.core.arabic import normalize_arabic, strip_marks
from workers.core.extract import extract_article

STRUCTURES = Path(__file__).resolve().parents[1] / "fixtures" / "structures"
CASES = sorted(STRUCTURES.glob("*.json"))


def _tokens(text: str) -> list[str]:
    return strip_marks(unicodedata.normalize("NFKC", text)).split()


def _f1(a: list[str], b: list[str]) -> float:
    if not a and not b:
        return 1.0
    common = sum((Counter(a) & Counter(b)).values())
    return 0.0 if not common else 2 * common / (len(a) + len(b))


def _same_time(value: datetime | None, truth: str | None) -> bool:
    """The same instant (offset included) for a full timestamp; the same day for a date alone."""
    if truth is None:
        return value is None
    if value is None:
        return False
    if len(truth) <= 10:
        return value.date().isoformat() == truth
    return value == datetime.fromisoformat(truth)


def extract_case(path: Path):  # type: ignore[no-untyped-def]
    """The fixture's expectations and the article extracted from its page, as the pipeline would."""
    truth = json.loads(path.read_text(encoding="utf-8"))
    fetched = truth.get("fetched_at")
    article = extract_article(path.with_suffix(".html").read_bytes(), truth["url"], truth.get("headers") or {},
                              fetched_at=datetime.fromisoformat(fetched) if fetched else None,
                              timezone=truth.get("timezone"))
    return truth, article


def test_there_are_enough_structures() -> None:
    """At least 40 pages in at least 20 structures (issue 12), each structure with two pages or more."""
    counts = Counter(json.loads(p.read_text(encoding="utf-8"))["structure"] for p in CASES)
    assert len(CASES) >= 40 and len(counts) >= 20, (len(CASES), sorted(counts))
    assert min(counts.values()) >= 2, counts


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_structure_page(path: Path) -> None:
    truth, article = extract_case(path)
    flat = " ".join(article.body.split())
    assert [s for s in truth.get("must_not_contain", []) if " ".join(s.split()) in flat] == []
    assert " ".join(article.title.split()) == " ".join(truth["title"].split())
    assert _f1(_tokens(article.body), _tokens(truth["body"])) >= 0.97, article.body
    assert _same_time(article.published_at, truth.get("published_at")), article.published_at
    if "updated_at" in truth:
        assert _same_time(article.updated_at, truth["updated_at"]), article.updated_at
    if "tags" in truth:
        assert {normalize_arabic(t) for t in article.tags} == {normalize_arabic(t) for t in truth["tags"]}
    if "authors" in truth:
        assert [normalize_arabic(a) for a in article.authors] == [normalize_arabic(a) for a in truth["authors"]]
    if "language" in truth:
        assert article.language == truth["language"]
