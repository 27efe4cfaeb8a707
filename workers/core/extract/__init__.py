"""Extract one Arabic news article from page bytes: a pure function, bytes and URL in, Article out."""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping
from datetime import datetime

import lxml.html
from lxml import etree
from lxml.etree import ParserError
from lxml.html import HtmlElement

from workers.core.arabic import normalize_arabic
from workers.core.clock import utcnow
from workers.core.errors import ExtractError
from workers.core.extract import boilerplate as bp
from workers.core.extract.authors import choose_authors, page_bylines
from workers.core.extract.binary import refuse_binary
from workers.core.extract.blocks import is_photo_box, to_blocks
from workers.core.extract.body import clean_blocks
from workers.core.extract.canonical import article_identity, http_url
from workers.core.extract.casefree import CaseFree
from workers.core.extract.charset import decode_html
from workers.core.extract.classindex import ClassIndex
from workers.core.extract.content import find_content
from workers.core.extract.dates import relative_line
from workers.core.extract.flat import paragraph_run, run_blocks, trailing_dates
from workers.core.extract.hydration import fuller_body, hydration_texts
from workers.core.extract.language import detect_language
from workers.core.extract.live import LiveCoverage, live_coverage
from workers.core.extract.metadata import (
    PageMeta,
    ld_image,
    ld_keywords,
    ld_names,
    ld_text,
    navigation_labels,
    read_metadata,
    split_keywords,
)
from workers.core.extract.pubdate import choose_date, modified_date, published_candidates, visible_dates
from workers.core.extract.related import collect_related
from workers.core.extract.site_rules import SiteRules, parse_site_rules, rules_for_url
from workers.core.extract.tags import boxed_tags, headed_tags, is_title_words, unique_tags, visible_tags
from workers.core.extract.title import (
    choose_title,
    clean_space,
    headings,
    page_names,
    site_names,
    title_separated,
)
from workers.core.extract.zones import named_zone, publisher_zone
from workers.core.models import Article
from workers.core.text import clean_article

__all__ = ["SiteRules", "decode_html", "extract_article", "parse_site_rules", "rules_for_url"]

_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")
# lxml accepts these while parsing but refuses them when a text node is set later (pruning joins tails)
_NOT_XML_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)])
_HIDDEN = CaseFree(r"display\s*:\s*none|visibility\s*:\s*hidden")
_SUBTITLE_CLASS = CaseFree(r"sub-?title|subhead|deck|standfirst|excerpt|kicker|strapline|article-?summary|"
                           r"sub_title|secondary-?title|brief")
_LEAD_CLASS = CaseFree(r"lead|intro|description|summary|announce|standfirst|chapo|abstract|excerpt")


_PARSERS = threading.local()


def _parser() -> lxml.html.HTMLParser:
    """lxml.html's parser with its element classes looked up in C: lxml.html's own lookup runs Python code for
    every element proxy made (a fifth of extraction time went there) to give forms and inputs classes of their
    own, which nothing here uses. One per thread: an lxml parser must not be shared between threads."""
    parser = getattr(_PARSERS, "parser", None)
    if parser is None:
        parser = lxml.html.HTMLParser(encoding="utf-8")  # the text is decoded already (charset.py)
        parser.set_element_class_lookup(etree.ElementDefaultClassLookup(
            element=lxml.html.HtmlElement, comment=lxml.html.HtmlComment, pi=lxml.html.HtmlProcessingInstruction,
            entity=lxml.html.HtmlEntity))
        _PARSERS.parser = parser
    return parser


def parse_html(text: str) -> HtmlElement:
    """Parse decoded HTML once with lxml; raise ExtractError when there is no document."""
    text = _XML_DECL.sub("", text)
    # lxml reads UTF-8 bytes faster than a str, and a scan of the bytes for what XML text refuses is a
    # fraction of a regex scan of the str: the regex runs only when something is there to remove
    data = text.encode("utf-8", "surrogatepass")
    if (len(data.translate(None, _CONTROL_BYTES)) != len(data) or b"\xed" in data  # \xed leads a surrogate
            or b"\xef\xbf\xbe" in data or b"\xef\xbf\xbf" in data):  # U+FFFE, U+FFFF
        data = _NOT_XML_TEXT.sub("", text).encode("utf-8")
    try:
        return lxml.html.document_fromstring(data, parser=_parser())
    except (ParserError, ValueError) as exc:
        raise ExtractError(f"page could not be parsed: {exc}") from exc


