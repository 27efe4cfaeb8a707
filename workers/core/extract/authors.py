"""Authors from bylines («كتب/كتبت/بقلم/إعداد/حوار …»), author metadata and JSON-LD, without the verb."""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from workers.core.arabic import normalize_arabic
from workers.core.extract.boilerplate import BYLINE_VERBS
from workers.core.extract.casefree import CaseFree
from workers.core.extract.classindex import ClassIndex

_VERB = re.compile(r"^\s*(?:" + "|".join(sorted(BYLINE_VERBS, key=len, reverse=True)) + r")(?:\s*[:：\-–—]\s*|\s+)",
                   re.I)
_BYLINE_CLASS = CaseFree(r"author|byline|writer|write-?by|kateb|reporter|editor-name|by-line|contributor")
_SPLIT = re.compile(r"\s*(?:،|,|&|\bو\s+|\band\b)\s*")
_NOT_NAME = re.compile(r"https?://|www\.|@|\d{2}|\(|\)", re.I)
_SECTION_HREF = CaseFree(r"categor|section|/cat/|/tags?/|/topics?/")
_PLACE_TAIL = re.compile(r"\s+[-–—|]\s+\S+(?:\s+\S+)?$")


def clean_author(raw: str, site: set[str]) -> list[str]:
    """Names in one byline string: verb, place suffix («- القاهرة») and site names removed."""
    text = " ".join((raw or "").split())
    text = _VERB.sub("", text).strip(" :-–—|")
    if not text or _NOT_NAME.search(text):
        return []
    text = _PLACE_TAIL.sub("", text)  # «حسام أبو العلا - القاهرة»: the reporter's city is not a name
    names = []
    for part in _SPLIT.split(text):
        part = part.strip(" .:-–—")
        words = part.split()
        if not 1 <= len(words) <= 5:
            continue
        folded = normalize_arabic(part)
        compact = folded.replace(" ", "")
        if any(_is_site(folded, compact, s) for s in site):
            continue  # the site as its own author is not a byline
        if folded in {"admin", "editor", "المحرر", "محرر الموقع", "فريق التحرير", "خاص"}:
            continue
        names.append(part)
    return names


def _is_site(folded: str, compact: str, site: str) -> bool:
    """Whether a byline names the site itself («LBCI», «اليوم السابع»)."""
    if folded == site or compact == site.replace(" ", ""):
        return True
    return site.isascii() and (site in compact or (len(compact) >= 3 and compact in site))


def page_bylines(root: HtmlElement, classes: ClassIndex | None = None) -> list[str]:
    """Texts of elements anywhere on root's page whose class/id/rel/itemprop marks a byline, in page order
    (short ones only)."""
    found = []
    for element, names in (classes or ClassIndex(root.getroottree().getroot())).by_mark(_BYLINE_CLASS):
        if "avatar" in names or "bio" in names:
            continue
        text = " ".join(element.text_content().split())
        links = [a.get("href") or "" for a in element.iter("a")]
        if links and all(_SECTION_HREF.search(h) for h in links):
            continue  # a section or tag link sitting in the byline slot is not a name
        if text and len(text.split()) <= 10:
            found.append(text)
        if len(found) >= 6:
            break
    return found


def choose_authors(byline_texts: list[str], declared: list[str], site: set[str]) -> list[str]:
    """Visible bylines first (they name the writer), then declared metadata; de-duplicated, order kept."""
    for group in (byline_texts, declared):
        names: list[str] = []
        seen: set[str] = set()
        for raw in group:
            for name in clean_author(raw, site):
                key = normalize_arabic(name)
                if key not in seen:
                    seen.add(key)
                    names.append(name)
        if names:
            return names
    return []
