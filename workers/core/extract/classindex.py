"""The class and id words of every element on a page, read in one pass and searched as one text.

Rules that look anywhere on the page for elements by what their class or id says (bylines, related lists) each
used to walk the whole tree and test every element in Python; here the page's names are joined into one
lower-cased text, one line an element, and a rule runs its pattern over that text once (the regex engine's
loop, not Python's), then maps each hit back to its element. It pays for rare words; a pattern that matches
on most lines (date-ish «meta», «time») or one without a literal start (tag lists' word boundaries) is
cheaper tested element by element where it is used. Build it after the tree is pruned: it does not follow
later changes to the tree.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator

from lxml.html import HtmlElement

from workers.core.extract.casefree import CaseFree


class ClassIndex:
    """Elements carrying a class, id, rel or itemprop, in document order, with their names."""

    __slots__ = ("_elements", "_ids", "_ids_starts", "_marks", "_marks_starts")

    def __init__(self, root: HtmlElement) -> None:
        elements: list[HtmlElement] = []
        ids: list[str] = []
        marks: list[str] = []
        for element in root.iter():
            get = element.get
            klass, ident, rel, prop = get("class"), get("id"), get("rel"), get("itemprop")
            if not (klass or ident or rel or prop):
                continue
            elements.append(element)
            # newlines inside an attribute would split an element's line: they are spaces here
            ids.append(f"{klass or ''} {ident or ''}".replace("\n", " "))
            marks.append(" ".join(filter(None, (klass, ident, rel, prop))).replace("\n", " "))
        self._elements = elements
        self._ids, self._ids_starts = _joined(ids)
        self._marks, self._marks_starts = _joined(marks)

    def by_class(self, pattern: CaseFree) -> Iterator[tuple[HtmlElement, str]]:
        """Elements whose `class id` matches pattern, in page order, with that text (lower-cased)."""
        yield from self._hits(pattern, self._ids, self._ids_starts)

    def by_mark(self, pattern: CaseFree) -> Iterator[tuple[HtmlElement, str]]:
        """Elements whose `class id rel itemprop` (those present) matches pattern, in page order."""
        yield from self._hits(pattern, self._marks, self._marks_starts)

    def _hits(self, pattern: CaseFree, text: str, starts: list[int]) -> Iterator[tuple[HtmlElement, str]]:
        # multiline: ^ and $ hold at each line's ends, so «(^|\s)tags($|\s)» reads every line as its own text
        position, size = 0, len(text)
        while starts and position <= size:
            match = pattern.lines.search(text, position)
            if match is None:
                return
            at = match.start() + (1 if text.startswith("\n", match.start()) else 0)
            line = bisect_right(starts, at) - 1
            end = starts[line + 1] - 1 if line + 1 < len(starts) else size
            yield self._elements[line], text[starts[line]:end]
            position = end + 1  # the next element's line


def _joined(lines: list[str]) -> tuple[str, list[int]]:
    """One lower-cased text of the lines and each line's start offset (lowered first: lower() may lengthen)."""
    lowered = [line.lower() for line in lines]
    starts: list[int] = []
    offset = 0
    for line in lowered:
        starts.append(offset)
        offset += len(line) + 1
    return "\n".join(lowered), starts
