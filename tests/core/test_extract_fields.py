"""Field helpers: title cleaning, bylines, related merging, tags, canonical URLs."""

from __future__ import annotations

import pytest

from workers.core.extract import extract_article
from workers.core.extract.authors import clean_author
from workers.core.extract.canonical import canonicalize_url
from workers.core.extract.related import merge_related
from workers.core.extract.tags import is_title_words, unique_tags
from workers.core.extract.title import choose_title, site_names, strip_site_name


@pytest.mark.parametrize("title, site, expected", [
    ("عنوان الخبر الأول - اليوم السابع", "اليوم السابع", "عنوان الخبر الأول"),
    ("المدينة نيوز - عنوان الخبر الثاني", "المدينة نيوز", "عنوان الخبر الثاني"),
    ("عنوان الخبر الثالث | بوابة أخبار اليوم الإلكترونية", "بوابة اخبار اليوم", "عنوان الخبر الثالث"),
    ("عنوان رابع - الصباح | Assabah", "Assabah News", "عنوان رابع"),
    ("وزارة العمل: تفاصيل جديدة - اليوم السابع", "اليوم السابع", "وزارة العمل: تفاصيل جديدة"),
    ("عنوان بلا موقع", "اليوم السابع", "عنوان بلا موقع"),
    ("الحرب - السلام في عنوان واحد", "موقع آخر", "الحرب - السلام في عنوان واحد"),
])
def test_strip_site_name(title, site, expected):
    names = site_names("https://www.example.com/a", [site])
    names.add("الصباح")
    assert strip_site_name(title, names, set()) == expected


def test_strip_section_segment():
    assert strip_site_name("عنوان الخبر - عبر الإمارات - البيان", {"البيان"}, {"عبر الامارات"}) == "عنوان الخبر"


def test_title_prefers_confirmed_h1_over_truncated_metadata():
    full = "وزارة النقل تشغل سيارات كهربائية للعمل تاكسى في العاصمة الجديدة.. وتؤكد: الحجز يبدأ الأربعاء عبر تطبيق"
    truncated = full[:70]
    assert choose_title([truncated], truncated, [full], set(), set()) == full


def test_title_ignores_unconfirmed_h1():
    assert choose_title(["عنوان المقال الحقيقي"], "عنوان المقال الحقيقي - موقع", ["شعار الموقع الكبير"],
                        {"موقع"}, set()) == "عنوان المقال الحقيقي"


@pytest.mark.parametrize("raw, expected", [
    ("كتب: أحمد سالم", ["أحمد سالم"]), ("كتبت منى عادل", ["منى عادل"]), ("بقلم د. خالد عمر", ["د. خالد عمر"]),
    ("إعداد: ريم فؤاد", ["ريم فؤاد"]), ("حوار: آسيا النوري", ["آسيا النوري"]),
    ("حسام العلي - القاهرة", ["حسام العلي"]), ("سعاد كامل، مازن حداد", ["سعاد كامل", "مازن حداد"]),
    ("وليد سالم و منى علي", ["وليد سالم", "منى علي"]),
    ("https://facebook.com/someone", []), ("(أبوظبي - البيان)", []), ("LBCI", []), ("اليوم السابع", []),
])
def test_clean_author(raw, expected):
    assert clean_author(raw, {"lbci", "lbcgroup", "اليوم السابع"}) == expected


