"""Tags: the page's visible keyword list (كلمات دلالية, الوسوم, تاجز), else article:tag, JSON-LD, meta keywords."""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from workers.core.arabic import normalize_arabic
from workers.core.extract.boilerplate import TAG_LABELS, starts_with_phrase

_TAG_HREF = re.compile(r"/tags?/|/tags?\b|[?&]tags?=|/keywords?/|/hashtags?/|/labels?/|/wasm/|/mawdoo3/|tagid=",
                       re.I)
_TAG_CLASS = re.compile(r"(^|[\s_-])(tags?|post-?tags|tag-?list|keywords?|tagcloud|hashtags?)($|[\s_-])", re.I)
_JUNK = {"news", "أخبار", "اخبار", "خبر", "عاجل", "home", "الرئيسية"}


def _tag_links(root: HtmlElement) -> list[HtmlElement]:
    return [a for a in root.iter("a") if a.get("rel") == "tag" or _TAG_HREF.search(a.get("href") or "")]


def visible_tags(root: HtmlElement, near: HtmlElement | None) -> list[str]:
    """Tag links grouped by their list; the labelled group, else the one nearest after the article text."""
    groups: dict[HtmlElement, list[HtmlElement]] = {}
    for link in _tag_links(root):
        holder = link.getparent()
        for _ in range(3):
            if holder is None or holder.getparent() is None:
                break
            if len(_tag_links(holder)) > 1 or _TAG_CLASS.search(holder.get("class") or ""):
                break
            holder = holder.getparent()
        if holder is not None:
            groups.setdefault(holder, []).append(link)
    if not groups:
        return []
    order = {element: index for index, element in enumerate(root.iter())}
    start = order.get(near, 0) if near is not None else 0

    def rank(item: tuple[HtmlElement, list[HtmlElement]]) -> tuple[int, int, int]:
        holder, _links = item
        text = normalize_arabic(holder.text_content())[:40]
        labelled = bool(starts_with_phrase(text, TAG_LABELS)) or bool(_TAG_CLASS.search(holder.get("class") or ""))
        after = order.get(holder, 0) >= start
        return (0 if labelled else 1, 0 if after else 1, abs(order.get(holder, 0) - start))

    _holder, links = min(groups.items(), key=rank)
    return unique_tags(" ".join(a.text_content().split()) for a in links)


def unique_tags(values, title: str = "") -> list[str]:  # type: ignore[no-untyped-def]
    """Tags cleaned («#» and spaces), de-duplicated by normalised form, junk and the title itself dropped."""
    out: list[str] = []
    seen: set[str] = set()
    folded_title = normalize_arabic(title)
    for value in values:
        tag = " ".join(str(value).split()).strip(" #,،:")
        key = normalize_arabic(tag)
        if not key or key in seen or key in _JUNK or key == folded_title or len(tag.split()) > 8:
            continue
        seen.add(key)
        out.append(tag)
    return out


def is_title_words(tags: list[str], title: str) -> bool:
    """A keyword list that is only the headline cut into words (a CMS default), not real tags."""
    title_words = set(normalize_arabic(title).split())
    if not tags or not title_words:
        return False
    return all(set(normalize_arabic(t).split()) <= title_words for t in tags)
