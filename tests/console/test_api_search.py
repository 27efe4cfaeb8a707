"""/api/articles?q=: stemmed Arabic search through the real API, ranked or by time, with plain-text snippets."""

from __future__ import annotations

import httpx
import pytest

from workers.core.clock import utcnow
from workers.core.models import Article


def _publish(rt, n: int, title: str, body: str, source: str = "demo-rss") -> None:  # type: ignore[no-untyped-def]
    url = f"https://news.example/s/{n}"
    rt.store.publish(Article(url=url, canonical_url=url, source=source, title=title, body=body,
                             published_at=utcnow()))


def test_search_ranks_filters_and_snips(api: str, rt) -> None:  # type: ignore[no-untyped-def]
    _publish(rt, 1, "مرة واحدة", "تحدث التقرير عن المفاوضات. " + "كلام عام آخر " * 60)
    _publish(rt, 2, "كثيرا", "والمفاوضات <b>للمفاوضات</b> بالمفاوضات مفاوضاتهم " * 3)
    _publish(rt, 3, "في مصدر آخر", "المفاوضات مستمرة", source="demo-atom")
    found = httpx.get(api + "/api/articles", params={"q": "مفاوضات"}).json()
    assert [a["title"] for a in found] == ["كثيرا", "في مصدر آخر", "مرة واحدة"]  # most, then shortest/newest
    by_time = httpx.get(api + "/api/articles", params={"q": "مفاوضات", "order": "time"}).json()
    assert [a["title"] for a in by_time] == ["في مصدر آخر", "كثيرا", "مرة واحدة"]
    only = httpx.get(api + "/api/articles", params={"q": "للمفاوضات", "source": "demo-atom"}).json()
    assert [a["title"] for a in only] == ["في مصدر آخر"]
    snippet = found[0]["snippet"]
    marked = [snippet["text"][h["start"]:h["end"]] for h in snippet["highlights"]]
    assert marked[:2] == ["والمفاوضات", "للمفاوضات"]
    assert "<b>" in snippet["text"]  # the page's text as it is: plain text, the client escapes it
    plain = httpx.get(api + "/api/articles").json()
    assert all("snippet" not in a for a in plain)  # only search results carry one
    brief = httpx.get(api + "/api/articles", params={"q": "مفاوضات", "brief": "true"}).json()
    assert "body" not in brief[0] and brief[0]["snippet"]["highlights"]


@pytest.mark.parametrize("q", ["ًٌٍ", "***", '""', "؟!", "«»"])
def test_nothing_to_look_for_finds_nothing(api: str, rt, q: str) -> None:  # type: ignore[no-untyped-def]
    _publish(rt, 1, "عنوان", "نص")  # a search the schema allows (its pattern cannot see letters): 200, none
    response = httpx.get(api + "/api/articles", params={"q": q})
    assert response.status_code == 200 and response.json() == []
    only_spaces = httpx.get(api + "/api/articles", params={"q": "\u00a0 \u2003"})
    assert [a["title"] for a in only_spaces.json()] == ["عنوان"]  # as if there were no q
    one = httpx.get(api + f"/api/articles/{only_spaces.json()[0]['id']}").json()
    assert "snippet" not in one


@pytest.mark.parametrize("q", ['NEAR(a b) OR c*', '"unclosed', "a -b", "col:value", "x:* & !y | z <-> w",
                               "'); DROP TABLE articles; --", "ا" * 256])
def test_hostile_searches_answer_200(api: str, rt, q: str) -> None:  # type: ignore[no-untyped-def]
    _publish(rt, 1, "عنوان", "نص")
    response = httpx.get(api + "/api/articles", params={"q": q})
    assert response.status_code == 200, response.text
    assert httpx.get(api + "/api/articles", params={"q": "x", "order": "best"}).status_code == 422
