"""Declared metadata of a page: JSON-LD (NewsArticle, @graph, arrays), OpenGraph, <meta> and microdata."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from lxml import etree
from lxml.html import HtmlElement

from workers.core.arabic import normalize_arabic

_ARTICLE_TYPES = {"newsarticle", "article", "reportagenewsarticle", "analysisnewsarticle", "blogposting",
                  "opinionnewsarticle", "backgroundnewsarticle", "liveblogposting", "report", "posting",
                  "socialmediaposting", "webpage", "scholarlyarticle", "techarticle"}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_TRAILING_COMMA = re.compile(r",\s*([}\]])")


@dataclass(slots=True)
class PageMeta:
    """Every declared value, by where it came from, for the field pickers to weigh."""

    meta: dict[str, list[str]] = field(default_factory=dict)  # lower-cased name/property → contents
    ld: dict[str, Any] = field(default_factory=dict)  # the best NewsArticle-like JSON-LD object
    ld_publisher: str | None = None
    microdata: dict[str, list[str]] = field(default_factory=dict)
    canonical: str | None = None
    lang: str | None = None
    title_tag: str = ""
    navigation: list[HtmlElement] = field(default_factory=list)  # <nav>/<header>, kept before pruning drops them
    nav_labels: set[str] | None = None  # navigation_labels(), once read
    asides: list[HtmlElement] = field(default_factory=list)  # <aside>, kept before pruning drops them

    def first(self, *names: str) -> str | None:
        """The first non-empty <meta> content among names, in the order given."""
        for name in names:
            for value in self.meta.get(name, ()):
                if value.strip():
                    return value.strip()
        return None


def read_metadata(root: HtmlElement) -> PageMeta:
    """Collect <meta>, <link rel=canonical>, <title>, JSON-LD and microdata from a parsed page."""
    page = PageMeta(lang=root.get("lang") or root.get("xml:lang"))
    for meta in root.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").strip().lower()
        content = meta.get("content")
        if key and content is not None and meta.get("itemprop") is None:
            page.meta.setdefault(key, []).append(html.unescape(content))
    for element in root.xpath("//*[@property and @content][not(self::meta)]"):
        # RDFa on visible elements (Drupal's <span property="dc:date" content="…">) is metadata too.
        page.meta.setdefault(element.get("property").strip().lower(), []).append(element.get("content"))
    for link in root.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split() and link.get("href"):
            page.canonical = page.canonical or link.get("href").strip()
    title = root.find(".//title")
    page.title_tag = " ".join((title.text_content() if title is not None else "").split())
    _read_json_ld(root, page)
    _read_microdata(root, page)
    page.navigation = list(root.iter("nav", "header"))
    page.asides = list(root.iter("aside"))
    return page


def navigation_labels(root: HtmlElement, page: PageMeta) -> set[str]:
    """Texts of the links in the site's menus and breadcrumbs (<nav> kept from before pruning): its sections,
    which a CMS also writes into every page's keywords («أخبار», «محليات», «رياضة») and titles. Read once."""
    if page.nav_labels is not None:
        return page.nav_labels
    holders = list(page.navigation)
    # a walk in Python beats the XPath of these five contains() (its predicates cost a fifth of a millisecond
    # per hundred elements)
    for element in root.iter(etree.Element):
        klass, kind = element.get("class"), element.get("itemtype")
        if ((klass and ("menu" in klass or "Menu" in klass or "breadcrumb" in klass or "Breadcrumb" in klass))
                or (kind and "BreadcrumbList" in kind)) and element.tag != "a":
            holders.append(element)
    labels: set[str] = set()
    seen: set[HtmlElement] = set()
    for holder in holders:
        for link in holder.iter("a"):
            if link in seen:  # a menu inside a menu
                continue
            seen.add(link)
            text = normalize_arabic(link.text_content())
            if text and len(text.split()) <= 4:
                labels.add(text)
    page.nav_labels = labels
    return labels


