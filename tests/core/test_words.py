"""Word skeletons: one name's transliterations agree, different words stay apart."""

from __future__ import annotations

import pytest

from workers.core.words import skeleton, stem, word_code


@pytest.mark.parametrize("a, b", [("اميركي", "امريكي"), ("دوج", "دوغ"), ("جوجل", "غوغل"), ("فيسبوك", "فيسبووك")])
def test_transliterations_share_a_skeleton(a: str, b: str) -> None:
    assert skeleton(a) == skeleton(b)
    assert word_code(a) & 0x7FFFFFFF == word_code(b) & 0x7FFFFFFF  # the content hash the rules compare


@pytest.mark.parametrize("a, b", [("بوليفيا", "اوروغواي"), ("وزير", "زياره"), ("حماس", "حمص"), ("قتل", "كتل")])
def test_different_words_keep_different_skeletons(a: str, b: str) -> None:
    assert skeleton(stem(a)) != skeleton(stem(b))


def test_short_stems_are_kept_whole() -> None:
    assert skeleton("ايام") == "ايام"  # «ا» + «م» would be too little to tell words apart