def extract_article(body: bytes, url: str, headers: Mapping[str, str] | None = None, *,
                    source: str = "", fetched_at: datetime | None = None,
                    timezone: str | None = None, site_rules: SiteRules | None = None) -> Article:
    """Read the main article of an Arabic news page; raise ExtractError when the page holds none.

    fetched_at is the instant relative dates count back from: the one place extraction reads the clock, when
    a caller (a saved page, a test) gives none; the pipeline always passes its fetch time."""
    fetched_at = fetched_at or utcnow()
    refuse_binary(body)  # an image or noise served as a page must not become a garbled "article"
    root = parse_html(decode_html(body, headers))
    page = read_metadata(root)
    state = hydration_texts(root)  # the framework's JSON state, read before its scripts are pruned
    _prune(root, site_rules)
    classes = ClassIndex(root)  # the page's class and id words, read once for the rules that look for them
    container = _select(root, site_rules.body if site_rules else None)
    run = None
    if container is None:
        container = find_content(root)[0]
        run = paragraph_run(root, container)  # a flat page: paragraphs among the furniture, no text box
        container = run[0] if run else container
    names = site_names(url, [*page.meta.get("og:site_name", []), page.ld_publisher or "",
                             page.first("application-name") or ""])
    sections = {s for s in (page.first("article:section"), ld_text(page, "articleSection")) if s}
    title = _title(root, page, names, sections, site_rules)
    subtitle = _rule_text(root, site_rules.subtitle if site_rules else None) or _subtitle(root, container, title)
    if container is None:
        raise ExtractError("no article text found on the page", url=url)
    blocks = [block for lead in _lead_siblings(container) for block in to_blocks(lead, _skip)]
    blocks += to_blocks(container, _skip)
    if run:
        blocks = run_blocks(run, _skip)
    live = None if site_rules and site_rules.body else live_coverage(root, page, _skip, fetched_at, blocks)
    if live is not None:  # live coverage: the intro and every timed update, without their time labels
        blocks = live.blocks
    cleaned = clean_blocks(blocks, title=title, subtitle=subtitle or "", fetched_at=fetched_at)
    paragraphs = cleaned.paragraphs or _ld_body(page)
    if state and live is None:  # server HTML with part of the text, the whole article in the hydration state
        paragraphs = fuller_body(state, paragraphs, lambda found: clean_blocks(
            found, title=title, subtitle=subtitle or "", fetched_at=fetched_at).paragraphs) or paragraphs
    if not paragraphs:
        raise ExtractError("no article text found on the page", url=url)
    text = "\n\n".join(paragraphs)
    scope = _scope(container)
    byline_texts = [_rule_text(root, site_rules.author if site_rules else None) or "", *cleaned.bylines,
                    *page_bylines(scope, classes)]
    declared_authors = [*ld_names(page, "author"), *page.microdata.get("author", []),
                        *page.meta.get("author", []), *page.meta.get("article:author", [])]
    shown_dates = visible_dates(scope)
    zone_name = (named_zone(" ".join(cleaned.date_lines + shown_dates)) or timezone
                 or (site_rules.timezone if site_rules else None)
                 or publisher_zone(url, page.first("og:locale")))
    rule_date = _rule_text(root, site_rules.date if site_rules else None)
    visible = ([rule_date] if rule_date else []) + cleaned.date_lines + shown_dates + _header_dates(container)
    visible += trailing_dates(run) if run else []  # a flat page's dateline printed under its text
    candidates = published_candidates(page, url, visible, fetched_at, zone_name)
    if rule_date:  # the operator's date slot outranks every heuristic
        candidates = [c for c in published_candidates(PageMeta(), "", [rule_date], fetched_at)] or candidates
    published = choose_date(candidates, zone_name)
    if live is not None and live.start is not None:
        published = live.start  # the coverage's declared start
    # the id rule: a declared canonical names the article only on the page's own site, else it is a claim
    identity = article_identity(url, page.canonical, *page.meta.get("og:url", []))
    return clean_article(Article(
        url=url, canonical_url=identity.canonical_url, claimed_canonical_url=identity.claimed_canonical_url,
        source=source, title=title, body=text,
        site_name=_site_name(page, title), subtitle=subtitle or None,
        summary=page.first("description", "og:description") or ld_text(page, "description") or paragraphs[0],
        authors=choose_authors([b for b in byline_texts if b], declared_authors, names),
        tags=_tags(root, page, cleaned.tags, container, title, site_rules, names),
        published_at=published, updated_at=_updated(live, page, fetched_at, zone_name, published)
        or modified_date(PageMeta(), fetched_at, zone_name, published, visible),
        fetched_at=fetched_at, language=_language(f"{title}\n{text}", page.lang),
        original_source=cleaned.attribution, image=_image(page, url, container),
        related=collect_related(root, url, cleaned.read_also, classes),
    ))


