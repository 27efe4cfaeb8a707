"""Live coverage (تغطية مباشرة / لحظة بلحظة / أولاً بأول): one article made of an intro and timed updates.

A live page is recognised by its JSON-LD (`LiveBlogPosting`) or its wording, and its updates by their
structure: three or more sibling elements that each carry a time label (`<time>`, `<abbr title>`,
`data-timestamp`, a short clock text), or three or more headings that are only a clock time
(`<h3>14:05</h3><p>…</p>`). The body is the intro and every update's text in page order, without the
labels; the newest update's time is the page's `updated_at`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from lxml.html import HtmlElement

from workers.core.arabic import normalize_arabic
from workers.core.extract.blocks import Block, to_blocks
from workers.core.extract.casefree import CaseFree
from workers.core.extract.dates import parse_date
from workers.core.extract.metadata import PageMeta

Skip = Callable[[HtmlElement], bool]  # an element to leave out with everything inside it

_LIVE_WORDS = re.compile(r"تغطيه مباشره|لحظه بلحظه|اولا باول|(?<![\w])(?:مباشر|بث مباشر|live)(?![\w])", re.I)
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
# A label that is only a clock time, perhaps with ص/م, a weekday or «منذ» wording around it.
_CLOCK = re.compile(r"^\W*(?:الساعة\s*)?(\d{1,2})[:.](\d{2})\s*(ص|م|صباحا|صباحاً|مساء|مساءً|مساءا|am|pm)?\W*$", re.I)
_LABEL_CLASS = CaseFree(r"time|date|timestamp|meta|author|avatar|byline|tools|share|permalink")
_HEADINGS = ("h2", "h3", "h4", "h5", "h6")
_SENTENCE_END = re.compile(r"[.!?؟]\s*$")
_LEADING_SEPARATOR = re.compile(r"^[\s\-–—:|•·،,]+")
_MIN_UPDATES = 3


@dataclass(slots=True)
class LiveCoverage:
    """The blocks of the intro and the updates, and the updates' stated times (aware or clock-only)."""

    blocks: list[Block] = field(default_factory=list)
    times: list[datetime] = field(default_factory=list)
    clocks: list[tuple[int, int]] = field(default_factory=list)
    start: datetime | None = None

    def newest(self, published: datetime | None) -> datetime | None:
        """The newest update: its full time, else its clock read on the publication's day and zone."""
        if self.times:
            return max(self.times)
        if not self.clocks or published is None:
            return None
        stamps = []
        for hour, minute in self.clocks:
            stamp = published.replace(hour=hour, minute=minute, second=0, microsecond=0)
            stamps.append(stamp + timedelta(days=1) if stamp < published - timedelta(hours=1) else stamp)
        return max(stamps)


def is_live_page(root: HtmlElement, page: PageMeta) -> bool:
    """JSON-LD says LiveBlogPosting, or the title/headline/labels use the live wording."""
    if _live_ld(page) is not None:
        return True
    titles = [*page.meta.get("og:title", []), page.title_tag or "", *(e.text_content() for e in root.iter("h1"))]
    if any(_LIVE_WORDS.search(normalize_arabic(t)) for t in titles if t):
        return True
    # a badge («مباشر», «تغطية مباشرة», «LIVE») standing alone beside the headline, not a word in a menu or a sentence
    for heading in root.iter("h1"):
        box = heading.getparent()
        for element in box.iter("span", "div", "strong", "b", "p") if box is not None else ():
            text = " ".join(element.text_content().split())
            if len(text) <= 20 and element.find(".//a") is None and _LIVE_WORDS.fullmatch(normalize_arabic(text)):
                return True
    return False


def live_coverage(root: HtmlElement, page: PageMeta, skip: Skip, fetched_at: datetime,
                  page_blocks: list[Block] | None = None) -> LiveCoverage | None:
    """The coverage's blocks and times when the page is live and its updates can be found, else None.

    Updates found only in LiveBlogPosting JSON-LD (a feed the browser renders) follow the page's own text."""
    if not is_live_page(root, page):
        return None
    coverage = _item_feed(root, skip, fetched_at) or _heading_feed(root, skip, fetched_at)
    obj = _live_ld(page)
    if coverage is None:
        if obj is None:
            return None
        coverage = LiveCoverage(blocks=list(page_blocks or []))
        seen = normalize_arabic(" ".join(b.text for b in coverage.blocks))
        for text in _ld_update_texts(obj):
            if normalize_arabic(text) not in seen:
                coverage.blocks += [Block(part, "p") for part in re.split(r"\s*\n\s*", text) if part]
    if obj is not None:
        start = parse_date(str(obj.get("coverageStartTime") or ""), fetched_at)
        coverage.start = start.value if start and start.value.tzinfo else None
        updates = obj.get("liveBlogUpdate")
        for update in updates if isinstance(updates, list) else [updates]:
            found = parse_date(str(update.get("datePublished") or ""), fetched_at) if isinstance(update, dict) else None
            if found and found.value.tzinfo:
                coverage.times.append(found.value)
    return coverage


