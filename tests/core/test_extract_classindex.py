"""The page's class index and the case-free patterns: the same elements a walk of the tree would find."""

from __future__ import annotations

import lxml.html
import pytest

from workers.core.extract.casefree import CaseFree
from workers.core.extract.classindex import ClassIndex

PAGE = """<html><body>
<div class="Post-Tags">a</div>
<div id="tags">b</div>
<span class="x" id="y">c</span>
<p rel="author">d</p>
<div class="tags
 wrapped">e</div>
<div class="tags"><div class="tags">f</div></div>
<div class="İstanbul related">g</div>
</body></html>"""


@pytest.fixture()
def root() -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(PAGE)


def test_every_line_is_its_own_text_for_boundaries(root: lxml.html.HtmlElement) -> None:
    words = CaseFree(r"(^|[\s_-])tags($|[\s_-])")
    found = [e.text_content() for e, _ in ClassIndex(root).by_class(words)]
    # «Post-Tags» matches after its hyphen, «tags» on consecutive lines each; a newline in an attribute
    # does not split its element's line
    assert found == ["a", "b", "e", "f", "f"]


def test_same_as_a_walk_of_the_tree(root: lxml.html.HtmlElement) -> None:
    words = CaseFree(r"related|tags|y")
    walked = [e for e in root.iter() if isinstance(e.tag, str)
              and words.search(f"{e.get('class') or ''} {e.get('id') or ''}")]
    assert [e for e, _ in ClassIndex(root).by_class(words)] == walked


def test_marks_read_rel_and_itemprop_but_classes_do_not(root: lxml.html.HtmlElement) -> None:
    author = CaseFree("author")
    index = ClassIndex(root)
    assert [e.text for e, _ in index.by_mark(author)] == ["d"]
    assert list(index.by_class(author)) == []


def test_a_letter_that_lengthens_when_lowered_keeps_later_lines_aligned(root: lxml.html.HtmlElement) -> None:
    hits = [(e.text_content(), names) for e, names in ClassIndex(root).by_class(CaseFree("related"))]
    assert hits == [("g", "i̇stanbul related ")]


def test_an_empty_page_has_no_hits() -> None:
    root = lxml.html.document_fromstring("<html><body><p>x</p></body></html>")
    assert list(ClassIndex(root).by_class(CaseFree("p"))) == []


def test_case_free_patterns_are_written_in_lower_case() -> None:
    with pytest.raises(ValueError):
        CaseFree("Tags")
    assert CaseFree("tags").search("POST-TAGS") and CaseFree("^post").match("Post-tags")
