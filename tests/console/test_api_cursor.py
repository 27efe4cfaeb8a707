"""/api/articles pages by cursor: X-Next-Cursor and Link rel=next name the next page; a bad cursor is a 422."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from workers.core.models import Article


def _publish(rt: Any, n: int) -> None:
    url = f"https://news.example/c/{n}"
    rt.store.publish(Article(url=url, canonical_url=url, source="demo-rss", title=f"خبر {n}", body=f"نص {n}"))


def test_pages_by_cursor_concatenate_and_new_rows_do_not_shift_them(api: str, rt: Any) -> None:
    for n in range(11):
        _publish(rt, n)
    whole = [a["id"] for a in httpx.get(api + "/api/articles", params={"limit": 100}).json()]
    seen: list[str] = []
    params: dict[str, Any] = {"limit": 4, "brief": "true"}
    for page in range(10):
        response = httpx.get(api + "/api/articles", params=params)
        assert response.status_code == 200
        seen += [a["id"] for a in response.json()]
        _publish(rt, 100 + page)  # published between two page requests
        following = response.headers.get("X-Next-Cursor")
        if following is None:
            assert "Link" not in response.headers
            break
        assert response.headers["Link"] == (f'<{api}/api/articles?limit=4&brief=true&cursor={following}>; '
                                            'rel="next"')
        params["cursor"] = following
    assert seen == whole


@pytest.mark.parametrize("cursor, says", [
    ("not base64!", "its pattern"),
    ("A" * 300, "cursor"),
    ("W10", "not one this listing returned"),
    ("eyJ4IjoxfQ", "not one this listing returned"),
])
def test_hostile_cursor_is_a_clear_422(api: str, rt: Any, cursor: str, says: str) -> None:
    response = httpx.get(api + "/api/articles", params={"cursor": cursor})
    assert response.status_code == 422 and says in response.text.lower(), response.text
    both = httpx.get(api + "/api/articles", params={"cursor": "W10", "offset": 3})
    assert both.status_code == 422 and "not both" in both.text