def _updated(live: LiveCoverage | None, page: PageMeta, fetched_at: datetime, zone_name: str | None,
             published: datetime | None) -> datetime | None:
    """The newest update of a live coverage, else the page's declared modification time."""
    newest = live.newest(published) if live is not None else None
    return newest or modified_date(page, fetched_at, zone_name, published)


def _prune(root: HtmlElement, rules: SiteRules | None) -> None:
    """Remove elements that never hold article text, and the operator's drop selectors."""
    doomed = [e for e in root.iter(*bp.DROP_TAGS)]
    for selector in rules.drop if rules else ():
        doomed += root.cssselect(selector)
    for element in doomed:
        if element.getparent() is not None:
            element.drop_tree()


def _select(root: HtmlElement, selector: str | None) -> HtmlElement | None:
    if not selector:
        return None
    found = root.cssselect(selector)
    return found[0] if found else None


def _rule_text(root: HtmlElement, selector: str | None) -> str | None:
    element = _select(root, selector)
    return clean_space(element.get("content") or element.get("datetime") or element.text_content()) \
        if element is not None else None


def _skip(element: HtmlElement) -> bool:
    """Elements left out of the body walk: titles, figures, embeds and boilerplate-classed blocks."""
    tag = element.tag
    if tag in ("h1", "figure", "picture", "time", "footer") or element.get("hidden") is not None:
        return True
    if _HIDDEN.search(element.get("style") or "") or is_photo_box(element):
        return True
    names = f"{element.get('class') or ''} {element.get('id') or ''}"
    if not names.strip() or "articlebody" in names.lower():
        return False
    return bool(bp.DROP_CLASS.search(names) or bp.DROP_CLASS_ANY.search(names))


def _scope(container: HtmlElement) -> HtmlElement:
    """The article's area: the container's ancestor that also holds its header (title, byline, date)."""
    scope = container
    for _ in range(3):
        parent = scope.getparent()
        if parent is None or parent.tag in ("body", "html"):
            break
        scope = parent
        if scope.find(".//h1") is not None:
            break
    return scope


def _header_dates(container: HtmlElement) -> list[str]:
    """Short texts between the headline and the article text, where pages print the date whatever
    their markup calls it (`<div class="info">`): the date parser decides which of them are dates."""
    found: list[str] = []
    node = container
    for _ in range(3):  # the container and up to two ancestors, each with a few preceding siblings
        sibling = node.getprevious()
        for _ in range(4):
            if sibling is None or sibling.tag in ("h1", "nav", "header") or not isinstance(sibling.tag, str):
                break
            text = " ".join(sibling.text_content().split())
            if (6 <= len(text) <= 80 and any(ch.isdigit() for ch in text)) or relative_line(text):
                found.append(text)  # a relative date alone («منذ ساعتين», «أمس») needs no digit
            sibling = sibling.getprevious()
        if sibling is not None and sibling.tag == "h1":
            break
        node = node.getparent()
        if node is None or node.tag in ("body", "html"):
            break
    return found[:4]


def _title(root: HtmlElement, page: PageMeta, names: set[str], sections: set[str],
           rules: SiteRules | None) -> str:
    ruled = _rule_text(root, rules.title if rules else None)
    if ruled:
        return ruled
    declared = [page.first("og:title"), ld_text(page, "headline"), page.first("twitter:title"),
                *page.microdata.get("headline", [])[:1]]
    apps = [page.first(k) or "" for k in ("apple-mobile-web-app-title", "al:android:app_name", "al:ios:app_name",
                                          "twitter:app:name:iphone", "twitter:site")]
    # the logo's alt, the copyright line, the app's name, the @handle
    names = names | site_names("", [*page_names(root), *(a.lstrip("@") for a in apps if a)])
    metas = [m for m in declared if m]
    page_headings = headings(root)
    title = choose_title(metas, page.title_tag, page_headings, names, sections)
    if title_separated(title):  # «… - محليات»: a section of the site's menus at the end (read only then)
        title = choose_title(metas, page.title_tag, page_headings, names, sections, navigation_labels(root, page))
    return title


