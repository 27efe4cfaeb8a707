"""Finding: text an operator reads carried bidi overrides and invisible format characters from hostile pages
and commands, so a title, tag or source name could display as something else (U+202E turns «exe.txt» into
«txt.exe»). They are removed wherever such text is stored; the body keeps its text but loses bidi controls.
"""

from __future__ import annotations

import pytest

from config.sources import parse_source
from workers.core.errors import ConfigError
from workers.core.extract import extract_article
from workers.core.models import Article, RelatedLink, Source

RLO, PDF, LRI, PDI = "\u202e", "\u202c", "\u2066", "\u2069"
ZWSP, LRM, RLM, ALM, BOM, SHY, WJ = "\u200b", "\u200e", "\u200f", "\u061c", "\ufeff", "\u00ad", "\u2060"
ZWNJ = "\u200c"
HOSTILE = (RLO, PDF, LRI, PDI, ZWSP, LRM, RLM, ALM, BOM, SHY, WJ, "\u202a", "\u202b", "\u202d", "\u2067", "\u2068")
BIDI = (RLO, PDF, LRI, PDI, "\u202a", "\u202b", "\u202d", "\u2067", "\u2068")
URL = "https://www.akhbar-example.com/v/1.html"


def has_any(text: str | None, chars: tuple[str, ...] = HOSTILE) -> bool:
    """True when text holds any of chars."""
    return bool(text) and any(c in text for c in chars)


def hostile_page() -> bytes:
    """Every operator-read field of a page laced with bidi controls and invisible characters."""
    title = f"{RLO}حريق{PDF} ضخم في {ZWSP}مستودع{LRM} للأخشاب بالمنطقة الصناعية{BOM}"
    paragraph = (f"اندلع حريق {RLO}ضخم{PDF} مساء اليوم في مستودع للأخشاب{RLM} بالمنطقة الصناعية في مدينة الزرقاء، "
                 f"وهرعت فرق الدفاع المدني إلى المكان{LRI}وعملت{PDI} على إخماد النيران ومنع امتدادها إلى المستودعات.")
    related = ('<section class="related-posts"><h2>مقالات ذات صلة</h2><ul>'
               f'<li><a href="/v/2.html">{RLO}خبر ثان عن{PDF} الميزانية العامة{ZWSP} للدولة</a></li></ul></section>')
    return (f'<!doctype html><html lang="ar"><head><meta charset="utf-8"><title>{title}</title>'
            f'<meta property="og:site_name" content="{RLO}شبكة{PDF} الخبر{WJ}">'
            f'<meta name="author" content="{LRI}أحمد{PDI} {ALM}علي">'
            f'<meta property="article:tag" content="{RLO}تونس{PDF}">'
            f'<meta property="article:tag" content="زيت{SHY} الزيتون">'
            f'</head><body><article><h1>{title}</h1>'
            f'<h2>{RLO}مصادر{PDF} تؤكد أن الحريق لم يسفر عن إصابات بشرية</h2>'
            f'<div class="article-body"><p>{paragraph}</p><p>{paragraph.replace("الزرقاء", "عمان")}</p>'
            f'<p>المصدر: {RLO}وكالة{PDF} الأنباء{ZWSP}</p></div>{related}</article></body></html>').encode()


def test_extraction_strips_invisible_characters_from_every_read_field() -> None:
    article = extract_article(hostile_page(), URL)
    assert article.title == "حريق ضخم في مستودع للأخشاب بالمنطقة الصناعية"
    fields = {"title": article.title, "subtitle": article.subtitle, "site_name": article.site_name,
              "original_source": article.original_source, "summary": article.summary,
              **{f"tag {i}": t for i, t in enumerate(article.tags)},
              **{f"author {i}": a for i, a in enumerate(article.authors)},
              **{f"related {i}": r.title for i, r in enumerate(article.related)}}
    assert article.subtitle and article.site_name and article.original_source and article.tags  # all found
    assert article.authors and article.related
    assert {k: v for k, v in fields.items() if has_any(v)} == {}
    # the body keeps its text, marks included, but no bidi override or isolate survives
    assert not has_any(article.body, BIDI)
    assert "اندلع حريق ضخم مساء اليوم" in article.body and RLM in article.body
    assert article.content_hash == Article(url=URL, canonical_url=URL, source="", title="t",
                                           body=article.body).content_hash


