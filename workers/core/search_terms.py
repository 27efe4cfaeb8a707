"""Search terms for Arabic full-text search: one function turns an article and a query into the same terms.

Text is folded as for matching (workers.core.arabic: NFKC, no marks or tatweel, one alef, ى→ي, ة→ه, ASCII
digits, punctuation to spaces, lower case), then each Arabic word is lightly stemmed: the conjunction و and
the article with what clings to it (ال وال بال كال فال لل ولل ...) come off the front, common pronoun,
plural and nisba endings (ها هم كم نا ات ون ين ان ية ي ة ...) off the back, never below a minimum stem,
so «والمفاوضات», «مفاوضات» and «للمفاوضات» are one term and «وطن» does not become «طن».

A bare ب ك ل ف is not taken off a word: with no dictionary it cannot be told from a root letter, and
taking it off both «كتاب» (→ تاب) and, after the article, «الكتاب» (→ كتاب) would part words that
belong together; it comes off only with the article (بال كال لل فال). Latin words are lower-cased only.

`parse_query` reads a user's search (words ANDed, "quoted" or «quoted» phrases) into terms made only of
word characters, so nothing a user types reaches FTS5 or tsquery syntax; `snippet` finds a short excerpt
around the best match and says where the matched words are, as offsets, for the caller to mark up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from workers.core.arabic import fold_chars

MAX_QUERY_CHARS = 256
MAX_QUERY_TERMS = 12
# Indexed: the title and this much of the body (the LIKE search read the same 4000 characters).
INDEXED_BODY_CHARS = 4000

_ARABIC_LETTER = re.compile("[\u0621-\u064a\u0671-\u06d3]")
_WORD = re.compile(r"\w+")
# Longest first: the first that fits is taken. Each leaves at least 2 letters (Larkey's light10 rule).
_ARTICLES = ("وبال", "وكال", "وفال", "فبال", "ولل", "فلل", "وال", "بال", "كال", "فال", "لل", "ال")
# Suffixes, longest first; taken repeatedly (فلسطينيون → فلسطيني → فلسطين → فلسط) while a stem of at
# least _MIN_STEM letters is left. ان needs a longer stem: it ends many names (لبنان must not become لبن).
_SUFFIXES = ("كما", "هما", "ها", "هم", "هن", "كم", "كن", "نا", "ات", "ون", "ين", "ان", "يه",
             "ي", "ه")
_MIN_STEM = 3
_LONG_SUFFIX_STEM = {"ان": 4}
# ة before a pronoun is written ت (مدرسة → مدرستها): it goes with the pronoun, as ة goes as ه.
_PRONOUNS = ("كما", "هما", "ها", "هم", "هن", "كم", "كن", "نا")


class SearchQueryError(ValueError):
    """A search that has no searchable words, or is too long: the caller's mistake, not a fault."""


def _is_arabic(word: str) -> bool:
    return _ARABIC_LETTER.match(word) is not None


def _strip_prefix(word: str) -> str:
    for article in _ARTICLES:
        if word.startswith(article) and len(word) - len(article) >= 2:
            word = word[len(article):]
            break
    # و comes off after the article too: «الوزراء» must meet «وزراء», which loses its (maybe root) و
    if word.startswith("و") and len(word) - 1 >= _MIN_STEM:
        return word[1:]
    return word


def _strip_suffixes(word: str) -> str:
    for _ in range(3):
        for suffix in _SUFFIXES:
            stem = word[:-len(suffix)]
            if word.endswith(suffix) and len(stem) >= _LONG_SUFFIX_STEM.get(suffix, _MIN_STEM):
                # (but not the ت of a plural ات: «مفاوضاتهم» is «مفاوضات» + هم)
                if suffix in _PRONOUNS and stem.endswith("ت") and not stem.endswith("ات") \
                        and len(stem) - 1 >= _MIN_STEM:
                    stem = stem[:-1]
                word = stem
                break
        else:
            return word
    return word


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """One folded word's search term: Arabic lightly stemmed, anything else as it is."""
    if not _is_arabic(word):
        return word
    return _strip_suffixes(_strip_prefix(word))


# The accusative's alef, where its tanween shows it is one («أمطاراً» is «أمطار»); unmarked, it stays.
_TANWEEN_ALEF = re.compile("(?:ا\u064b|\u064bا)(?=\\W|$)")


def terms(text: str) -> list[str]:
    """The search terms of a text, in order (repeats kept: positions matter for phrases and ranking)."""
    if "\u064b" in text:
        text = _TANWEEN_ALEF.sub("", text)
    return [stem(w) for w in _WORD.findall(fold_chars(text))]


def document_terms(title: str, body: str) -> str:
    """What an article is indexed by: its title's and body's terms, space-separated."""
    return " ".join(terms(f"{title}\n{body[:INDEXED_BODY_CHARS]}"))