def _ld_update_texts(obj: dict[str, Any]) -> list[str]:
    """The text of each liveBlogUpdate (articleBody, else text), in the order the JSON-LD gives them."""
    updates = obj.get("liveBlogUpdate")
    texts = []
    for update in updates if isinstance(updates, list) else [updates]:
        if isinstance(update, dict):
            text = update.get("articleBody") or update.get("text")
            if isinstance(text, str) and text.strip():
                texts.append(text.strip())
    return texts


def _live_ld(page: PageMeta) -> dict[str, Any] | None:
    """The page's JSON-LD object when it is a LiveBlogPosting."""
    return page.ld if page.ld and "liveblog" in str(page.ld.get("@type", "")).lower() else None


def _label_time(element: HtmlElement, fetched_at: datetime) -> tuple[HtmlElement, datetime | None,
                                                                      tuple[int, int] | None] | None:
    """(label element, full time, clock) when element is an update's time label."""
    text = " ".join(element.text_content().split())
    if len(text) > 40:
        return None
    stated = element.get("datetime") or element.get("data-timestamp") or \
        (element.get("title") if element.tag == "abbr" else None)
    if stated:
        found = parse_date(stated, fetched_at)
        if found and found.has_time:
            return element, found.value if found.value.tzinfo else None, (found.value.hour, found.value.minute)
    if element.tag == "time" or (len(text) <= 20 and not len(element)):
        clock = _clock(text)
        if clock:
            return element, None, clock
        # «منذ 5 دقائق», «قبل ساعتين», «12 أبريل 14:05»: a short label the date parser reads with a time
        found = parse_date(text, fetched_at) if len(text) >= 5 and not _SENTENCE_END.search(text) else None
        if found and found.has_time:
            return element, found.value if found.value.tzinfo else None, (found.value.hour, found.value.minute)
    return None


def _clock(text: str) -> tuple[int, int] | None:
    match = _CLOCK.match(text.translate(_DIGITS).replace("ـ", "").replace("ً", "").strip())
    if not match:
        return None
    hour, minute = int(match.group(1)), int(match.group(2))
    suffix = (match.group(3) or "").lower()
    if suffix in ("م", "مساء", "مساءً", "مساءا", "pm") and hour < 12:
        hour += 12
    elif suffix in ("ص", "صباحا", "صباحاً", "am") and hour == 12:
        hour = 0
    return (hour, minute) if hour < 24 and minute < 60 else None


def _item_feed(root: HtmlElement, skip: Skip, fetched_at: datetime) -> LiveCoverage | None:
    """Three or more sibling items, each with a time label and text of its own: the update list."""
    labels: dict[HtmlElement, tuple[datetime | None, tuple[int, int] | None]] = {}
    for element in root.iter("time", "abbr", "span", "div", "a", "small", "strong", "b"):
        found = _label_time(element, fetched_at)
        if found:
            labels[found[0]] = (found[1], found[2])
    if len(labels) < _MIN_UPDATES:
        return None
    best = _update_list(labels)
    if best is None:
        return None
    feed, items = best
    skip_labels = _furniture_skipper(skip, set(labels))
    coverage = LiveCoverage(blocks=_intro(feed, skip))
    item_set = set(items)
    for child in feed:
        if not isinstance(child.tag, str) or skip(child):
            continue
        if child not in item_set:  # an intro or a continuation paragraph between the updates, not a label
            coverage.blocks += [b for b in to_blocks(child, skip_labels) if _is_prose(b)]
            continue
        for block in to_blocks(child, skip_labels):
            block.text = _LEADING_SEPARATOR.sub("", block.text)  # «14:05 - …» once the label is gone
            if block.text:
                coverage.blocks.append(block)
    for item in items:
        for label in item.iter():
            if label in labels:
                full, clock = labels[label]
                if full is not None:
                    coverage.times.append(full)
                elif clock:
                    coverage.clocks.append(clock)
                break
    return coverage


