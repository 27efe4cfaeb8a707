"""Tags (issue 12, item 4): a visible list under a tag heading or of tag-shaped links first, then article:tag,
JSON-LD and news_keywords; plain meta keywords last, only those the article uses, never the site's name nor a
section of its menus. Every page here is invented."""

from __future__ import annotations

import pytest

from workers.core.arabic import normalize_arabic
from workers.core.extract import extract_article

URL = "https://www.sahel-news.example/news/2026/03/12/desalination"
PROSE = ("<p>أعلنت بلدية الساحل صباح الخميس عن إطلاق المرحلة الأولى من مشروع تحلية مياه البحر، الذي يهدف إلى "
         "توفير مياه الشرب لنحو ثلاثين ألف أسرة في الأحياء الشرقية من المدينة.</p>"
         "<p>وقال رئيس البلدية في مؤتمر صحفي إن المشروع سينفذ على ثلاث مراحل، وإن البنية التحتية للشبكة القديمة "
         "ستستبدل بالكامل خلال عامين بتمويل من الحكومة المركزية وبعض الجهات المانحة.</p>"
         "<p>وأضاف أن البلديات المجاورة ستستفيد من المحطة في مرحلتها الثانية، مشيراً إلى أن العطاءات ستطرح خلال "
         "الأشهر المقبلة وفق الأنظمة المعمول بها في الساحل.</p>")
TAGS = ["تحلية المياه", "البلديات", "البنية التحتية"]
LINKS = "".join(f'<a href="{{href}}{t}">{t}</a> ' for t in TAGS)
MENU = ('<header><a class="logo" href="/"><img src="/logo.png" alt="أخبار الساحل"></a></header>'
        '<nav><ul class="menu"><li><a href="/">الرئيسية</a></li><li><a href="/local">محليات</a></li>'
        '<li><a href="/sport">رياضة</a></li><li><a href="/economy">اقتصاد</a></li></ul></nav>')


def page(after: str = "", head: str = "") -> bytes:
    return (f'<html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>بلدية الساحل تطلق مشروع تحلية المياه'
            f' | أخبار الساحل</title><meta property="og:site_name" content="أخبار الساحل">{head}</head><body>'
            f'{MENU}<main><article><h1>بلدية الساحل تطلق مشروع تحلية المياه</h1><div class="entry-content">{PROSE}'
            f"</div>{after}</article></main><footer>© 2026 أخبار الساحل</footer></body></html>").encode()


def links(href: str) -> str:
    return LINKS.replace("{href}", href)


def items(href: str) -> str:
    return "".join(f'<li><a href="{href}{t}">{t}</a></li>' for t in TAGS)


CASES = [
    # headed lists, whatever the markup
    ("h3 + ul", page(f'<div class="box"><h3>كلمات دلالية</h3><ul>{items("/search?q=")}</ul></div>'), TAGS),
    ("label: links", page(f'<div class="post-keywords">الكلمات الدالة: {links("/s/")}</div>'), TAGS),
    ("strong + links", page(f"<p><strong>الوسوم:</strong> {links('/k/')}</p>"), TAGS),
    ("label box + list box",
     page(f'<div class="row"><div><span>وسوم</span></div><div>{links("/x/")}</div></div>'), TAGS),
    ("li label", page(f'<ul class="td-tags"><li><span>الكلمات المفتاحية</span></li>{items("/t/")}</ul>'), TAGS),
    ("تاجز", page(f"<div><b>تاجز</b> {links('/k/')}</div>"), TAGS),
    ("Tags:", page(f"<div><span>Tags:</span><span>{links('/k/')}</span></div>"), TAGS),
    # tag-link URL shapes, no heading
    ("/tag/", page(f"<div>{links('/tag/')}</div>"), TAGS),
    ("/tags/", page(f"<div>{links('/tags/')}</div>"), TAGS),
    ("/keyword/", page(f"<div>{links('/keyword/')}</div>"), TAGS),
    ("/topics/", page(f"<div>{links('/topics/')}</div>"), TAGS),
    ("?tag=", page(f"<div>{links('/index.php?tag=')}</div>"), TAGS),
    ("/وسم/", page(f"<div>{links('/وسم/')}</div>"), TAGS),
    # declared tags
    ("article:tag", page(head="".join(f'<meta property="article:tag" content="{t}">' for t in TAGS)), TAGS),
    ("news_keywords", page(head=f'<meta name="news_keywords" content="{"، ".join(TAGS)}">'), TAGS),
    ("JSON-LD keywords", page(head='<script type="application/ld+json">{"@type":"NewsArticle","headline":"بلدية'
                                   ' الساحل تطلق مشروع تحلية المياه","keywords":"' + ",".join(TAGS) + '"}</script>'),
     TAGS),
    ("site name dropped", page(head=f'<meta name="news_keywords" content="أخبار الساحل، {"، ".join(TAGS)}">'), TAGS),
    # plain meta keywords: the site's name, its menu sections and words the article never uses are dropped
    ("site-wide keywords", page(head='<meta name="keywords" content="أخبار الساحل, محليات, رياضة, عاجل, الأخبار,'
                                     ' تحلية المياه, البلديات, القاهرة">'), ["تحلية المياه", "البلديات"]),
    ("only site-wide keywords", page(head='<meta name="keywords" content="أخبار الساحل, محليات, اقتصاد, دبي">'), []),
    ("visible beats keywords", page(f"<div>{links('/tag/')}</div>",
                                    head='<meta name="keywords" content="محليات, الساحل">'), TAGS),
    # a related list is no tag list
    ("related heading", page('<div><h4>مواضيع ذات صلة</h4><ul><li><a href="/n/1">الحكومة تطرح مناقصة جديدة لمحطة'
                             ' كهرباء</a></li></ul></div>'), []),
    # a site-wide cloud in a sidebar is no article's tags
    ("sidebar cloud", page(f'<div class="sidebar"><div class="widget"><h3>الوسوم</h3>{links("/s/")}</div></div>'),
     []),
]