def test_related_merged_by_url_and_near_identical_title():
    page = "https://news.example.com/a/1"
    merged = merge_related([
        ("روسيا تدعو إلى الإفراج عن مواطنيها المحتجزين", "/a/2"),
        ("روسيا تدعو إلى الإفراج عن مواطنيها المحتجزين فورا", "/a/3"),
        ("روسيا تدعو إلى الإفراج عن مواطنيها", "/a/4"),  # two words fewer: still the same item
        ("خبر مختلف تماما عن الرياضة المحلية", "/a/5?utm_source=x"),
        ("عنوان آخر للخبر نفسه بالرابط نفسه", "/a/5"),
        ("الصفحة نفسها لا تعد رابطا ذا صلة", "/a/1#top"),
        ("رابط إلى موقع آخر تماما للإعلان", "https://ads.example.org/x"),
        ("رابط إلى موقع يشبه اسمه اسم الموقع", "https://evilexample.com/x"),  # a suffix, not the same site
        ("موضوع من نسخة الموقع للهواتف المحمولة", "https://m.example.com/a/9"),  # the same outlet's mobile site
        ("مشاركة", "https://facebook.com/share"),
    ], page)
    assert [(r.title, r.url) for r in merged] == [
        ("روسيا تدعو إلى الإفراج عن مواطنيها المحتجزين", "https://news.example.com/a/2"),
        ("خبر مختلف تماما عن الرياضة المحلية", "https://news.example.com/a/5"),
        ("موضوع من نسخة الموقع للهواتف المحمولة", "https://m.example.com/a/9"),
    ]


def test_related_entries_merged_by_the_duplicate_index_title_rule():
    """The same title-only rule as the index: kickers and spelling merge; another figure or ordinal does not."""
    merged = merge_related([
        ("الحكومة تدعو إلى الإفراج عن البحارة المحتجزين في الميناء", "/r/1"),
        ("عاجل: الحكومة تدعو الى الافراج عن البحارة المحتجزين في الميناء", "/r/2"),
        ("إقلاع الرحلة الرابعة لإجلاء العالقين من المطار", "/r/3"),
        ("إقلاع الرحلة السادسة لإجلاء العالقين من المطار", "/r/4"),
        ("ارتفاع سعر الدولار إلى 48 جنيها في البنوك", "/r/5"),
        ("ارتفاع سعر الدولار إلى 49 جنيها في البنوك", "/r/6"),
        ("البحارة المحتجزين الحكومة تدعو الميناء", "/r/7"),  # same words, no longer the same sentence
    ], "https://news.example.com/a/1")
    assert [r.url.rsplit("/", 1)[1] for r in merged] == ["1", "3", "4", "5", "6", "7"]


def test_tags_deduplicated_and_cleaned():
    assert unique_tags(["#غزة", "غزه", " موسكو ", "news", "عنوان المقال"], "عنوان المقال") == ["#غزة"[1:], "موسكو"]


def test_keywords_that_only_cut_the_title_are_not_tags():
    assert is_title_words(["طهران", "تدفن", "العالم"], "طهران تدفن العالم النووي")
    assert not is_title_words(["إيران", "الملف النووي"], "طهران تدفن العالم النووي")


@pytest.mark.parametrize("url, base, expected", [
    ("https://WWW.Example.COM/a?utm_source=x&utm_medium=y&id=5#frag", "", "https://www.example.com/a?id=5"),
    ("/news/9?fbclid=abc&gclid=d", "https://example.com/x", "https://example.com/news/9"),
    ("https://example.com:443/a", "", "https://example.com/a"),
    ("https://example.com/خبر", "", "https://example.com/%D8%AE%D8%A8%D8%B1"),
])
def test_canonicalize_url(url, base, expected):
    assert canonicalize_url(url, base) == expected


def test_a_short_page_is_read_in_the_language_of_its_title_and_body_not_its_declaration() -> None:
    """A photo page's body is a caption: the headline carries most of its words (issue 12, item 6)."""
    html = ('<html lang="ar"><head><title>Le festival de Carthage ouvre ses portes ce soir avec un concert</title>'
            '</head><body><article><h1>Le festival de Carthage ouvre ses portes ce soir avec un concert</h1>'
            '<div class="content"><p>Photos : Sami Ben Ali, Carthage, 2026.</p></div></article></body></html>')
    article = extract_article(html.encode(), "https://example.tn/fr/a/1")
    assert article.body == "Photos : Sami Ben Ali, Carthage, 2026."
    assert article.language == "fr"
