"""Find the element holding the article text: score text-bearing blocks up their ancestors (readability-style)."""

from __future__ import annotations

from typing import cast

from lxml import etree
from lxml.html import HtmlElement

from workers.core.extract.blocks import BLOCK_TAGS
from workers.core.extract.boilerplate import BAD_CLASS, GOOD_CLASS
from workers.core.extract.casefree import CaseFree

_PARAGRAPH_TAGS = frozenset({"p", "pre", "td", "blockquote"})
_CONTAINER_TAGS = frozenset({"div", "section", "article", "main", "span", "font", "center", "td", "dd", "body"})
_MIN_TEXT = 25
_SCORED_TAGS = tuple(sorted(_PARAGRAPH_TAGS | _CONTAINER_TAGS))
# len(text_content()) counted by libxml2 (code points, as len() counts): no Python string of a box's whole text
_TEXT_LENGTH = etree.XPath("string-length()")
# CMS state classes on an article element («has-post-thumbnail», «tag-economy», «category-local», WordPress's
# post_class): they name the post's taxonomy and features, not what kind of box the element is.
_STATE_CLASS = CaseFree(r"^(?:has|tag|category|format|status)-")
_WIDGET_PREFIX = "elementor-widget-"
# Utility-first CSS (Tailwind and the like: «text-sm», «md:text-gray-500», «mt-3») styles any box; «text-» there
# says nothing about article text. «prose» is the typography plugin's box for long-form text.
_UTILITY_CLASS = CaseFree(r"^(?:[a-z0-9]+:)*-?(?:text|bg|border|font|leading|tracking|shadow|rounded|[mp][trblxyse]?|"
                          r"[wh]|max-[wh]|min-[wh]|gap|space-[xy]|z|top|left|right|bottom|inset|opacity|ring|"
                          r"divide|grid-cols|col-span|order|items|justify|self|place)-[\w./\[\]%#-]+$")


def _builder_free(name: str) -> str:
    """A page builder's class without its scaffolding: Elementor wraps every widget in «elementor-widget-…» and
    «elementor-element» boxes; only the widget's type («…-theme-post-content», «…-share-buttons») says what it is."""
    if name.startswith(_WIDGET_PREFIX):
        return name[len(_WIDGET_PREFIX):]
    return "" if name.startswith("elementor") else name


def class_weight(element: HtmlElement) -> int:
    """+25 for article-like class/id words, -25 for boilerplate-like ones (both may apply)."""
    classes = " ".join(_builder_free(c) for c in (element.get("class") or "").split()
                       if not _STATE_CLASS.match(c) and not _UTILITY_CLASS.match(c))
    names = f"{classes} {element.get('id') or ''} {element.get('itemprop') or ''}"
    if not names.strip():
        return 0
    weight = 0
    if GOOD_CLASS.search(names):
        weight += 25
    if BAD_CLASS.search(names):
        weight -= 25
    if "articlebody" in names.lower():
        weight += 50  # schema.org's own marker of the article text
    return weight


def _own_text(element: HtmlElement) -> str:
    """Text of element outside its block-level children: a <p>'s text, or a <br>-split div's lines."""
    parts = [element.text or ""]
    for child in element:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag and tag not in BLOCK_TAGS:
            # a leaf's text is its .text: text_content() costs an XPath evaluation per call
            parts.append(child.text_content() if len(child) else child.text or "")
        parts.append(child.tail or "")
    return "".join(parts)


def _link_chars(root: HtmlElement, boxes: dict[HtmlElement, float]) -> dict[HtmlElement, int]:
    """Characters of link text inside each box, from one pass over the page's links (each box reading its own
    links again cost a tenth of extraction: nested boxes read the same links over and over)."""
    chars: dict[HtmlElement, int] = {}
    for link in root.iter("a"):
        size = len(link.text_content())
        if not size:
            continue
        for ancestor in link.iterancestors():
            if ancestor in boxes:
                chars[ancestor] = chars.get(ancestor, 0) + size
    return chars


def find_content(root: HtmlElement) -> tuple[HtmlElement | None, dict[HtmlElement, float]]:
    """The best-scoring container for the article text, and every candidate's score."""
    scores: dict[HtmlElement, float] = {}
    weights: dict[HtmlElement, int] = {}
    for element in root.iter(*_SCORED_TAGS):  # lxml filters the tags: no proxy made for the others
        tag = element.tag
        text = _own_text(element).strip()
        if len(text) < _MIN_TEXT:
            continue
        # Sentences: commas (Latin and Arabic) and length are what separate prose from menus.
        score = 1 + text.count(",") + text.count("،") + min(len(text) / 100, 3)
        breaks = sum(1 for child in element if child.tag == "br")
        # a table cell whose text is split by <br> (old table layouts) is the text's own box, not a paragraph
        own_box = tag not in _PARAGRAPH_TAGS or (tag == "td" and breaks >= 2)
        if own_box:
            score *= min(3.0, 1 + breaks / 4)  # a <br>-split container is several paragraphs
        ancestor = element if own_box else element.getparent()
        level = 0
        while ancestor is not None and level < 3:
            if ancestor not in scores:
                weights[ancestor] = class_weight(ancestor)
                scores[ancestor] = _initial_score(ancestor, weights[ancestor])
            scores[ancestor] += score / (1 if level == 0 else level * 2)
            ancestor = ancestor.getparent()
            level += 1
    best: HtmlElement | None = None
    best_score = 0.0
    link_chars = _link_chars(root, scores)
    for element, score in scores.items():
        text_length = int(cast(float, _TEXT_LENGTH(element)))  # string-length() is a number (stubs: any result)
        density = link_chars.get(element, 0) / text_length if text_length else 1.0
        # An article-like class word backs the text a box holds, it does not stand in for it: a teaser card's
        # «post-excerpt» with one sentence must not outrank an unclassed box of paragraphs. The bonus counts in
        # full from a paragraph or two of prose (text score 6+), in part below that.
        bonus = weights[element]
        if bonus > 0:
            score -= max(0.0, bonus - 4 * (score - _initial_score(element, bonus)))
        final = score * (1 - density)
        scores[element] = final
        if final > best_score:
            best, best_score = element, final
    return best, scores


def _initial_score(element: HtmlElement, weight: int) -> float:
    tag = element.tag
    base = {"div": 5, "article": 8, "section": 3, "main": 5, "td": 3, "blockquote": 3, "pre": 3}.get(tag, 0)
    return base + weight
