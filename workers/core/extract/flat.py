"""Flat pages: the article's paragraphs sit as siblings among the page furniture (header, breadcrumbs, share bar,
date block, ads, footer) with no container of their own, directly under <body> or a generic page wrapper.

The text is the run of sibling elements from the first to the last prose paragraph under the parent that
holds the most prose paragraphs, widened over adjacent plain paragraphs; what lies between (an ad slot, an
image) is read with the ordinary skip rules. A prose paragraph is judged by its text alone: length, Arabic
letters, sentence punctuation and few link characters.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from lxml.html import HtmlElement

from workers.core.extract import boilerplate as bp
from workers.core.extract.blocks import Block, to_blocks

_ARABIC_LETTER = re.compile("[\u0621-\u064a]")
_SENTENCE = re.compile(r"[.،,؛;!?؟]")
_PARENT_TAGS = frozenset({"body", "div", "main", "section", "article", "td", "center", "form"})
_MIN_PROSE = 3  # prose paragraphs under one parent before it is a flat page's text


def _prose_chars(element: HtmlElement) -> int:
    """Characters of a prose paragraph (0 when element is not one)."""
    if not isinstance(element.tag, str) or element.tag not in ("p", "div", "span", "font"):
        return 0
    if element.tag != "p" and any(isinstance(c.tag, str) and c.tag not in ("a", "b", "strong", "i", "em", "span",
                                                                             "br", "font") for c in element):
        return 0
    text = " ".join(element.text_content().split())
    if len(text) < 60 or not _SENTENCE.search(text):
        return 0
    if len(_ARABIC_LETTER.findall(text)) < 0.5 * len(text.replace(" ", "")):
        return 0
    links = sum(len(a.text_content()) for a in element.iter("a"))
    return len(text) if links < 0.3 * len(text) else 0


def paragraph_run(root: HtmlElement, container: HtmlElement | None) -> list[HtmlElement] | None:
    """The sibling elements holding a flat page's text, when the chosen container is not the text's own box:
    None when the page has a real text container (the usual case)."""
    # The run's parent is the chosen box itself (a page box) or holds it (a date or label box won the score);
    # without a chosen box, every parent on the page.
    parents = [container, *list(container.iterancestors())[:2]] if container is not None else root.iter()
    by_parent: dict[HtmlElement, list[int]] = {}
    known: dict[HtmlElement, int] = {}  # each child is read once, though the chosen parent's are asked again

    def prose_chars(element: HtmlElement) -> int:
        if element not in known:
            known[element] = _prose_chars(element)
        return known[element]

    for parent in parents:
        if parent.tag in _PARENT_TAGS:
            sizes = [size for size in map(prose_chars, parent) if size]
            if sizes:
                by_parent[parent] = sizes
    runs = [(sum(sizes), parent) for parent, sizes in by_parent.items() if len(sizes) >= _MIN_PROSE]
    if not runs:
        return None
    total, parent = max(runs, key=lambda run: run[0])
    children = [c for c in parent if isinstance(c.tag, str)]
    prose = [i for i, child in enumerate(children) if prose_chars(child)]
    first, last = prose[0], prose[-1]
    while first > 0 and _plain_paragraph(children[first - 1]):
        first -= 1
    while last + 1 < len(children) and _plain_paragraph(children[last + 1]):
        last += 1
    run = children[first:last + 1]
    if container is None:
        return run
    before = [c for c in children[:first] if _is_furniture(c)]
    after = [c for c in children[last + 1:] if _is_furniture(c)]
    # The paragraphs' parent is the page itself: <body>, the box of the headline, or menus on both sides.
    if not (parent.tag == "body" or parent.find(".//h1") is not None or (before and after)):
        return None
    if container is parent or container in parent.iterancestors():
        # the chosen box is that page box: the run is its text when it is <body> (a print view, an old page)
        # or when furniture sits beside it; an <article> of headline and text alone keeps its own walk
        return run if parent.tag == "body" or before or after else None
    # the chosen box is a smaller one beside the paragraphs (a date or label box outscored them)
    return run if len(container.text_content()) < total else None


def _is_furniture(element: HtmlElement) -> bool:
    """A menu, breadcrumb trail, share bar or link list: text that is mostly links, or a boilerplate class."""
    text = " ".join(element.text_content().split())
    if bp.DROP_CLASS.search(f"{element.get('class') or ''} {element.get('id') or ''}"):
        return True
    return bool(text) and sum(len(a.text_content().strip()) for a in element.iter("a")) > 0.5 * len(text)


def _plain_paragraph(element: HtmlElement) -> bool:
    """A short <p> next to the run (a closing line) that is text, not a link or a label."""
    if element.tag != "p":
        return False
    text = " ".join(element.text_content().split())
    links = sum(len(a.text_content()) for a in element.iter("a"))
    return bool(_ARABIC_LETTER.search(text)) and links < 0.3 * max(len(text), 1) and not text.endswith(":")


def run_blocks(run: list[HtmlElement], skip: Callable[[HtmlElement], bool]) -> list[Block]:
    """The run's text blocks in page order, with text lying bare between its elements."""
    blocks: list[Block] = []
    for element in run:
        if not skip(element):
            blocks += to_blocks(element, skip)
        tail = " ".join((element.tail or "").split())
        if tail and element is not run[-1]:
            blocks.append(Block(tail, "p"))
    return blocks


def trailing_dates(run: list[HtmlElement]) -> list[str]:
    """Short texts with a digit just after a flat page's text, where some print the dateline below it."""
    found: list[str] = []
    sibling = run[-1].getnext()
    for _ in range(4):
        if sibling is None:
            break
        if isinstance(sibling.tag, str):
            text = " ".join(sibling.text_content().split())
            if 6 <= len(text) <= 80 and any(ch.isdigit() for ch in text):
                found.append(text)
        sibling = sibling.getnext()
    return found
