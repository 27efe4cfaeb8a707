"""The article text a front-end framework ships in its hydration state, for server HTML that carries only
part of it (Next.js renders the first paragraphs and loads the rest; the whole article is in `__NEXT_DATA__`).

The state is JSON (`<script id="__NEXT_DATA__">`, Nuxt 3's `__NUXT_DATA__`, other `application/json` scripts).
A string in it is taken as the article only when it holds every paragraph the page showed and more: the page's
own text is the anchor, so a teaser, a related article or a comment in the state is never taken instead.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import lxml.html
from lxml.html import HtmlElement

from workers.core.extract.blocks import Block, to_blocks

_MIN_STRING = 200  # shorter strings are titles, excerpts and labels
_ANCHOR_WORDS = 8
_MORE = 1.2  # the state's text must be this much longer than the page's to be worth taking


def hydration_texts(root: HtmlElement) -> list[str]:
    """Long strings of the page's JSON state scripts, longest first (read before scripts are pruned)."""
    texts: list[str] = []
    for script in root.iter("script"):
        kind = (script.get("type") or "").lower()
        if kind != "application/json" and script.get("id") not in ("__NEXT_DATA__", "__NUXT_DATA__"):
            continue
        try:
            data = json.loads(script.text or "")
        except ValueError:
            continue
        texts.extend(s for s in _strings(data) if len(s) >= _MIN_STRING)
    return sorted(set(texts), key=len, reverse=True)


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _flat(text: str) -> str:
    return " ".join(text.split())


def fuller_body(texts: list[str], paragraphs: list[str],
                clean: Callable[[list[Block]], list[str]]) -> list[str] | None:
    """The state's version of the article when it holds all the page's paragraphs and clearly more; else None."""
    if not texts or not paragraphs:
        return None
    anchors = [" ".join(p.split()[:_ANCHOR_WORDS]) for p in paragraphs]
    shown = sum(len(p) for p in paragraphs)
    for text in texts:
        if len(text) < shown * _MORE:
            break  # longest first: nothing further can be long enough
        flat = _flat(lxml.html.fragment_fromstring(text, create_parent="div").text_content()) if "<" in text \
            else _flat(text)
        if not all(anchor in flat for anchor in anchors):
            continue
        fragment = lxml.html.fragment_fromstring(text if "<" in text else
                                                 "".join(f"<p>{_escape(p)}</p>" for p in text.split("\n")),
                                                 create_parent="div")
        fuller = clean(to_blocks(fragment, lambda element: element.tag in ("script", "style", "figure")))
        if sum(len(p) for p in fuller) >= shown * _MORE:
            return fuller
    return None


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
