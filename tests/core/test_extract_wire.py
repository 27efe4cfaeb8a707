"""Wire-copy conventions: a dateline naming the agency, and dates kept in the offset the page states."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from workers.core.extract import extract_article

LEAD = ("توقعت دائرة الأرصاد الجوية هطول أمطار غزيرة على المناطق الشمالية اعتباراً من مساء الاثنين، "
        "مصحوبة برياح نشطة تصل سرعتها إلى ستين كيلومتراً في الساعة.")
REST = "ودعت الدائرة المواطنين إلى الابتعاد عن مجاري السيول والأودية وتوخي الحذر أثناء القيادة صباحاً."


def page(lead: str, meta: str = "") -> bytes:
    return (f'<html lang="ar"><head><meta charset="utf-8"><title>الأرصاد تتوقع أمطاراً | وكالة</title>{meta}</head>'
            f'<body><h1>الأرصاد تتوقع أمطاراً غزيرة على الشمال</h1><div class="news-text"><p>{lead}</p>'
            f"<p>{REST}</p><p>{REST}</p></div></body></html>").encode()


@pytest.mark.parametrize(("dateline", "agency"), [
    ("عمان 16 تشرين الثاني (بترا) - ", "بترا"),
    ("القاهرة (أ ش أ) – ", "أ ش أ"),
    ("الكويت - 3 - 5 (كونا) -- ", "كونا"),
])
def test_dateline_gives_the_agency_and_leaves_the_body(dateline: str, agency: str) -> None:
    article = extract_article(page(dateline + LEAD), "https://agency.example/n/1",
                              fetched_at=datetime(2026, 11, 16, tzinfo=UTC))
    assert article.original_source == agency
    assert article.body.startswith("توقعت دائرة الأرصاد")
    assert "(" + agency + ")" not in article.body


def test_a_paragraph_merely_mentioning_an_agency_is_kept() -> None:
    lead = "قال مسؤول لوكالة (بترا) إن الأمطار ستستمر أياماً عدة في المناطق الشمالية والوسطى من المملكة كلها."
    article = extract_article(page(lead), "https://agency.example/n/2")
    assert article.body.startswith("قال مسؤول")


def test_explicit_page_offset_is_kept_even_when_the_source_zone_differs() -> None:
    meta = '<meta property="article:published_time" content="2026-11-15T13:40:00+03:00">'
    article = extract_article(page(LEAD, meta), "https://agency.example/n/3", timezone="Africa/Cairo",
                              fetched_at=datetime(2026, 11, 16, tzinfo=UTC))
    assert article.published_at is not None
    assert article.published_at.isoformat() == "2026-11-15T13:40:00+03:00"


def test_lead_image_falls_back_to_the_first_real_picture_of_the_article() -> None:
    html = page(LEAD).replace(b'<div class="news-text">',
                              b'<img src="/icons/share.png" width="16"><figure><img src="/media/lead.jpg">'
                              b'</figure><div class="news-text">')
    article = extract_article(html, "https://agency.example/n/4")
    assert article.image == "https://agency.example/media/lead.jpg"


def test_relative_dates_carry_no_false_precision() -> None:
    html = page(LEAD).replace(b'<div class="news-text">',
                              '<div class="date">منذ 3 ساعات</div><div class="news-text">'.encode())
    article = extract_article(html, "https://agency.example/n/5",
                              fetched_at=datetime(2026, 11, 16, 12, 34, 56, 789, tzinfo=UTC))
    assert article.published_at is not None
    assert (article.published_at.second, article.published_at.microsecond) == (0, 0)
    assert article.published_at.astimezone(UTC).hour == 9


def test_header_date_in_an_unlabelled_block_and_an_in_body_read_also_list() -> None:
    from pathlib import Path

    html = (Path(__file__).parent.parent / "fixtures" / "pages" / "header_date_info_block.html").read_bytes()
    article = extract_article(html, "https://gate.example.eg/News/123.aspx")
    assert article.published_at is not None and article.published_at.isoformat() == "2026-11-15T14:30:00+02:00"
    assert article.authors == ["أحمد سمير"]
    assert [r.url for r in article.related] == ["https://gate.example.eg/n/5", "https://gate.example.eg/n/6"]
    assert "تابعوا" not in article.body and "اقرأ" not in article.body and "كتب" not in article.body
    assert article.body.count("\n\n") == 2


def test_wordpress_article() -> None:
    from pathlib import Path

    html = (Path(__file__).parent.parent / "fixtures" / "pages" / "wordpress_article.html").read_bytes()
    article = extract_article(html, "https://www.example.ma/economie/1234", timezone="Africa/Casablanca")
    assert article.title == "الحكومة تصادق على مشروع قانون المالية الجديد"
    assert article.published_at is not None and article.published_at.isoformat() == "2026-10-20T18:45:12+01:00"
    assert article.tags == ["قانون المالية", "الحكومة", "الدعم الاجتماعي"]
    assert "دعم اجتماعي مباشر" in article.body.split("\n\n")  # an in-body subheading is kept
    for leak in ("إعلان", "شارك", "تعليق", "الأكثر قراءة", "أرشيف", "البنك المركزي"):
        assert leak not in article.body
    titles = {r.title for r in article.related}
    assert titles >= {"البنك المركزي يبقي سعر الفائدة دون تغيير", "البرلمان يناقش الميزانية"}
