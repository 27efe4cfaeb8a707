"""A small Arabic news site on 127.0.0.1 for the demo and the tests: RSS, Atom, four page templates, served by
the project's one loopback server (`demo/loopback.py`)."""

from __future__ import annotations

import html
import json
from datetime import datetime
from email.utils import format_datetime
from urllib.parse import parse_qs, urlsplit

from demo.content import EMBEDDED, RELATED_TITLES, STORIES, Story
from demo.loopback import Handler, LoopbackSite, Reply, tagged

SITE = "الساحل اليوم"
AR_MONTHS = ["يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر",
             "نوفمبر", "ديسمبر"]
LEVANT_MONTHS = ["كانون الثاني", "شباط", "آذار", "نيسان", "أيار", "حزيران", "تموز", "آب", "أيلول",
                 "تشرين الأول", "تشرين الثاني", "كانون الأول"]
AR_DAYS = ["الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد"]
e = html.escape


def _when(story: Story) -> datetime:
    return datetime.fromisoformat(story.published)


def _paras(story: Story) -> str:
    out = []
    for p in story.paragraphs:
        # a short line without a full stop is an in-body subheading
        out.append(f"<h2>{e(p)}</h2>" if len(p) < 40 else f"<p>{e(p)}</p>")
    return "\n".join(out)


def _shell(title: str, head: str, body: str) -> str:
    nav = ('<header class="site-header"><a href="/">الرئيسية</a> <a href="/section/news">أخبار</a> '
           '<a href="/section/culture">ثقافة</a><div class="ticker">عاجل: انطلاق بطولة الشطرنج المدرسية</div>'
           '</header>')
    footer = ('<footer><p>جميع الحقوق محفوظة © 2026 الساحل اليوم</p>'
              '<p>تابعونا على فيسبوك وتويتر</p></footer>')
    return (f'<!DOCTYPE html>\n<html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>{e(title)}</title>'
            f"{head}</head><body>{nav}{body}{footer}</body></html>")


def _og(story: Story, url: str, site: str) -> str:
    return (f'<meta property="og:title" content="{e(story.title)}"><meta property="og:site_name" '
            f'content="{e(site)}"><meta property="og:url" content="{e(url)}"><meta property="og:type" '
            f'content="article"><meta property="og:image" content="/img/{story.slug}.jpg">'
            f'<link rel="canonical" href="{e(url)}">')


def render_classic(story: Story, base: str) -> str:
    url = f"{base}/news/{story.slug}"
    when = _when(story)
    ld = {"@context": "https://schema.org", "@graph": [
        {"@type": "WebSite", "name": SITE, "url": base},
        {"@type": "NewsArticle", "headline": story.title, "datePublished": story.published,
         "author": [{"@type": "Person", "name": story.author}] if story.author else [],
         "keywords": story.tags, "image": [f"{base}/img/{story.slug}.jpg"],
         "publisher": {"@type": "Organization", "name": SITE}}]}
    hour = when.strftime("%I:%M")
    date_line = (f"{AR_DAYS[when.weekday()]} {when.day} {AR_MONTHS[when.month - 1]} {when.year} - {hour} "
                 f"{'ص' if when.hour < 12 else 'م'}")
    description = e(story.subtitle or story.paragraphs[0][:150])
    head = (_og(story, url, SITE) + f'<meta name="description" content="{description}">'
            f'<script type="application/ld+json">{json.dumps(ld, ensure_ascii=False)}</script>')
    related_inline = ('<p class="read-also"><strong>اقرأ أيضاً:</strong> <a href="/news/school-meals">'
                      'برنامج الوجبات المدرسية يتوسع ليشمل مئتي مدرسة ريفية</a></p>')
    paragraphs = _paras(story).split("\n")
    paragraphs.insert(2, related_inline)
    body = (f'<main><article class="story"><div class="breadcrumb">{e(story.section)}</div>'
            f'<h1 class="story-title">{e(story.title)}</h1>'
            + (f'<h2 class="story-subtitle">{e(story.subtitle)}</h2>' if story.subtitle else "")
            + f'<div class="byline">كتب: {e(story.author or "")}</div><div class="date">{date_line}</div>'
            '<div class="share"><a href="#">فيسبوك</a> <a href="#">تويتر</a> <a href="#">واتساب</a></div>'
            f'<figure><img src="/img/{story.slug}.jpg" alt=""><figcaption>صورة أرشيفية - تصوير: '
            'مكتب الصور</figcaption></figure>'
            f'<div class="story-body">{"".join(paragraphs)}</div>'
            '<div class="promo">تابعوا الساحل اليوم على غوغل نيوز</div>'
            '<div class="tags"><span>كلمات دلالية:</span> '
            + " ".join(f'<a href="/tag/{e(t)}">{e(t)}</a>' for t in story.tags) + "</div>"
            '<section class="comments"><h3>التعليقات</h3><p>التعليقات المنشورة تعبر عن آراء أصحابها، '
            'ويرجى الالتزام بقواعد النشر.</p></section></article>'
            '<aside class="most-read"><h3>الأكثر قراءة</h3><ul><li><a href="/news/rain-forecast">'
            'الأرصاد تتوقع أمطاراً غزيرة</a></li></ul></aside></main>')
    return _shell(f"{story.title} - {SITE}", head, body)


