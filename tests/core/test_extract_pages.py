"""Whole-page extraction against hand-written fixture pages (invented text), one row per behaviour."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from workers.core.errors import ExtractError
from workers.core.extract import extract_article

PAGES = Path(__file__).resolve().parents[1] / "fixtures" / "pages"
FETCHED = datetime(2025, 1, 1, 12, 0, tzinfo=UTC)


def extract(name: str, url: str, **kwargs):
    return extract_article((PAGES / name).read_bytes(), url, fetched_at=FETCHED, **kwargs)


SEED_URL = "https://khabar-hurr.example.net/news/4411"
BOILER_URL = "https://blue-city.example.com/news/70"


@pytest.fixture(scope="module")
def seed():
    return extract("seed_aggregator.html", SEED_URL, source="khabar")


@pytest.fixture(scope="module")
def boiler():
    return extract("boilerplate_kinds.html", BOILER_URL)


def test_seed_body_is_the_first_article_only(seed):
    paragraphs = seed.body.split("\n\n")
    assert len(paragraphs) == 3
    assert paragraphs[0].startswith("استقبلت العاصمة الروسية")
    assert paragraphs[-1].endswith("في غضون سنتين.")


@pytest.mark.parametrize("leak", ["المصدر", "كلمات دلالية", "إقرأ أيضاً", "قفصة", "معرض التمور", "موجة الجفاف",
                                  "مقالات مشابهة", "الأكثر قراءة", "الديربي", "عاجل"])
def test_seed_body_has_no_furniture_or_second_article(seed, leak):
    assert leak not in seed.body


def test_seed_metadata(seed):
    assert seed.title == "موسكو تستقبل وفدا تجاريا من تونس لبحث صادرات الزيتون"
    assert seed.original_source == "وكالة الأنباء الشمالية"  # the first المصدر, never the embedded one's
    assert seed.tags == ["تونس", "موسكو", "زيت الزيتون"]
    assert seed.site_name == "شبكة الخبر الحر"
    assert seed.source == "khabar"
    assert seed.canonical_url == "https://khabar-hurr.example.net/news/4411?id=4411"
    assert seed.image == "https://khabar-hurr.example.net/img/olive.jpg"
    assert seed.published_at == datetime.fromisoformat("2024-03-14T10:20:00+03:00")
    assert seed.language == "ar"
    assert seed.content_hash and seed.id


def test_seed_related_merged_and_most_read_excluded(seed):
    urls = [link.url for link in seed.related]
    titles = [link.title for link in seed.related]
    assert "https://khabar-hurr.example.net/news/4390" in urls
    assert "https://khabar-hurr.example.net/news/4391" not in urls  # «… فورا»: the same item plus one word
    assert "https://khabar-hurr.example.net/news/4392" in urls
    assert urls.count("https://khabar-hurr.example.net/news/4400") == 1
    assert not any("الديربي" in t or "الذهب" in t for t in titles)


def test_boilerplate_body_keeps_prose_subheading_and_br_paragraphs(boiler):
    paragraphs = boiler.body.split("\n\n")
    assert paragraphs == [
        "افتتح محافظ المدينة صباح اليوم مكتبة عامة جديدة في حي الزيتون، بعد عامين من أعمال البناء والتجهيز التي"
        " شارك فيها متطوعون من الحي.",
        "قاعة خاصة للأطفال",
        "وتضم المكتبة قاعة خاصة بالأطفال فيها ألعاب تعليمية وركن للحكايات، إلى جانب قاعة مطالعة تتسع لمئة قارئ.",
        "وقالت مديرة المكتبة إن الدخول مجاني لجميع السكان طوال أيام الأسبوع.",
        "وأشارت إلى أن المكتبة ستنظم ورشا أسبوعية في الكتابة الإبداعية والخط العربي بدءا من الشهر المقبل.",
    ]


@pytest.mark.parametrize("kind, text", [
    ("byline", "كتبت"), ("date line", "09:15"), ("caption", "واجهة المكتبة"), ("credit", "صورة أرشيفية"),
    ("inline read-also", "تشجير"), ("watch-also", "المتحف الوطني"), ("ad", "إعلان ممول"),
    ("embedded tweet", "تغريدة"), ("follow promo", "غوغل نيوز"), ("tag list", "الوسوم"),
    ("comments", "تعليق من قارئ"), ("comment policy", "الآراء الواردة"), ("share bar", "فيسبوك"),
    ("most read", "خبر شائع"), ("deck", "عشرين ألف كتاب"),
])
def test_boilerplate_kind_removed(boiler, kind, text):
    assert text not in boiler.body, kind


def test_boilerplate_fields(boiler):
    assert boiler.title == "افتتاح مكتبة عامة جديدة في حي الزيتون"
    assert boiler.subtitle == "المكتبة تضم عشرين ألف كتاب وقاعة للأطفال"
    assert boiler.authors == ["سلمى الراشد"]
    assert boiler.tags == ["مكتبة", "ثقافة", "حي الزيتون"]
    assert [r.url for r in boiler.related] == ["https://blue-city.example.com/news/77",
                                               "https://blue-city.example.com/news/80"]


def test_jsonld_graph_and_arrays():
    article = extract("jsonld_graph.html", "https://wadi.example.org/2023/11/05/river")
    assert article.authors == ["نادر الحسيني", "ليلى منصور"]  # the publisher as author is dropped
    assert article.tags == ["أمطار", "نهر الوادي", "طقس"]
    assert article.image == "https://wadi.example.org/img/river.jpg"
    assert article.site_name == "أخبار الوادي"
    assert article.published_at == datetime.fromisoformat("2023-11-05T14:30:00+02:00")
    assert article.updated_at == datetime.fromisoformat("2023-11-05T16:00:00+02:00")
    assert article.title == "ارتفاع منسوب نهر الوادي بعد أمطار غزيرة"


def test_wrong_jsonld_date_and_author_lose_to_page_evidence():
    article = extract("jsonld_wrong_date.html", "https://culture.example.com/2022/07/19/poetry-festival")
    assert article.published_at == datetime.fromisoformat("2022-07-19T20:05:00+03:00")
    assert article.authors == ["مروان الصافي"]


@pytest.mark.parametrize("name, url, timezone, expected", [
    ("dates_zone_mecca.html", "https://uni.example.com/n/1", None, "2024-10-06T20:45:00+03:00"),
    ("dates_zone_mecca.html", "https://uni.example.com/n/1", "Africa/Cairo", "2024-10-06T20:45:00+03:00"),
    ("dates_hijri_only.html", "https://khair.example.sa/n/2", None, "2024-03-25T00:00:00+03:00"),
    ("dates_relative.html", "https://power.example.eg/n/3", None, "2025-01-01T11:00:00+02:00"),
    ("dates_relative.html", "https://power.example.com/n/3", "Asia/Amman", "2025-01-01T12:00:00+03:00"),
])
def test_page_dates_and_zones(name, url, timezone, expected):
    article = extract(name, url, timezone=timezone)
    assert article.published_at == datetime.fromisoformat(expected)
    assert article.published_at.utcoffset() == datetime.fromisoformat(expected).utcoffset()
    assert "منذ" not in article.body and "بتوقيت" not in article.body


def test_no_date_gives_null():
    html = ("<html><body><div class='content'><p>" + "نص تجريبي طويل بلا أي تاريخ، فيه فواصل، وجمل. " * 8
            + "</p></div></body></html>").encode()
    article = extract_article(html, "https://nodate.example.com/a", fetched_at=FETCHED)
    assert article.published_at is None


@pytest.mark.parametrize("html", [b"", b"<html><body><nav>menu</nav></body></html>", b"\x00\x01"])
def test_page_without_article_raises(html):
    with pytest.raises(ExtractError):
        extract_article(html, "https://empty.example.com/")
