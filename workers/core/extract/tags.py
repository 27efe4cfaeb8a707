"""Tags: the page's visible keyword list (كلمات دلالية, الوسوم, تاجز), else article:tag, JSON-LD, meta keywords."""

from __future__ import annotations

from collections.abc import Iterable
from typing import cast

from lxml import etree
from lxml.html import HtmlElement

from workers.core.arabic import normalize_arabic
from workers.core.extract.boilerplate import TAG_LABELS, starts_with_phrase
from workers.core.extract.casefree import CaseFree

_TAG_HREF = CaseFree(r"/tags?/|/tags?\b|[?&]tags?=|/keywords?/|/hashtags?/|/labels?/|/wasm/|/mawdoo3/|tagid=|"
                     r"/topics/|/وسم/|/%d9%88%d8%b3%d9%85/|/الوسم/|/%d8%a7%d9%84%d9%88%d8%b3%d9%85/")
# Headings of a visible tag list: the whole label, nothing else («مواضيع ذات صلة» is a related list, not tags).
_HEADINGS = {normalize_arabic(h) for h in (
    "كلمات دلالية", "الكلمات الدلالية", "الكلمات الدالة", "كلمات دالة", "الوسوم", "وسوم", "الكلمات المفتاحية",
    "كلمات مفتاحية", "تاجز", "تاغز", "التاجات", "العلامات", "tags", "tag", "keywords", "الموضوعات", "مواضيع")}
_LABEL_HINT = CaseFree("كلم|وسو?م|تا[جغ]|علام|موا?ضي?ع|tag|keyword")  # cheap test before folding
_LABEL_TAGS = ("h2", "h3", "h4", "h5", "h6", "strong", "b", "span", "div", "p", "label", "dt", "li", "em", "i")
_TAG_CLASS = CaseFree(r"(^|[\s_-])(tags?|post-?tags|tag-?list|keywords?|tagcloud|hashtags?)($|[\s_-])")
_CLOUD = CaseFree(r"cloud|widget|sidebar")
_JUNK = {"news", "أخبار", "اخبار", "خبر", "عاجل", "home", "الرئيسية"}


def _tag_links(root: HtmlElement) -> list[HtmlElement]:
    """Links that are tags: rel="tag", a tag-shaped URL, or a link in a tag-classed list («<div class="post-tags">
    <a href="/search?q=…">»), whatever its URL — but not in a site-wide cloud."""
    found = []
    listed: dict[HtmlElement, bool] = {}  # a list's links share their wrappers: each wrapper's class read once
    for a in root.iter("a"):
        if a.get("rel") == "tag" or _TAG_HREF.search(a.get("href") or ""):
            found.append(a)
            continue
        if not (a.text or "").strip():
            continue
        holder = a.getparent()
        for _ in range(2):
            if holder is None:
                break
            tagged = listed.get(holder)
            if tagged is None:
                names = holder.get("class") or ""
                tagged = listed[holder] = bool(names) and _TAG_CLASS.search(names) and not _CLOUD.search(names)
            if tagged:
                found.append(a)
                break
            holder = holder.getparent()
    return found


_POSITION = etree.XPath("count(preceding::*) + count(preceding::comment()) + count(preceding::processing-instruction())"
                        " + count(ancestor::*)")


def _position(element: HtmlElement) -> int:
    """The element's place in document order (as root.iter() counts), for the few elements ranked: an XPath count
    instead of numbering every node of the page."""
    return int(cast(float, _POSITION(element)))  # count() is a number; the stubs give every XPath result type


def visible_tags(root: HtmlElement, near: HtmlElement | None) -> list[str]:
    """Tag links grouped by their list; the labelled group, else the one nearest after the article text."""
    groups: dict[HtmlElement, list[HtmlElement]] = {}
    links = _tag_links(root)
    # how many tag links each element holds: whether a link is a tag link does not depend on where the search
    # starts, so one pass over the page's tag links answers for every wrapper
    held: dict[HtmlElement, int] = {}
    for link in links:
        for ancestor in link.iterancestors():
            held[ancestor] = held.get(ancestor, 0) + 1
    for link in links:
        holder = link.getparent()
        classed = None  # the nearest tag-classed wrapper, when no wrapper holds several tag links
        for _ in range(3):
            if holder is None or holder.getparent() is None:
                break
            if held.get(holder, 0) > 1:
                break
            if classed is None and _TAG_CLASS.search(holder.get("class") or ""):
                classed = holder
            holder = holder.getparent()
        if holder is not None and held.get(holder, 0) <= 1 and classed is not None:
            holder = classed  # «<li class="tag-3"><a>» alone in its list: the classed item
        if holder is not None:
            groups.setdefault(holder, []).append(link)
    if not groups:
        return []
    start = _position(near) if near is not None else 0

    def rank(item: tuple[HtmlElement, list[HtmlElement]]) -> tuple[int, int, int]:
        holder, _links = item
        text = normalize_arabic(holder.text_content())[:40]
        labelled = bool(starts_with_phrase(text, TAG_LABELS)) or bool(_TAG_CLASS.search(holder.get("class") or ""))
        at = _position(holder)
        return (0 if labelled else 1, 0 if at >= start else 1, abs(at - start))

    _holder, links = min(groups.items(), key=rank)
    return unique_tags(" ".join(a.text_content().split()) for a in links)