def render_magazine(story: Story, base: str) -> str:
    site = "مجلة المدينة"
    url = f"{base}/mag/{story.slug}"
    when = _when(story)
    head = (_og(story, url, site) + f'<meta property="article:published_time" content="{story.published}">'
            f'<meta name="author" content="{e(story.author or "")}">'
            + "".join(f'<meta property="article:tag" content="{e(t)}">' for t in story.tags))
    text = "<br><br>".join(e(p) for p in story.paragraphs)
    body = (f'<div class="page"><div class="post"><h1>{e(story.title)}</h1>'
            f'<p class="meta">بقلم {e(story.author or "")} | <time datetime="{story.published}">'
            f'{when.day} {LEVANT_MONTHS[when.month - 1]} {when.year}</time></p>'
            f'<div class="entry-content">{text}<blockquote class="twitter-tweet"><p>تغريدة مضمنة لا تنتمي '
            'إلى نص المقال</p></blockquote></div>'
            '<div class="post-tags">الوسوم: ' + "، ".join(f'<a href="/t/{e(t)}">{e(t)}</a>' for t in story.tags)
            + '</div><div class="related"><h3>أخبار ذات صلة</h3><ul><li><a href="/mag/library-festival">'
            'مهرجان القراءة السنوي يستقبل زواره</a></li></ul></div></div>'
            '<div class="newsletter">اشترك في نشرتنا البريدية</div></div>')
    return _shell(f"{story.title} | {site}", head, body)


def render_agency(story: Story, base: str) -> str:
    site = "وكالة الأنباء"
    url = f"{base}/agency/{story.slug}"
    when = _when(story)
    head = (f'<meta name="keywords" content="{e(", ".join(story.tags))}"><link rel="canonical" href="{e(url)}">'
            f'<meta name="description" content="{e(story.paragraphs[0][:140])}">')
    first = (f"عمان {when.day} {LEVANT_MONTHS[when.month - 1]} ({e(story.attribution or '')}) - "
             + e(story.paragraphs[0]))
    paras = [f"<p>{first}</p>"] + [f"<p>{e(p)}</p>" for p in story.paragraphs[1:]]
    body = (f'<div id="content"><h1 class="title">{e(story.title)}</h1>'
            f'<span class="pub-date">{when.strftime("%Y/%m/%d %H:%M")} بتوقيت عمان</span>'
            f'<div class="news-text">{"".join(paras)}</div>'
            '<div class="share-bar">شارك: <a href="#">فيسبوك</a></div></div>')
    return _shell(f"{site} | {story.title}", head, body)


