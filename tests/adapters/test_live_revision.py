"""A live-coverage page fetched again with one more update is the same article at a higher revision."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from workers.core.extract import extract_article

PAGES = Path(__file__).resolve().parents[1] / "fixtures" / "structures"
NEW_UPDATE = ("<h3>15:05</h3>\n<p>أعلنت اللجنة المنظمة تمديد الجلسة المسائية ساعة إضافية لاستكمال النقاش حول "
              "مشروع الصندوق المشترك، بعد طلب تقدمت به ثلاثة وفود.</p>\n")


@pytest.mark.parametrize("store", ["sqlite"], indirect=True)
def test_a_new_update_raises_the_revision(store) -> None:  # type: ignore[no-untyped-def]
    page = (PAGES / "live__h3_time_blocks.html").read_text(encoding="utf-8")
    url = "https://eqtisad-portal.example/live/summit-opening"
    first = extract_article(page.encode(), url, fetched_at=datetime.fromisoformat("2026-06-03T10:30:00+00:00"))
    assert store.publish(first).status == "published"
    again = extract_article(page.encode(), url, fetched_at=datetime.fromisoformat("2026-06-03T10:45:00+00:00"))
    assert store.publish(again).status == "unchanged"

    later_page = page.replace("</div>\n<div class=\"tags-box\">", NEW_UPDATE + "</div>\n<div class=\"tags-box\">")
    assert later_page != page
    later = extract_article(later_page.encode(), url,
                            fetched_at=datetime.fromisoformat("2026-06-03T11:10:00+00:00"))
    assert later.id == first.id and later.published_at == first.published_at
    assert later.updated_at == datetime.fromisoformat("2026-06-03T15:05:00+04:00")
    assert "15:05" not in later.body and later.body.endswith("بعد طلب تقدمت به ثلاثة وفود.")
    result = store.publish(later)
    assert result.status == "updated" and result.article.revision == 2
    stored = store.get_article(first.id)
    assert stored is not None and stored.revision == 2 and stored.updated_at == later.updated_at