def _own_text(element: HtmlElement) -> str:
    """The element's text when it is a label (no links in it), else the text before its first link."""
    text = element.text or ""
    for child in element:
        if len(text) > 40:
            return ""  # a label is short: no need to read a whole block
        if not isinstance(child.tag, str):
            text += child.tail or ""
            continue
        if child.tag == "a" or len(child) > 3:
            break
        text += child.text_content() + (child.tail or "")
    text = text.strip()
    if not 2 <= len(text) <= 40 or not _LABEL_HINT.search(text):
        return ""
    return normalize_arabic(text).strip(" :")


# Where a site-wide list lives (a post's own footer, «entry-footer», is no such place; nor is Jannah's
# «post-bottom-tags» span, classed «tagcloud» though it holds the post's tags).
_SIDEBAR = CaseFree(r"sidebar|widget|side-?bar|site-?footer|footer-?widgets|popular|trending")


def _in_sidebar(element: HtmlElement) -> bool:
    return any(_SIDEBAR.search(f"{a.get('class') or ''} {a.get('id') or ''}") for a in element.iterancestors()
               if a.tag not in ("body", "html"))  # «<body class="one-sidebar">» says nothing of this block


def headed_tags(root: HtmlElement) -> list[str]:
    """A list of links under a heading that says it is the tag list («كلمات دلالية», «الوسوم», «Tags:»)."""
    for element in root.iter(*_LABEL_TAGS):
        lead = element.text  # a label's words are its own first text («<b>الوسوم:</b>», «<div>Tags: <a>»)
        if not lead or len(lead) > 60 or not _LABEL_HINT.search(lead):
            continue
        own = _own_text(element)
        if own not in _HEADINGS:
            continue
        links = element.findall(".//a")  # «<div>الوسوم: <a>…</a> <a>…</a></div>»
        sibling, steps = element.getnext(), 0
        # «<h3>كلمات دلالية</h3><ul><li><a>…», «<b>وسوم</b> <a>…<a>…»
        while not links and sibling is not None and steps < 3:
            if not isinstance(sibling.tag, str):  # a comment between heading and list
                sibling = sibling.getnext()
                continue
            if sibling.tag in ("a", "li", "span", "dd"):  # a run of items: every one that holds a link
                for item in (sibling, *sibling.itersiblings()):
                    found = [item] if item.tag == "a" else item.findall(".//a") if isinstance(item.tag, str) else []
                    if isinstance(item.tag, str) and item.tag != sibling.tag and not found:
                        break
                    links += found
            else:
                links = sibling.findall(".//a")
            if sibling.tag in _LABEL_TAGS and _own_text(sibling) and not links:
                break  # another block of text: the heading labels nothing here
            sibling, steps = sibling.getnext(), steps + 1
        parent = element.getparent()
        if not links and parent is not None and len(parent) == 1:
            # «<div><span>وسوم</span></div><div><a>…», «<li><span>الوسوم</span></li><li><a>…</li><li><a>…»
            for nxt in parent.itersiblings():
                if not isinstance(nxt.tag, str):
                    continue
                found = nxt.findall(".//a") if nxt.tag != "a" else [nxt]
                if not found:
                    break
                links += found
                if nxt.tag not in ("li", "a", "span", "dd"):
                    break  # one list box after the heading box
        texts = [" ".join(a.text_content().split()) for a in links]
        texts = [t for t in texts if t and len(t.split()) <= 6]
        if texts and len(texts) <= 30 and not _in_sidebar(element):  # a site-wide cloud is no article's tags
            return unique_tags(texts)
    return []


def boxed_tags(boxes: list[HtmlElement]) -> list[str]:
    """A tag list that a theme put in its own <nav>/<aside> («<nav class="post-tags">»), which pruning drops:
    read from the elements kept before it, when the box is classed as tags and is no sidebar or cloud."""
    for box in boxes:
        names = f"{box.get('class') or ''} {box.get('id') or ''}"
        if not _TAG_CLASS.search(names) or _CLOUD.search(names) or _in_sidebar(box):
            continue
        texts = [" ".join(a.text_content().split()) for a in box.iter("a")]
        texts = [t for t in texts if t and len(t.split()) <= 6]
        if 0 < len(texts) <= 30:
            return unique_tags(texts)
    return []


def unique_tags(values: Iterable[object], title: str = "") -> list[str]:
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
    if not tags or not title_words or any(len(t.split()) > 1 for t in tags):
        return False  # phrases («النقل العام», «مجلس الوزراء») are an editor's tags even when the title has them
    return all(set(normalize_arabic(t).split()) <= title_words for t in tags)