@pytest.mark.parametrize(("name", "body", "expected"), CASES, ids=[c[0] for c in CASES])
def test_tags(name: str, body: bytes, expected: list[str]) -> None:
    tags = extract_article(body, URL).tags
    assert {normalize_arabic(t) for t in tags} == {normalize_arabic(t) for t in expected}, tags


def test_tag_classed_list_with_search_links() -> None:
    body = page('<div class="post-tags">' + "".join(f'<a href="/search/node/{t}">{t}</a>' for t in TAGS) + "</div>")
    assert {normalize_arabic(t) for t in extract_article(body, URL).tags} == {normalize_arabic(t) for t in TAGS}


def test_tag_cloud_widget_is_no_tag_list() -> None:
    body = page('<div class="tagcloud">' + "".join(f'<a href="/search/node/{t}">{t}</a>' for t in TAGS) + "</div>")
    assert extract_article(body, URL).tags == []


@pytest.mark.parametrize("block", [
    # Jannah (TieLabs): the post's tags in a span classed «tagcloud» under a «الوسوم» title
    '<div class="post-bottom-tags post-bottom-tags-wrap"><span class="tagcloud"><span class="tags-title">الوسوم'
    '</span>' + "".join(f'<a href="/tag/{t}/" rel="tag">{t}</a>' for t in TAGS) + "</span></div>",
    # JNews
    '<div class="jeg_post_tags"><span>Tags:</span> ' + "".join(f'<a href="/tag/{t}/" rel="tag">{t}</a>' for t in TAGS)
    + "</div>",
    # a post footer holding the headed list
    '<div class="post-footer"><div class="keywords"><strong>كلمات دلالية:</strong> '
    + "".join(f'<a href="/k?id={i}">{t}</a>' for i, t in enumerate(TAGS)) + "</div></div>",
])
def test_theme_tag_blocks(block: str) -> None:
    tags = extract_article(page(block), URL).tags
    assert {normalize_arabic(t) for t in tags} == {normalize_arabic(t) for t in TAGS}


@pytest.mark.parametrize("block", [
    '<nav class="post-tags" aria-label="الوسوم">' + "".join(f'<a href="/s?q={t}">{t}</a>' for t in TAGS) + "</nav>",
    '<aside class="article-tags"><ul>' + "".join(f'<li><a href="/s?q={t}">{t}</a></li>' for t in TAGS)
    + "</ul></aside>",
])
def test_tag_list_in_its_own_nav_or_aside(block: str) -> None:
    tags = extract_article(page(block), URL).tags
    assert {normalize_arabic(t) for t in tags} == {normalize_arabic(t) for t in TAGS}


def test_sidebar_aside_is_no_tag_list() -> None:
    block = '<aside class="sidebar"><div class="tags">' + "".join(f'<a href="/s?q={t}">{t}</a>' for t in TAGS)
    assert extract_article(page(block + "</div></aside>"), URL).tags == []