def _read_json_ld(root: HtmlElement, page: PageMeta) -> None:
    """Pick the article object among all JSON-LD blocks (arrays and @graph flattened)."""
    best: tuple[int, dict[str, Any]] | None = None
    for script in root.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        data = _load_json(script.text or "")
        for obj in _flatten(data):
            types = {t.lower() for t in _as_list(obj.get("@type")) if isinstance(t, str)}
            if types & {"organization", "newsmediaorganization", "website"}:
                page.ld_publisher = page.ld_publisher or _name(obj)
            if not types & _ARTICLE_TYPES:
                continue
            # Prefer real article types over WebPage, and objects that carry a headline and a date.
            rank = (0 if types <= {"webpage"} else 4) + bool(obj.get("headline")) + bool(obj.get("datePublished"))
            if best is None or rank > best[0]:
                best = (rank, obj)
    if best:
        page.ld = best[1]
        publisher = best[1].get("publisher")
        if isinstance(publisher, dict) and _name(publisher):
            page.ld_publisher = _name(publisher)


def _load_json(text: str) -> Any:
    """json.loads that forgives what CMSes emit: control characters, trailing commas, HTML comments."""
    text = _CONTROL.sub(" ", text.strip().removeprefix("<!--").removesuffix("-->").strip().rstrip(";"))
    for attempt in (text, _TRAILING_COMMA.sub(r"\1", text)):
        try:
            return json.loads(attempt, strict=False)
        except ValueError:
            continue
    return None


def _flatten(data: Any) -> Iterator[dict[str, Any]]:
    """Every object in a JSON-LD document: top-level arrays, @graph members, mainEntity."""
    if isinstance(data, list):
        for item in data:
            yield from _flatten(item)
    elif isinstance(data, dict):
        yield data
        for key in ("@graph", "mainEntity", "mainEntityOfPage"):
            if isinstance(data.get(key), list | dict):
                yield from _flatten(data[key])


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _name(obj: Any) -> str | None:
    if isinstance(obj, dict):
        obj = obj.get("name")
    if isinstance(obj, list):
        obj = obj[0] if obj else None
    return html.unescape(obj).strip() if isinstance(obj, str) and obj.strip() else None


def ld_text(page: PageMeta, key: str) -> str | None:
    """A JSON-LD string value (first of a list), HTML entities decoded."""
    values = [v for v in _as_list(page.ld.get(key)) if isinstance(v, str) and v.strip()]
    return html.unescape(values[0]).strip() if values else None


def ld_names(page: PageMeta, key: str) -> list[str]:
    """Names of JSON-LD persons/organisations under key (author, creator)."""
    return [n for n in (_name(v) for v in _as_list(page.ld.get(key))) if n]


def ld_image(page: PageMeta) -> str | None:
    """The JSON-LD image URL: a string, an ImageObject, or the first of a list."""
    for value in _as_list(page.ld.get("image")) + _as_list(page.ld.get("thumbnailUrl")):
        if isinstance(value, dict):
            value = value.get("url") or value.get("contentUrl")
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def ld_keywords(page: PageMeta) -> list[str]:
    """JSON-LD keywords, whether a list or one comma-separated string."""
    out: list[str] = []
    for value in _as_list(page.ld.get("keywords")):
        if isinstance(value, str):
            out.extend(split_keywords(value))
    return out


def split_keywords(text: str) -> list[str]:
    """Split a keyword string on commas (Latin and Arabic), semicolons and pipes."""
    return [html.unescape(k).strip() for k in re.split(r"[,،;|]", text) if k.strip()]


def _read_microdata(root: HtmlElement, page: PageMeta) -> None:
    """itemprop values (content/datetime attribute or text) for the properties extraction uses."""
    wanted = {"headline", "datepublished", "datemodified", "author", "name", "keywords", "articlebody"}
    for element in root.xpath("//*[@itemprop]"):
        for prop in element.get("itemprop", "").lower().split():
            if prop not in wanted or prop == "articlebody":
                continue
            value = element.get("content") or element.get("datetime")
            if value is None and prop != "author":
                value = element.text_content()
            if prop == "author" and value is None:
                names = element.xpath(".//*[@itemprop='name']")
                value = (names[0].get("content") or names[0].text_content()) if names else element.text_content()
            if value and value.strip():
                page.microdata.setdefault(prop, []).append(" ".join(value.split()))