@dataclass(frozen=True)
class SearchQuery:
    """A parsed search: every word and every phrase must match (phrases keep their order)."""

    words: tuple[str, ...]
    phrases: tuple[tuple[str, ...], ...]

    @property
    def all_terms(self) -> frozenset[str]:
        return frozenset(self.words) | {t for p in self.phrases for t in p}

    def fts5(self) -> str:
        """The FTS5 MATCH expression: each term a quoted string (terms are word characters only)."""
        parts = [f'"{w}"' for w in self.words] + ['"' + " ".join(p) + '"' for p in self.phrases]
        return " ".join(parts)


# A word as written: letters and digits with the marks, tatweel and joiners folding removes (\w alone would
# cut «مُفاوضات» at its damma).
_MARKED_WORD = re.compile("(?:[^\\W_]|[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640\u200c\u200d])+")
_QUOTED = re.compile(r'"([^"]*)"|«([^»]*)»|“([^”]*)”')


def parse_query(text: str) -> SearchQuery:
    """Read a user's search; SearchQueryError when it is too long or leaves no word to look for."""
    if len(text) > MAX_QUERY_CHARS:
        raise SearchQueryError(f"a search is at most {MAX_QUERY_CHARS} characters")
    phrases: list[tuple[str, ...]] = []
    for match in _QUOTED.finditer(text):
        phrase = tuple(terms(next(g for g in match.groups() if g is not None)))
        if len(phrase) > 1:
            phrases.append(phrase)
        elif phrase and phrase[0]:
            text += " " + phrase[0]  # a quoted single word is a word
    words = tuple(dict.fromkeys(terms(_QUOTED.sub(" ", text))))
    if not words and not phrases:
        raise SearchQueryError("the search has no letters or digits to look for")
    # Each term is one more index lookup: past MAX_QUERY_TERMS they are left out, phrases first kept whole
    # (punctuation inside one typed word can make many terms: «a-b-c-…» is within the API's word limit).
    kept: list[tuple[str, ...]] = []
    room = MAX_QUERY_TERMS
    for phrase in dict.fromkeys(p[:MAX_QUERY_TERMS] for p in phrases):
        if len(phrase) <= room:
            kept.append(phrase)
            room -= len(phrase)
    return SearchQuery(words[:room], tuple(kept))


@dataclass(frozen=True)
class Snippet:
    """An excerpt of an article and where in it the matched words are: [start, end) offsets into text."""

    text: str
    highlights: tuple[tuple[int, int], ...]


def _word_spans(text: str) -> list[tuple[int, int, str]]:
    """Every word of the original text with its offsets and its search term."""
    # each word is folded on its own, so offsets point into the original text whatever folding removes
    spans = []
    for match in _MARKED_WORD.finditer(text):
        found = _word_term(match.group())
        if found:
            spans.append((match.start(), match.end(), found))
    return spans


@lru_cache(maxsize=65536)
def _word_term(word: str) -> str | None:
    """One written word's term (a newsroom's words repeat: a page of results folds each only once)."""
    found = terms(word)
    return found[0] if found else None


def snippet(text: str, wanted: frozenset[str], width: int = 200) -> Snippet:
    """The excerpt of about `width` characters with the most distinct wanted terms, their spans marked.

    Starts of the excerpt are tried at each matched word; with no match, the text's opening is returned.
    """
    spans = _word_spans(text)
    hits = [(s, e, term) for s, e, term in spans if term in wanted]
    if not hits:
        return Snippet(_cut(text, 0, width)[0], ())
    best, best_score = 0, (-1, 0)
    for i, (start, _, _) in enumerate(hits):
        inside = [h for h in hits[i:] if h[1] <= start + width]
        score = (len({h[2] for h in inside}), len(inside))
        if score > best_score:
            best, best_score = i, score
    # open a little before the first match, at a word boundary, so the match has context
    first = hits[best][0]
    begin = max(0, first - width // 5)
    if begin:
        space = text.rfind(" ", 0, begin + 1)
        begin = space + 1 if space >= 0 and first - space < width // 2 else begin
    excerpt, end = _cut(text, begin, width)
    lead = "…" if begin else ""
    marks = tuple((s - begin + len(lead), e - begin + len(lead)) for s, e, _ in hits if s >= begin and e <= end)
    return Snippet(lead + excerpt, marks)


def _cut(text: str, begin: int, width: int) -> tuple[str, int]:
    """text[begin:] cut to about width characters at a word boundary, "…" if cut; and where it ends."""
    end = begin + width
    if end >= len(text):
        return text[begin:], len(text)
    space = text.rfind(" ", begin + width // 2, end)
    end = space if space > 0 else end
    return text[begin:end] + "…", end


def article_snippet(title: str, body: str, wanted: frozenset[str], width: int = 200) -> Snippet:
    """A search result's excerpt: from the body where it matches, else the title (which matched)."""
    # the opening first (the lead is where a story says what it is about, and reading each word of a whole
    # body for every result of a page is most of a search's time), then the rest of what was indexed
    found = snippet(body[:_LEAD_CHARS], wanted, width)
    if not found.highlights and len(body) > _LEAD_CHARS:
        found = snippet(body[:INDEXED_BODY_CHARS], wanted, width)
    return found if found.highlights or not title else snippet(title, wanted, width)


_LEAD_CHARS = 1200
