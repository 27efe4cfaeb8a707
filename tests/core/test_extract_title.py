"""Titles lose the site's name whatever joins it, at either end (issue 12, item 3), learned from what the page
itself says — never from a list of outlets. Every name and headline here is invented."""

from __future__ import annotations

import lxml.html
import pytest

from workers.core.extract.title import choose_title, page_names, site_names, strip_site_name

URL = "https://www.wadi-news.example/2026/03/12/story"

# (declared title, the names the page gives itself, expected headline)
STRIP = [
    # every separator, the name at the end
    ("ارتفاع أسعار القمح في الأسواق :: جريدة الوادي", ["جريدة الوادي"], "ارتفاع أسعار القمح في الأسواق"),
    ("ارتفاع أسعار القمح في الأسواق::جريدة الوادي", ["جريدة الوادي"], "ارتفاع أسعار القمح في الأسواق"),
    ("ارتفاع أسعار القمح في الأسواق | جريدة الوادي", ["جريدة الوادي"], "ارتفاع أسعار القمح في الأسواق"),
    ("ارتفاع أسعار القمح في الأسواق|جريدة الوادي", ["جريدة الوادي"], "ارتفاع أسعار القمح في الأسواق"),
    ("ارتفاع أسعار القمح في الأسواق - جريدة الوادي", ["جريدة الوادي"], "ارتفاع أسعار القمح في الأسواق"),
    ("ارتفاع أسعار القمح في الأسواق – جريدة الوادي", ["جريدة الوادي"], "ارتفاع أسعار القمح في الأسواق"),
    ("ارتفاع أسعار القمح في الأسواق — جريدة الوادي", ["جريدة الوادي"], "ارتفاع أسعار القمح في الأسواق"),
    ("ارتفاع أسعار القمح في الأسواق » جريدة الوادي", ["جريدة الوادي"], "ارتفاع أسعار القمح في الأسواق"),
    ("ارتفاع أسعار القمح في الأسواق : جريدة الوادي", ["جريدة الوادي"], "ارتفاع أسعار القمح في الأسواق"),
    ("ارتفاع أسعار القمح في الأسواق · جريدة الوادي", ["جريدة الوادي"], "ارتفاع أسعار القمح في الأسواق"),
    ("ارتفاع أسعار القمح في الأسواق / جريدة الوادي", ["جريدة الوادي"], "ارتفاع أسعار القمح في الأسواق"),
    # the name in front
    ("جريدة الوادي :: ارتفاع أسعار القمح", ["جريدة الوادي"], "ارتفاع أسعار القمح"),
    ("جريدة الوادي | ارتفاع أسعار القمح", ["جريدة الوادي"], "ارتفاع أسعار القمح"),
    ("جريدة الوادي » ارتفاع أسعار القمح", ["جريدة الوادي"], "ارتفاع أسعار القمح"),
    # both ends, and a name spelt differently (hamza, ta marbuta, alef maqsura)
    ("الوادي نيوز - انطلاق موسم الحصاد - جريدة الوادي", ["جريدة الوادي", "الوادي نيوز"], "انطلاق موسم الحصاد"),
    ("انطلاق موسم الحصاد | صحيفه الأنباء", ["صحيفة الانباء"], "انطلاق موسم الحصاد"),
    ("انطلاق موسم الحصاد | بوابة الأنباء الإلكترونية", ["بوابة الانباء"], "انطلاق موسم الحصاد"),
    # Latin names: the domain, the host's label, a brand's first word
    ("انطلاق موسم الحصاد - wadi-news.example", [], "انطلاق موسم الحصاد"),
    ("انطلاق موسم الحصاد | Wadi News", ["Wadi News"], "انطلاق موسم الحصاد"),
    ("انطلاق موسم الحصاد | WADI NEWS", ["Wadi News"], "انطلاق موسم الحصاد"),
    ("انطلاق موسم الحصاد - الوادي | Wadi", ["الوادي", "Wadi Arabic"], "انطلاق موسم الحصاد"),
    # keeps: a real headline with « - » or «:» inside, a segment that is only part of the name
    ("وزير الخارجية: لا تفاوض قبل وقف النار", ["جريدة الوادي"], "وزير الخارجية: لا تفاوض قبل وقف النار"),
    ("وزير الخارجية : لا تفاوض قبل وقف النار", ["جريدة الوادي"], "وزير الخارجية : لا تفاوض قبل وقف النار"),
    ("القاهرة - الرياض: خط طيران جديد", ["جريدة الوادي"], "القاهرة - الرياض: خط طيران جديد"),
    ("الحرب - السلام في رواية جديدة - جريدة الوادي", ["جريدة الوادي"], "الحرب - السلام في رواية جديدة"),
    ("مقابلة مع wadi: نحن مستمرون", [], "مقابلة مع wadi: نحن مستمرون"),
    ("اليوم | انطلاق موسم الحصاد", ["اليوم السابع"], "اليوم | انطلاق موسم الحصاد"),
    ("دمشق / بيروت: اتفاق على معبر جديد", ["جريدة الوادي"], "دمشق / بيروت: اتفاق على معبر جديد"),
    ("عنوان بلا فاصل ولا اسم موقع", ["جريدة الوادي"], "عنوان بلا فاصل ولا اسم موقع"),
    ("جريدة الوادي", ["جريدة الوادي"], "جريدة الوادي"),
]


