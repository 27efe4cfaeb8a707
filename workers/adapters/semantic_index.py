"""The semantic stage's storage: headline vectors in the store, shared by every worker, and the links found.

Each worker process holds the vectors of its time window in memory, read from the store incrementally by
sequence number (a cache of shared rows, never the only copy). A new article's vector is committed before
its neighbours are read, so of two paraphrases stored at once on two workers at least one sees the other,
and links are written in both directions. Sequence numbers allocated but not yet committed when a worker
reads are remembered as holes and read again, so a slow transaction's row is not skipped.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine, delete, func, or_, select
from sqlalchemy.dialects import postgresql, sqlite

from workers.adapters import schema as t
from workers.adapters.embedder import Embedder
from workers.core import semantic
from workers.core.clock import utcnow
from workers.core.models import Article

HOLE_TTL = 300.0  # seconds a missing sequence number is looked for again (then it was a rollback)
MAX_HOLES = 10_000


@dataclass(frozen=True, slots=True)
class _Row:
    candidate: semantic.Candidate
    at: datetime


class SemanticIndex:
    """Embeds each new article's headline once and links it to likely same-story neighbours in the window."""

    def __init__(self, engine: Engine, embedder: Embedder, window: timedelta,
                 threshold: float = semantic.THRESHOLD) -> None:
        self.engine = engine
        self.embedder = embedder
        self.window = window
        self.threshold = threshold
        self._rows: dict[str, _Row] = {}
        self._last_seq: int | None = None
        self._holes: dict[int, float] = {}
        self._reads = 0

    def link(self, article: Article, *, refresh: bool = False) -> list[str]:
        """Store the article's vector (again when refresh: its headline may have changed) and link it to
        neighbours. Returns the ids newly found; an article already embedded is left as it is."""
        if not semantic.words(article.title) or (not refresh and self._embedded(article.id)):
            return []
        now = utcnow()
        at = min(article.published_at or article.fetched_at or now, now)  # a future date is not a later story
        vector = self.embedder.embed([semantic.story_text(article.title)])[0]
        with self.engine.begin() as conn:
            conn.execute(delete(t.article_embeddings).where(t.article_embeddings.c.article_id == article.id))
            conn.execute(t.article_embeddings.insert().values(article_id=article.id, model=self.embedder.name,
                                                              at=at, vector=semantic.pack(vector)))
        self._refresh()
        nearby = [r.candidate for r in self._rows.values()
                  if r.candidate.id != article.id and abs(r.at - at) <= self.window]
        found = semantic.same_story(article.title, vector, article.cluster_id, nearby, self.threshold)
        if found:
            rows = [{"article_id": a, "other_id": b, "score": score}
                    for other, score in found for a, b in ((article.id, other), (other, article.id))]
            insert = (postgresql.insert if self.engine.dialect.name == "postgresql" else sqlite.insert)
            with self.engine.begin() as conn:
                conn.execute(insert(t.same_story_links).values(rows)
                             .on_conflict_do_nothing(index_elements=["article_id", "other_id"]))
        return [other for other, _ in found]

    def _embedded(self, article_id: str) -> bool:
        with self.engine.connect() as conn:
            return conn.execute(select(t.article_embeddings.c.seq)
                                .where(t.article_embeddings.c.article_id == article_id)).first() is not None

    def _refresh(self) -> None:
        """Read the rows this process has not seen (and the holes), forget those far out of the window."""
        e, a = t.article_embeddings, t.articles
        query = (select(e.c.seq, e.c.article_id, e.c.at, e.c.vector, a.c.cluster_id, a.c.title)
                 .join(a, a.c.id == e.c.article_id).where(e.c.model == self.embedder.name))
        now = time.monotonic()
        with self.engine.connect() as conn:
            if self._last_seq is None:  # first read: the window's rows, then only what is new
                top = conn.execute(select(func.max(e.c.seq))).scalar() or 0
                rows = conn.execute(query.where(e.c.seq <= top, e.c.at >= utcnow() - 2 * self.window)).all()
                self._last_seq = top
            else:
                cond = e.c.seq > self._last_seq
                if self._holes:
                    cond = or_(cond, e.c.seq.in_(list(self._holes)))
                rows = conn.execute(query.where(cond)).all()
        seen = set()
        for row in rows:
            seen.add(row.seq)
            self._holes.pop(row.seq, None)
            self._rows[row.article_id] = _Row(semantic.Candidate(row.article_id, row.cluster_id, row.title,
                                                                 semantic.unpack(row.vector)), row.at)
        top = max(seen | {self._last_seq})
        if top - self._last_seq <= MAX_HOLES:  # a sequence that jumped far (a restore) is not a gap to watch
            self._holes.update({s: now for s in range(self._last_seq + 1, top) if s not in seen})
        self._last_seq = top
        self._holes = {s: since for s, since in self._holes.items() if now - since < HOLE_TTL}
        self._reads += 1
        if self._reads % 256 == 0:  # now and then, not on every page
            horizon = utcnow() - 2 * self.window
            self._rows = {k: r for k, r in self._rows.items() if r.at >= horizon}
