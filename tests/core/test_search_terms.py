"""Search terms: light Arabic stemming, query parsing (hostile input included) and snippets."""

from __future__ import annotations

import pytest

from workers.core.search_terms import (
    MAX_QUERY_CHARS,
    SearchQueryError,
    article_snippet,
    document_terms,
    parse_query,
    snippet,
    terms,
)


def one(word: str) -> str:
    found = terms(word)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize("forms", [
    ("والمفاوضات", "مفاوضات", "للمفاوضات", "بالمفاوضات", "المفاوضات", "مفاوضاتهم"),
    ("بالمدرسة", "المدرسة", "مدرستها", "مدرسة", "والمدرسة", "مدرستهم"),
    ("الحكومة", "حكومتها", "للحكومة", "وحكومتهم", "حكومة"),
    ("الوزراء", "وزراء", "والوزراء", "للوزراء"),
    ("الفلسطينية", "فلسطين", "فلسطيني", "الفلسطينيون", "بالفلسطينيين"),
    ("اللبنانيون", "لبنان", "اللبناني", "لبنانية"),
    ("الأمن", "والامن", "أمنها", "الإمن"),
    ("الانتخابات", "انتخابية", "والانتخابات"),
    ("الاتفاق", "اتفاقية", "الاتفاقيات", "كالاتفاق"),
])
def test_inflected_forms_meet(forms: tuple[str, ...]) -> None:
    assert len({one(f) for f in forms}) == 1, {f: one(f) for f in forms}


@pytest.mark.parametrize("a, b", [
    ("لبنان", "لبن"),  # Lebanon is not milk: ان needs a four-letter stem
    ("وطن", "طن"),  # a homeland is not a ton: و leaves at least three letters
    ("وقت", "قت"),
    ("بيت", "بي"),
    ("كتاب", "تاب"),  # a bare ك is never taken off
    ("فرنسا", "رنسا"),
    ("مصر", "مصير"),
    ("سلام", "اسلام"),
    ("في", "فيه"),
])
def test_different_words_stay_apart(a: str, b: str) -> None:
    assert one(a) != one(b)


def test_short_words_are_kept_whole() -> None:
    assert [one(w) for w in ("في", "من", "على", "هو", "وفي", "ان")] == ["في", "من", "علي", "هو", "وفي", "ان"]


def test_folding_as_the_project_does() -> None:
    # diacritics, tatweel, alef forms, ى, ة, Arabic-Indic digits
    assert terms("المُفـاوضات") == terms("المفاوضات")
    assert terms("إطلاق أطلق آخر") == terms("اطلاق اطلق اخر")
    assert one("مستشفى") == one("مستشفي")
    assert terms("٢٠٢٤ ۱۲") == ["2024", "12"]


def test_a_marked_accusative_alef_goes() -> None:
    assert terms("أمطاراً غزيرةً جديدًا") == terms("الأمطار الغزيرة الجديد")
    assert terms("ماءً") == ["ماء"]


def test_latin_words_lower_cased_not_stemmed() -> None:
    assert terms("Reuters NEWS-Agency") == ["reuters", "news", "agency"]


def test_document_terms_keep_word_order() -> None:
    assert document_terms("قمة الرياض", "بدأت المفاوضات") == "قمه رياض بدات مفاوض"


def test_query_words_and_phrases() -> None:
    query = parse_query('«وزير الخارجية» والمفاوضات "the Summit" المفاوضات')
    assert query.words == ("مفاوض",)
    assert set(query.phrases) == {("زير", "خارج"), ("the", "summit")}
    assert query.fts5() == '"مفاوض" "زير خارج" "the summit"'
    assert query.all_terms == {"مفاوض", "زير", "خارج", "the", "summit"}


@pytest.mark.parametrize("hostile", [
    'NEAR(a b) OR c*', '"unclosed', "a -b +c ^d", "col:value", "'); DROP TABLE articles; --",
    "a & !b | c <-> d", "a:* & b:A", '"a" "b"c"', "x\\y", "(((a)))",
])
def test_hostile_queries_become_plain_terms(hostile: str) -> None:
    query = parse_query(hostile)
    for term in query.all_terms:
        assert term.isalnum(), term
    assert all(c.isalnum() or c in '" ' for c in query.fts5())


@pytest.mark.parametrize("empty", ["", "   ", "ًٌٍَُِّْ", "ـــ", "!!! ... ؟؟ «»", '""', "***"])
def test_nothing_to_search_is_an_error(empty: str) -> None:
    with pytest.raises(SearchQueryError, match="no letters or digits"):
        parse_query(empty)


def test_too_long_is_an_error_and_terms_past_the_cap_are_left_out() -> None:
    with pytest.raises(SearchQueryError, match="characters"):
        parse_query("ا" * (MAX_QUERY_CHARS + 1))
    assert parse_query(" ".join(f"w{i}" for i in range(13))).words == tuple(f"w{i}" for i in range(12))
    query = parse_query('"a b c d e f g h i j k" x y z ' + "-".join("q" * 30))
    assert query.phrases == (tuple("abcdefghijk"),) and query.words == ("x",)
    assert len(parse_query("-".join("abcdefghijklmnopqrstuvwxyz")).all_terms) == 12
    assert parse_query('"' + " ".join("abcdefghijklmnopqrstuvwxyz") + '"').phrases == (tuple("abcdefghijkl"),)


def test_snippet_marks_matched_words_in_the_original_text() -> None:
    text = ("افتتح الوزير اليوم مبنى جديدا. " * 10) + "وقالت إن المُفاوضات مع المدرسة مستمرة. " + "كلام آخر " * 30
    found = snippet(text, parse_query("مفاوضات مدرستها").all_terms, width=120)
    assert found.text.startswith("…") and found.text.endswith("…")
    marked = [found.text[s:e] for s, e in found.highlights]
    assert marked == ["المُفاوضات", "المدرسة"]
    assert len(found.text) <= 122


def test_snippet_prefers_the_window_with_most_distinct_terms() -> None:
    text = "حكومة " + "كلام " * 60 + "الحكومة والمفاوضات"
    found = snippet(text, frozenset(terms("حكومة مفاوضات")), width=60)
    assert [found.text[s:e] for s, e in found.highlights] == ["الحكومة", "والمفاوضات"]


def test_snippet_without_match_is_the_opening() -> None:
    found = snippet("نص قصير", frozenset({"غائب"}))
    assert found.text == "نص قصير" and found.highlights == ()


def test_article_snippet_reads_the_lead_then_the_rest_then_the_title() -> None:
    wanted = parse_query("مفاوضات").all_terms
    late = "كلام عام " * 300 + "والمفاوضات في آخر النص"
    found = article_snippet("عنوان", late, wanted)
    assert [found.text[s:e] for s, e in found.highlights] == ["والمفاوضات"]
    in_title = article_snippet("جولة المفاوضات", "نص لا يذكرها", wanted)
    assert in_title.text == "جولة المفاوضات" and in_title.highlights == ((5, 14),)
