"""Which near-duplicate index this process uses: Redis when Redis is the broker, the store otherwise.

Either way every worker process on every machine consults the same index, so two workers handling
the same story at the same moment still put it in one cluster.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from workers.core.clock import utcnow
from workers.core.dedupe import Assignment, DedupeItem
from workers.core.models import Article

if TYPE_CHECKING:
    from workers.runtime import Runtime


class DedupeIndex(Protocol):
    def assign(self, item: DedupeItem) -> Assignment: ...


class ArticleDeduper:
    """Adapts an Article to the index's item and back."""

    def __init__(self, index: DedupeIndex) -> None:
        self.index = index

    def assign_article(self, article: Article) -> Assignment:
        at = article.published_at or article.fetched_at or utcnow()
        return self.index.assign(DedupeItem(article_id=article.id, source=article.source, title=article.title,
                                            body=article.body, at=at))


def build_dedupe_index(rt: Runtime) -> ArticleDeduper:
    window = rt.settings.dedupe_window_days
    if rt.redis is not None:
        from workers.adapters.dedupe_redis import RedisDedupeIndex

        return ArticleDeduper(RedisDedupeIndex(rt.redis, window_days=window))
    from workers.adapters.dedupe_store import StoreDedupeIndex

    return ArticleDeduper(StoreDedupeIndex(rt.store.engine, window_days=window))