def test_persian_joiners_inside_words_are_kept() -> None:
    """ZWNJ shapes Persian words (می‌خواهم); removing it there would change the spelling, so it stays."""
    title = f"{ZWNJ}ایران می{ZWNJ}خواهد گفت{ZWNJ}وگو را ادامه دهد"
    body = (f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1><div class='article-body'>"
            + "<p>متن خبر به زبان فارسی است و به اندازه کافی طولانی است تا متن اصلی باشد و خوانده شود.</p>" * 3
            + "</div></article></body></html>").encode()
    assert extract_article(body, URL).title == f"ایران می{ZWNJ}خواهد گفت{ZWNJ}وگو را ادامه دهد"


def test_the_store_strips_what_reaches_it_by_another_road(store) -> None:  # type: ignore[no-untyped-def]
    """An Article built elsewhere than the extractor is cleaned at the store boundary too."""
    article = Article(url=URL, canonical_url=URL, source="a", title=f"{RLO}عنوان{PDF}", body=f"نص {RLO}الخبر{PDF}.",
                      tags=[f"وسم{ZWSP}"], authors=[f"{LRI}كاتب{PDI}"], site_name=f"موقع{BOM}",
                      subtitle=f"{RLM}عنوان فرعي", original_source=f"{ALM}RT",
                      related=[RelatedLink(f"{RLO}خبر{PDF}", "https://www.akhbar-example.com/v/2.html")])
    store.publish(article)
    stored = store.get_article(article.id)
    assert (stored.title, stored.body, stored.tags, stored.authors) == ("عنوان", "نص الخبر.", ["وسم"], ["كاتب"])
    assert (stored.site_name, stored.subtitle, stored.original_source) == ("موقع", "عنوان فرعي", "RT")
    assert stored.related[0].title == "خبر"
    assert store.list_articles(q="عنوان")[0].id == article.id


def test_source_names_and_disable_reasons_are_stored_clean(store) -> None:  # type: ignore[no-untyped-def]
    store.add_source(Source(name=f"rt{RLO}cibara", url="https://arabic.example.com/rss"))
    assert [s["name"] for s in store.list_sources()] == ["rtcibara"]
    assert store.set_source_enabled("rtcibara", False, reason=f"{RLO}paywall{PDF} {ZWSP}حظر")
    assert store.get_source("rtcibara")["disabled_reason"] == "paywall حظر"
    store.update_source("rtcibara", disabled_reason=f"410 Gone at {LRI}x{PDI}")
    assert store.get_source("rtcibara")["disabled_reason"] == "410 Gone at x"


def test_a_source_name_of_only_invisible_characters_is_refused(store) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError):
        store.add_source(Source(name=f"{RLO}{ZWSP}", url="https://arabic.example.com/rss"))
    assert store.list_sources() == []


@pytest.mark.parametrize("char", [RLO, PDF, LRI, PDI, ZWSP, LRM, RLM, ALM, BOM, SHY, WJ, ZWNJ, "\u200d"])
def test_the_sources_file_refuses_invisible_characters_in_names(char: str) -> None:
    """config/sources.py allows letters, digits, '.', '-' and '_' only: a format character is none of them."""
    with pytest.raises(ConfigError, match="may hold letters"):
        parse_source({"name": f"rt{char}arabic", "url": "https://arabic.example.com/rss"}, 0)
    with pytest.raises(ConfigError) as error:
        parse_source({"name": f"rt{char}arabic", "url": "https://arabic.example.com/rss"}, 0)
    assert char not in str(error.value)  # the message names it escaped, not as a live control