def _furniture_skipper(skip: Skip, label_set: set[HtmlElement]) -> Skip:
    """What to leave out of an update besides `skip`: its furniture."""

    def skip_labels(element: HtmlElement) -> bool:
        """The update's furniture: its time label, and short meta/author/share boxes or a header without a heading."""
        if skip(element) or element in label_set:
            return True
        short = len(element.text_content()) < 80
        if element.tag == "header":
            return short and element.find(".//h2") is None and element.find(".//h3") is None
        return short and bool(_LABEL_CLASS.search(element.get("class") or ""))

    return skip_labels


def _update_list(labels: Mapping[HtmlElement, object]) -> tuple[HtmlElement, list[HtmlElement]] | None:
    """The labels' common parent with the most children that hold an update, and those children."""
    best: tuple[HtmlElement, list[HtmlElement]] | None = None
    parents = {a for label in labels for a in label.iterancestors()}
    for parent in parents:
        items = [c for c in parent if isinstance(c.tag, str) and _holds_update(c, labels)]
        if len(items) >= _MIN_UPDATES and (best is None or len(items) > len(best[1])):
            best = (parent, items)
    return best


def _holds_update(item: HtmlElement, labels: Mapping[HtmlElement, object]) -> bool:
    """One time label inside, and more than a few words of prose (not links: a list of timed headlines) outside it."""
    inside = [e for e in item.iter() if e in labels]
    if len(inside) != 1:
        return False
    text = item.text_content()
    links = sum(len(a.text_content()) for a in item.iter("a") if inside[0] not in a.iter())
    return len(text.split()) - len(inside[0].text_content().split()) >= 8 and links < 0.5 * len(text)


def _intro(feed: HtmlElement, skip: Skip) -> list[Block]:
    """Prose before the update list and after the headline, up to three levels above the list."""
    intro: list[Block] = []
    node = feed
    for _ in range(3):
        parent = node.getparent()
        if parent is None or parent.tag == "html":
            break
        before: list[Block] = []
        stop = False
        for sibling in node.itersiblings(preceding=True):
            if not isinstance(sibling.tag, str) or skip(sibling):
                continue
            if sibling.tag in ("h1", "header") or sibling.find(".//h1") is not None:
                stop = True
                break
            before = [b for b in to_blocks(sibling, skip) if _is_prose(b)] + before
        if parent.text and parent.text.strip():
            before.insert(0, Block(" ".join(parent.text.split()), "p"))
        intro = before + intro
        if stop:
            break
        node = parent
    return [b for b in intro if _is_prose(b)]


def _is_prose(block: Block) -> bool:
    return len(block.text.split()) >= 8 and block.link_density < 0.4


def _heading_feed(root: HtmlElement, skip: Skip, fetched_at: datetime) -> LiveCoverage | None:
    """Headings or bare labels that are only a time («<h3>14:05</h3>», «<h4>12 أبريل 2:05 م</h4>», «<span>14:05</span>»
    before each update's paragraphs), three or more under one parent."""
    by_parent: dict[HtmlElement, list[tuple[HtmlElement, tuple[int, int]]]] = {}
    for heading in root.iter(*_HEADINGS, "p", "time", "span", "strong", "b", "div"):
        text = " ".join(heading.text_content().split())
        clock = _clock(text) if len(text) <= 20 else None
        if clock is None and heading.tag in _HEADINGS and 6 <= len(text) <= 40 and not _SENTENCE_END.search(text):
            found = parse_date(text, fetched_at)
            clock = (found.value.hour, found.value.minute) if found and found.has_time else None
        parent = heading.getparent()
        if clock and parent is not None:
            by_parent.setdefault(parent, []).append((heading, clock))
    runs = [(p, hs) for p, hs in by_parent.items() if len(hs) >= _MIN_UPDATES]
    if not runs:
        return None
    parent, headings = max(runs, key=lambda run: len(run[1]))
    marked = {h for h, _ in headings}
    blocks = _intro(parent, skip) + to_blocks(parent, lambda e: skip(e) or e in marked)
    return LiveCoverage(blocks=blocks, clocks=[clock for _, clock in headings])