@pytest.mark.parametrize(("title", "declared", "expected"), STRIP)
def test_strip_site_name_table(title: str, declared: list[str], expected: str) -> None:
    assert strip_site_name(title, site_names(URL, declared), set()) == expected


# (og:title, <title>, headings, names declared, expected)
CHOOSE = [
    # <title> and og:title join a name nobody declares, each its own way; the heading lacks it
    ("مجلس النواب يقر الموازنة – الشروق الجديد", "مجلس النواب يقر الموازنة :: الشروق الجديد",
     ["مجلس النواب يُقرّ الموازنة العامة"], [], "مجلس النواب يقر الموازنة"),
    # the same, the name in front
    ("الشروق الجديد | مجلس النواب يقر الموازنة", "الشروق الجديد :: مجلس النواب يقر الموازنة",
     ["تفاصيل الجلسة"], [], "مجلس النواب يقر الموازنة"),
    # a kicker repeated in both and in the heading is the headline's, not a name
    ("تقرير : الاقتصاد ينمو ببطء", "تقرير : الاقتصاد ينمو ببطء - الشروق الجديد",
     ["تقرير : الاقتصاد ينمو ببطء"], [], "تقرير : الاقتصاد ينمو ببطء"),
    # only <title> carries the name; og:site_name declares it
    ("", "مجلس النواب يقر الموازنة :: الشروق الجديد", [], ["الشروق الجديد"], "مجلس النواب يقر الموازنة"),
    # the heading confirms the cleaned title
    ("مجلس النواب يقر الموازنة :: الشروق", "مجلس النواب يقر الموازنة :: الشروق",
     ["مجلس النواب يقر الموازنة"], [], "مجلس النواب يقر الموازنة"),
    # no separator at all: kept as written
    ("وزير الخارجية: لا تفاوض", "وزير الخارجية: لا تفاوض", ["وزير الخارجية: لا تفاوض"], ["الشروق"],
     "وزير الخارجية: لا تفاوض"),
]


@pytest.mark.parametrize(("og", "tag", "heads", "declared", "expected"), CHOOSE)
def test_choose_title_table(og: str, tag: str, heads: list[str], declared: list[str], expected: str) -> None:
    metas = [og] if og else []
    assert choose_title(metas, tag, heads, site_names(URL, declared), set()) == expected


def test_page_names_from_logo_and_copyright() -> None:
    root = lxml.html.document_fromstring(
        '<html><body><header><a class="site-logo" href="/"><img src="/img/logo.png" alt="الشروق الجديد"></a>'
        '</header><main><p>نص</p></main><footer><p>© 2026 جميع الحقوق محفوظة لـ الشروق الجديد</p></footer>'
        "</body></html>")
    names = page_names(root)
    assert "الشروق الجديد" in names
    assert strip_site_name("خبر ما :: الشروق الجديد", site_names(URL, names), set()) == "خبر ما"


@pytest.mark.parametrize(("title", "expected"), [
    ("انطلاق موسم الحصاد - محليات - جريدة الوادي", "انطلاق موسم الحصاد"),
    ("انطلاق موسم الحصاد | محليات", "انطلاق موسم الحصاد"),
    # a menu label in front may be the story's own word (a country, a city): kept
    ("مصر - السعودية: اتفاق على خط ملاحي جديد", "مصر - السعودية: اتفاق على خط ملاحي جديد"),
    ("محليات عاجلة في المدينة - جريدة الوادي", "محليات عاجلة في المدينة"),
])
def test_menu_sections_cut_at_the_end_only(title: str, expected: str) -> None:
    menus = {"محليات", "مصر", "السعوديه", "رياضه"}
    assert strip_site_name(title, site_names(URL, ["جريدة الوادي"]), set(), menus) == expected


def test_app_name_and_handle_name_the_site() -> None:
    from workers.core.extract import extract_article

    prose = "".join(f"<p>فقرة رقم {i} من نص الخبر عن افتتاح المكتبة العامة الجديدة في وسط المدينة بحضور المسؤولين.</p>"
                    for i in range(5))
    html = ('<html lang="ar"><head><meta charset="utf-8"><title>افتتاح المكتبة العامة الجديدة » منارة الحي</title>'
            '<meta name="apple-mobile-web-app-title" content="منارة الحي">'
            '<meta name="twitter:site" content="@ManaraHay">'
            f'</head><body><div class="title-box">افتتاح المكتبة العامة الجديدة</div><div class="text">{prose}</div>'
            "</body></html>")
    assert extract_article(html.encode(), "https://mnr-hay.example/n/1").title == "افتتاح المكتبة العامة الجديدة"
    html = html.replace("» منارة الحي", "| ManaraHay").replace('content="منارة الحي"', 'content=""')
    assert extract_article(html.encode(), "https://mnr-hay.example/n/1").title == "افتتاح المكتبة العامة الجديدة"