def _subtitle(root: HtmlElement, container: HtmlElement | None, title: str) -> str | None:
    """A deck shown apart under the title: a subtitle-classed element just after the <h1>, outside the text."""
    folded_title = normalize_arabic(title)
    anchors = [h for h in root.iter("h1") if normalize_arabic(h.text_content()) == folded_title]
    if not anchors:
        return None
    for element in anchors[0].xpath("following::*[position() <= 40]"):
        names = f"{element.get('class') or ''} {element.get('id') or ''}"
        if element.tag == "h2" and not names.strip():
            names = "subtitle"  # an unclassed <h2> right under the headline is the deck
        if not _SUBTITLE_CLASS.search(names):
            continue
        if container is not None and (element is container or container in element.iterancestors()
                                      or element in container.iterancestors()):
            continue
        text = clean_space(element.text_content())
        if 4 <= len(text.split()) <= 60 and text != title and not element.xpath(".//a"):
            return text
    return None


def _lead_siblings(container: HtmlElement) -> list[HtmlElement]:
    """A lead paragraph kept in its own box just before the text box (class lead/intro/description)."""
    leads: list[HtmlElement] = []
    for sibling in container.itersiblings(preceding=True):
        if not isinstance(sibling.tag, str):
            continue
        names = f"{sibling.get('class') or ''} {sibling.get('id') or ''} {sibling.get('itemprop') or ''}"
        text = clean_space(sibling.text_content())
        if not text:
            continue
        if not _LEAD_CLASS.search(names) or len(text.split()) < 12 or sibling.find(".//h1") is not None:
            break
        if sum(len(a.text_content()) for a in sibling.iter("a")) > len(text) * 0.2:
            break
        leads.insert(0, sibling)
        if len(leads) == 2:
            break
    return leads


def _ld_body(page: PageMeta) -> list[str]:
    """JSON-LD articleBody split into paragraphs: the fallback when the page text gave nothing."""
    body = ld_text(page, "articleBody") or ""
    return [clean_space(p) for p in re.split(r"\n\s*\n|\r?\n", body) if clean_space(p)]


def _tags(root: HtmlElement, page: PageMeta, body_tags: list[str], container: HtmlElement | None, title: str,
          rules: SiteRules | None, own: set[str]) -> list[str]:
    """Visible keyword list first (what readers see), then article:tag, JSON-LD, news_keywords; plain meta
    keywords last, and only those the article itself uses (a CMS writes the site's name, city and sections
    into every page's keywords). Never the site's own name (`own`: its names read once from the fetched page's
    URL and metadata, not from a canonical that may name another site) nor a section of its menus."""
    if rules and rules.tags:
        ruled = unique_tags(" ".join(e.text_content().split()) for e in root.cssselect(rules.tags))
        if ruled:
            return ruled
    visible = (headed_tags(root) or unique_tags(body_tags, title) or visible_tags(root, container)
               or boxed_tags([*page.navigation, *page.asides]))
    visible = [t for t in visible if normalize_arabic(t) not in own]
    if visible:
        return visible
    for values in (page.meta.get("article:tag", []), ld_keywords(page), page.meta.get("news_keywords", [])):
        tags = [t for t in unique_tags([k for v in values for k in split_keywords(v)], title)
                if normalize_arabic(t) not in own]
        if tags and not is_title_words(tags, title):
            return tags
    sections = own | navigation_labels(root, page)
    text = normalize_arabic(f"{title} {container.text_content() if container is not None else ''}")
    tags = [t for t in unique_tags([k for v in page.meta.get("keywords", []) for k in split_keywords(v)], title)
            if normalize_arabic(t) not in sections and normalize_arabic(t) in text]
    return tags if tags and not is_title_words(tags, title) else []


def _site_name(page: PageMeta, title: str) -> str | None:
    for name in (*page.meta.get("og:site_name", []), page.ld_publisher, page.first("application-name")):
        if name and not name.startswith("http"):
            return name.strip()
    return None


def _image(page: PageMeta, url: str, container: HtmlElement | None = None) -> str | None:
    """The declared lead image, else the first real picture in or just before the article text."""
    image = page.first("og:image", "og:image:url", "twitter:image", "twitter:image:src") or ld_image(page)
    if not image and container is not None:
        image = _first_picture(container.getparent() if container.getparent() is not None else container)
    return http_url(image, url)  # javascript:, data: and mangled sources are no image


def _first_picture(scope: HtmlElement) -> str | None:
    for img in scope.iter("img"):
        src = img.get("src") or img.get("data-src") or ""
        small = any(img.get(dim, "").isdigit() and int(img.get(dim)) < 100 for dim in ("width", "height"))
        if src and not src.startswith("data:") and not small and not _skip(img):
            return src
    return None


def _language(text: str, declared: str | None) -> str:
    """The article's language (title and body: a short page's title is half its words) from its script and a
    bundled model (language.py); the declaration only breaks ties."""
    return detect_language(text, declared)
