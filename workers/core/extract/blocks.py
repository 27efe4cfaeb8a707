"""Flatten an element into text blocks (paragraphs) in page order: block tags and <br> end a block."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from lxml.html import HtmlElement

BLOCK_TAGS = frozenset({"p", "div", "section", "article", "main", "header", "h1", "h2", "h3", "h4", "h5", "h6",
                        "ul", "ol", "li", "dl", "dt", "dd", "table", "tr", "td", "th", "tbody", "thead",
                        "blockquote", "pre", "figure", "address", "center", "hr", "form", "fieldset", "details",
                        "summary", "caption"})
HEADING_TAGS = frozenset({"h2", "h3", "h4", "h5", "h6"})
_SPACE = re.compile(r"\s+")


@dataclass(slots=True)
class Block:
    """One paragraph of text with the links inside it and the tag that opened it."""

    text: str = ""
    tag: str = "p"
    link_chars: int = 0
    links: list[tuple[str, str]] = field(default_factory=list)  # (text, href)
    element: HtmlElement | None = None

    @property
    def link_density(self) -> float:
        return self.link_chars / len(self.text) if self.text else 0.0


class _Builder:
    """Accumulates inline text into the current block and closes it at block boundaries."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.parts: list[str] = []
        self.link_chars = 0
        self.links: list[tuple[str, str]] = []
        self.tag = "p"
        self.element: HtmlElement | None = None

    def add(self, text: str | None) -> None:
        if text:
            self.parts.append(text)

    def flush(self) -> None:
        text = _SPACE.sub(" ", "".join(self.parts)).strip()
        if text:
            self.blocks.append(Block(text, self.tag, self.link_chars, self.links, self.element))
        self.parts, self.link_chars, self.links = [], 0, []

    def open(self, tag: str, element: HtmlElement) -> None:
        self.flush()
        self.tag, self.element = tag, element


def to_blocks(root: HtmlElement, skip: Callable[[HtmlElement], bool]) -> list[Block]:
    """Text blocks of root in document order; elements for which skip() is true are left out (not their tail)."""
    builder = _Builder()
    builder.add(root.text)
    _walk(root, builder, skip, in_link=False)
    builder.flush()
    return builder.blocks


def _walk(element: HtmlElement, builder: _Builder, skip: Callable[[HtmlElement], bool], in_link: bool) -> None:
    for child in element:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag and not skip(child):
            if tag == "br":
                builder.open(builder.tag if builder.tag in HEADING_TAGS else "p", builder.element)
            elif tag in BLOCK_TAGS:
                builder.open(tag, child)
                builder.add(child.text)
                _walk(child, builder, skip, in_link)
                builder.open("p", element)
            elif tag == "a" and not in_link:
                start = sum(len(p) for p in builder.parts)
                builder.add(child.text)
                _walk(child, builder, skip, True)
                link_text = "".join(builder.parts)[start:]
                builder.link_chars += len(link_text.strip())
                if link_text.strip() and child.get("href"):
                    builder.links.append((_SPACE.sub(" ", link_text).strip(), child.get("href").strip()))
            else:
                if tag == "img":
                    builder.add(" ")
                builder.add(child.text)
                _walk(child, builder, skip, in_link)
        builder.add(child.tail)


_PICTURE_TAGS = frozenset({"img", "picture", "amp-img"})


def is_photo_box(element: HtmlElement) -> bool:
    """A box of one picture and a short line about it (a gallery's photo and caption, with or without caption
    classes): the line describes the picture, it is not the article's text."""
    if element.tag not in ("div", "li") or (element.text or "").strip():
        return False
    children = [c for c in element if isinstance(c.tag, str)]
    if not 2 <= len(children) <= 3:
        return False
    pictures = [c for c in children if c.tag in _PICTURE_TAGS or (
        c.tag == "a" and not c.text_content().strip() and any(g.tag in _PICTURE_TAGS for g in c.iter()))]
    lines = [c for c in children if c not in pictures]
    if len(pictures) != 1 or not lines or any(c.tag not in ("p", "span", "div", "em", "small") for c in lines):
        return False
    if any(g.tag in _PICTURE_TAGS for c in lines for g in c.iter()):
        return False
    return 0 < len(" ".join(c.text_content() for c in lines).split()) <= 40
