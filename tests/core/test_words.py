"""Word skeletons: one name's transliterations agree, different words stay apart; figures are read alike."""

from __future__ import annotations

import random

import pytest

from workers.core.words import _NUMBER, _RUN, cardinals, fold_words, numbers, skeleton, stem, third_person, word_code


@pytest.mark.parametrize("a, b", [("اميركي", "امريكي"), ("دوج", "دوغ"), ("جوجل", "غوغل"), ("فيسبوك", "فيسبووك")])
def test_transliterations_share_a_skeleton(a: str, b: str) -> None:
    assert skeleton(a) == skeleton(b)
    assert word_code(a) & 0x7FFFFFFF == word_code(b) & 0x7FFFFFFF  # the content hash the rules compare


@pytest.mark.parametrize("a, b", [("بوليفيا", "اوروغواي"), ("وزير", "زياره"), ("حماس", "حمص"), ("قتل", "كتل")])
def test_different_words_keep_different_skeletons(a: str, b: str) -> None:
    assert skeleton(stem(a)) != skeleton(stem(b))


@pytest.mark.parametrize("a, b", [("يتهم", "تتهم"), ("يعلن", "وتعلن"), ("يطالبون", "تطالبون")])
def test_a_verb_in_either_gender_is_one_word(a: str, b: str) -> None:
    assert word_code(a) & 0x7FFFFFFF == word_code(b) & 0x7FFFFFFF


def test_only_a_word_of_four_letters_or_more_is_read_as_a_verb() -> None:
    assert third_person("تمر") == "تمر"  # «تمر» (dates) is no «يمر»
    assert word_code("تمر") & 0x7FFFFFFF != word_code("يمر") & 0x7FFFFFFF
    assert third_person("تقرير") == "يقرير"  # a noun read so meets only what no text writes
    assert word_code("تونس") & 0x7FFFFFFF != word_code("يونس") & 0x7FFFFFFF  # Tunisia is not «خان يونس»
    assert word_code("التونسي") & 0x7FFFFFFF != word_code("يونسي") & 0x7FFFFFFF


@pytest.mark.parametrize("text, expected", [
    ("مقتل ثلاثة أشخاص وإصابة خمسة عشر آخرين", ["3", "15"]), ("خمسة وعشرون قتيلا وعشرين جريحا", ["25", "20"]),
    ("أحد عشر لاعبا واثنا عشر مدربا", ["11", "12"]), ("فاز بثلاثة أهداف مقابل هدفين", ["3"]), ("عشر سنوات", ["10"]),
    ("أحد الأشخاص وواحد من المسؤولين", []), ("ستة وثلاثين", ["36"]), ("الأربعاء والقمة الثلاثية", []),
    # a dual of a noun for people whose plural is broken counts two; one whose plural is sound does not
    ("مصرع شخصين وإصابة طفلتين", ["2", "2"]), ("قتيلان وجريحان", ["2", "2"]), ("إصابة مواطنين ومقيمين", [])])
def test_counts_written_as_words_are_read_as_figures(text: str, expected: list[str]) -> None:
    assert cardinals(fold_words(text)[0]) == expected


def test_short_stems_are_kept_whole() -> None:
    assert skeleton("ايام") == "ايام"  # «ا» + «م» would be too little to tell words apart


@pytest.mark.parametrize("text, expected", [
    ("ارتفع 12,450 سهما", ["12450"]), ("نسبة 3.50 %", ["3.5"]), ("بلغ ١٢٫٥ مليون", ["12.5"]),
    ("عام 2025، و1,2345", ["2025", "1.2345"]), ("007 و0.0", ["7", "0"]), ("لا أرقام", []),
    ("بلغ ١٬٢١٥٬٣٤٧ حاجا", ["1215347"]), ("و١٧٬٧٣٥ عبر البحر و٤٫٥٪", ["17735", "4.5"])])  # «٬»: Arabic thousands
def test_figures_are_read_canonically(text: str, expected: list[str]) -> None:
    assert numbers(text) == expected


def test_a_figure_with_the_agencies_ra_mark_reads_both_ways() -> None:
    """Agency copy writes a decimal mark as «ر», with either part first: «21ر4» meets «21.4», and «5ر1» meets «1.5».
    Two marks in one run, or a «ر» not between digits, make no decimal."""
    assert numbers("البطالة 21ر4 بالمئة") == ["21.4", "4.21"]
    assert numbers("بلغ ٥ر١ مليار و 3 ملايين") == ["5.1", "1.5", "3"]
    assert numbers("1ر2ر3") == ["1", "2", "3"]
    assert numbers("البطالة 21رَ4 بالمئة") == ["21.4", "4.21"]  # a copy vocalised letter by letter
    assert numbers("عام 2024ريال 7") == ["2024", "7"]


def test_a_run_of_digits_too_long_for_a_figure_is_skipped() -> None:
    """The figure pattern backtracks over a run of digits and separators: a run longer than any figure stated is
    no figure (and a hostile one would cost seconds); figures beside it are still read."""
    assert numbers("بلغ 12,345,678 ريالا") == ["12345678"]
    assert numbers("1" + ",111" * 20 + "1 و 25") == ["25"]
    assert numbers("رقم 1234567890123456789012 مسجل") == ["1234567890123456789012"]  # an ID still reads


def test_figures_found_by_runs_match_the_full_scan() -> None:
    # `numbers` looks for the figure pattern inside runs of digits and separators only (much faster than
    # scanning the whole text with it); on any text both must find the same figures.
    rnd = random.Random(20261205)
    alphabet = "0123456789٠١٢٣٤٥٦٧٨٩۰۱,.٫ سa"
    for _ in range(20000):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(1, 16)))
        found = [figure for run in _RUN.findall(text) for figure in _NUMBER.findall(run)]
        assert found == _NUMBER.findall(text), text


def test_folded_prefix_counts_what_folding_keeps() -> None:
    from workers.core.words import folded_prefix

    assert folded_prefix("كتاب", 10) == "كتاب"
    assert folded_prefix("كِتَابٌ جديد", 4) == "كِتَابٌ"  # four letters, their marks with them
    assert folded_prefix("كتـــاب جديد", 5) == "كتـــاب "  # tatweel takes no room; a space does
    assert folded_prefix("ab cd", 2) == "ab"
    assert folded_prefix("\u064e" * 50, 3) == "\u064e" * 12  # nothing kept: at most four times the size is read