def render_aggregator(story: Story, base: str) -> str:
    url = f"{base}/agg/{story.slug}"
    when = _when(story)
    head = (_og(story, url, "شبكة الأخبار") + f'<meta property="article:published_time" content="{story.published}">'
            f'<meta name="keywords" content="{e(",".join(story.tags))}">')
    embedded = "".join(f"<p>{e(p)}</p>" for p in EMBEDDED.paragraphs)
    related = "".join(f'<li><a href="/agg/rel/{slug}">{e(title)}</a></li>' for slug, title in RELATED_TITLES)
    body = (f'<div class="container"><div class="post-content"><h1>{e(story.title)}</h1>'
            f'<div class="post-date">{when.day} {AR_MONTHS[when.month - 1]} {when.year}</div>'
            f'{"".join(f"<p>{e(p)}</p>" for p in story.paragraphs)}'
            f'<p>المصدر: {e(story.attribution or "")}</p>'
            '<div class="keywords">كلمات دلالية: ' + " ".join(f'<a href="/k/{e(t)}">{e(t)}</a>' for t in story.tags)
            + "</div>"
            f'<div class="read-more"><h3>إقرأ أيضاً:</h3><h2>{e(EMBEDDED.title)}</h2>{embedded}'
            '<p>المصدر: وكالة العاصمة</p></div>'
            f'<div class="similar"><h3>مقالات مشابهة</h3><ul>{related}</ul></div></div></div>')
    return _shell(f"{story.title} - شبكة الأخبار", head, body)


RENDER = {"classic": ("news", render_classic), "magazine": ("mag", render_magazine),
          "agency": ("agency", render_agency), "aggregator": ("agg", render_aggregator)}


def story_url(story: Story, base: str) -> str:
    return f"{base}/{RENDER[story.template][0]}/{story.slug}"


def render_rss(base: str, stories: list[Story]) -> str:
    items = "".join(
        f"<item><title>{e(s.title)}</title><link>{e(story_url(s, base))}?utm_source=rss&amp;utm_medium=feed"
        f"</link><guid>{e(story_url(s, base))}</guid><pubDate>{format_datetime(_when(s))}</pubDate>"
        f"<description>{e(s.paragraphs[0][:120])}</description></item>" for s in stories)
    return ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>{SITE}</title><link>{base}/</link><description>آخر الأخبار</description><ttl>5</ttl>"
            f"{items}</channel></rss>")


def render_atom(base: str, stories: list[Story]) -> str:
    entries = "".join(
        f'<entry><title>{e(s.title)}</title><link rel="alternate" href="{e(story_url(s, base))}"/>'
        f"<id>{e(story_url(s, base))}</id><updated>{s.published}</updated>"
        f"<summary>{e(s.paragraphs[0][:120])}</summary></entry>" for s in stories)
    return ('<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            f'<title>مجلة المدينة</title><id>{base}/atom.xml</id><updated>2026-11-16T00:00:00Z</updated>'
            f"{entries}</feed>")


class DemoSite(LoopbackSite):
    """The demo stories on the loopback server; conditional GET with ETag; `/slow/...?s=N` holds a response
    open N seconds (5 by default)."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        super().__init__(host=host, port=port)
        self.route("*", self.answer)

    def answer(self, handler: Handler) -> Reply:
        parts = urlsplit(handler.path)
        path, delay = parts.path, 0.0
        if path.startswith("/slow/"):
            delay = float(parse_qs(parts.query).get("s", ["5"])[0])
            path = path[len("/slow"):]
        found = self.render(path)
        if found is None:
            return Reply(404, delay=delay)
        body, ctype = found
        reply = tagged(handler, body.encode("utf-8"),
                       {"Content-Type": ctype, "Last-Modified": "Mon, 16 Nov 2026 06:00:00 GMT"})
        reply.delay = delay
        return reply

    def render(self, path: str) -> tuple[str, str] | None:
        base = self.base
        if path == "/rss.xml":
            return render_rss(base, [s for s in STORIES if "rss" in s.feeds]), "application/rss+xml; charset=utf-8"
        if path == "/atom.xml":
            return render_atom(base, [s for s in STORIES if "atom" in s.feeds]), "application/atom+xml"
        if path == "/robots.txt":
            return "User-agent: *\nDisallow: /private/\n", "text/plain"
        for story in STORIES:
            prefix, render = RENDER[story.template]
            if path == f"/{prefix}/{story.slug}":
                return render(story, base), "text/html; charset=utf-8"
        return None


def sources_yaml(base: str) -> str:
    return ("sources:\n"
            f"  - name: demo-rss\n    url: {base}/rss.xml\n    kind: feed\n    interval: 5m\n"
            "    timezone: Africa/Cairo\n"
            f"  - name: demo-atom\n    url: {base}/atom.xml\n    kind: feed\n    interval: 10m\n"
            "    timezone: Asia/Amman\n")
