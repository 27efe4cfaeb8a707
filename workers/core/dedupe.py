"""Near-duplicate decisions for news items: the rules every index backend and `akhbar dedupe-pairs` share."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from operator import eq
from typing import Any

from workers.core.fingerprint import (
    CAPS,
    DIGIT_HASHES,
    SIG_SLOTS,
    YEAR_HASHES,
    Fingerprint,
    fingerprint_text,
    mark_of,
)
from workers.core.signals import (
    PERIOD_KINDS,
    TITLE_KINDS,
    city_unmentioned,
    conflict,
    countries_apart,
    countries_named_apart,
    counts_dead,
    deputy_added,
    headline_groups_alike,
    headline_places_meet,
    new_in_series,
    opposition,
    other_cities,
    other_countries,
    other_places,
    other_subject,
    outcomes_differ,
    periods_told_apart,
    places_meet,
    postponed,
    recurring_report,
    same_headline_place,
    stock_report,
    unmentioned_place,
)

# Thresholds: their only home (every index backend calls `compare` through workers/core/dedupe_index.py).
TITLE_CONTAINMENT = 0.9  # char 3-grams of the shorter title found in the longer one
BIGRAM_CONTAINMENT = 0.8  # and its word pairs, in order: reordered words swap who did what
BIGRAM_MISSES = 1  # (a short headline may miss one pair: a word dropped mid-title makes one new pair)
TITLE_MIN_WORDS = 3  # «كواليس» or «حديث الأربعاء» are column names, not stories
TITLE_BODY_MIN_WORDS = 5  # an identical headline this long names one event...
TITLE_BODY_MIN_WORDS_JACCARD = 0.12  # ...if the bodies at least talk about the same things
BODY_JACCARD = 0.30  # shared wire copy: word pairs of the body start, estimated by MinHash
BODY_COVERAGE = 0.45  # and one headline's words appear in the other item (templated telegrams fail this)
COPY_FIGURES = 4  # shared copy stating this many same figures (see _figures_agree) is one statement's copy,
COPY_FIGURES_COVERAGE = 0.3  # its headline's words in other forms than the copy's (fewer found than BODY_COVERAGE)
COPY_BODY_JACCARD = 0.25  # a weaker phrasing estimate is enough...
COPY_WORDS = 0.6  # ...when most body-start content words are shared,
COPY_FIGURE_WORDS = 0.45  # or nearly half of them and the headlines state one same figure (a wire copy edited
# sentence by sentence, «لقي 5 أشخاص مصرعهم» kept and the rest put in the outlet's words: the toll in both headlines)
EDITED_COPY_JACCARD = 0.12  # one copy edited under another headline: a little phrasing kept,
EDITED_COPY_WORDS = 0.45  # nearly half of the lead's words,
EDITED_COPY_COVERAGE = 0.7  # and one headline's words mostly in the other item (see _edited_copy)
EVENT_WORDS = 0.8  # independent write-ups: the shorter headline's words nearly all in the longer one,
EVENT_TITLE_JACCARD = 0.45  # a fair share of its characters,
EVENT_BODY_WORDS_JACCARD = 0.15  # and bodies that use the same vocabulary
TEMPLATE_TITLE_WORDS = 0.45  # headline words this alike (Jaccard), each naming what the other lacks: a template
TEMPLATE_SUBJECT_WORDS = 3  # or headlines sharing a head, each naming this many words the other lacks (_named_apart)
FOLLOW_UP_MINUTES = 12 * 60  # a later item this much later, headlining something new, is a follow-up
FIGURES_SHARED = 2  # a headline figure and one more, in agreement (a numbers conflict is ruled out first),
FIGURES_TITLE_WORDS = 0.4  # with some headline words in common
FIGURES_BODY_WORDS = 0.1  # and some body vocabulary
FACTS_BODY_WORDS = 0.12  # independent write-ups whose headlines name one place and state one figure: bodies
FACTS_COVERAGE = 0.7  # using some of one vocabulary, and one headline's words nearly all in the other item
LEAD_FIGURES = 4  # write-ups stating this many same figures (years aside) in their headlines and body starts,
LEAD_FIGURES_SHARE = 0.6  # most of those the item with fewer states, bodies using some of one vocabulary
LEAD_FIGURES_COVERAGE = 0.5  # (FACTS_BODY_WORDS) and half of one headline's words found in the other item
PLACE_BODY_WORDS = 0.18  # write-ups whose headlines name one place and state no shared figure: bodies using more
PLACE_COVERAGE = 0.75  # of one vocabulary than FACTS_*, and one headline's words mostly found in the other item
REWRITTEN_BODY_WORDS = 0.3  # one copy rewritten sentence by sentence: bodies using this much of one lead vocabulary,
REWRITTEN_FIGURES = 2  # stating this many same figures of two digits or more (years aside),
REWRITTEN_COVERAGE = 0.5  # and half of one headline's words found in the other item
SAME_HEADLINE_MIN_WORDS = 4  # an identical headline this long, from two outlets, is one story unless told apart...
SAME_HEADLINE_TOLD = 0.6  # ...provided the bodies tell it: this share of its words appears in them (a column's
# fixed title «جولة في الصحافة العالمية» is not what its text is about)
SAME_SOURCE_GAP_MINUTES = 18 * 60  # a source reusing its title or its copy after this long is running a column
SAME_SOURCE_REPOST_JACCARD = 0.9  # ...unless both are the same again: the same headline over near-identical copy
SAME_COPY_JACCARD = 0.9  # bodies this alike are one copy: its headlines may deny or reorder without telling apart
DENIAL_TITLE_WORDS = 0.5  # a denial tells apart headlines sharing this share of the shorter one's words (a quote
# «لن نعود…» under another headline of the same strike denies nothing the other states)
# The least shared phrasing (MinHash) and vocabulary (word Jaccard) any merge of two bodies under unlike headlines
# asks for (the rules below, each threshold above): candidates under both are no duplicate.
_PHRASING_FLOOR = min(BODY_JACCARD, COPY_BODY_JACCARD)
_VOCABULARY_FLOOR = min(EVENT_BODY_WORDS_JACCARD, FACTS_BODY_WORDS, PLACE_BODY_WORDS, FIGURES_BODY_WORDS,
                        REWRITTEN_BODY_WORDS)
EDIT_TITLE_WORDS = 0.6  # headline words shared (Jaccard) for one word swapped for its opposite to tell apart
DIRECTION_TITLE_WORDS = 0.25  # headline words shared (Jaccard) for a direction or outcome to tell one copy's apart
REORDER_GRAMS = 1  # (see _reordered)
TOLL_UPDATE_WORDS = 0.8  # a toll's update rewrites part of its lead (see _toll_update)
PER_KEY_CAP = 32  # items kept under one key per bucket, the newest: a template's or boilerplate's key fills up,
# and a re-post is filed soon after its original (keeping the first ones would lose every later original)


@dataclass(frozen=True, slots=True)
class DedupeItem:
    """One article as the duplicate index sees it."""

    article_id: str
    source: str
    title: str
    body: str
    at: datetime


# Not frozen: a frozen dataclass sets each field through object.__setattr__, and `compare` builds one Decision per
# candidate (380 ns against 140); nothing changes a Decision once made.
@dataclass(slots=True)
class Decision:
    """A pair's decision, its evidence (`score`) and the rule that made it (`rule`: which merge, veto or lack of
    shared words; `akhbar dedupe-pairs --explain` prints it, so a newsroom can see why two items joined)."""

    duplicate: bool
    score: float
    rule: str = ""


@dataclass(frozen=True, slots=True)
class Assignment:
    """Where an article landed: its cluster (the first member's id) and that first member, if not itself."""

    cluster_id: str
    duplicate_of: str | None
    score: float


def bucket_of(at: int, window: int) -> int:
    """The time bucket an item is filed in: buckets span two windows, so a lookup reads one or two of them."""
    return at // (2 * window)


def reach(at: int, window: int) -> range:
    """The buckets a lookup at `at` reads: every one overlapping [at - window, at + window]."""
    return range((at - window) // (2 * window), (at + window) // (2 * window) + 1)


def to_minutes(at: datetime) -> int:
    """Minutes since the epoch; naive datetimes are taken as UTC."""
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return int(at.timestamp() // 60)


def fingerprint(item: DedupeItem) -> Fingerprint:
    """Fingerprint a DedupeItem: title, body start, source and time."""
    return fingerprint_text(item.title, item.body, item.source, to_minutes(item.at))


def _containment(a: frozenset[int], b: frozenset[int]) -> float:
    small = min(len(a), len(b))
    return len(a & b) / small if small else 0.0


def _jaccard(a: frozenset[int], b: frozenset[int]) -> float:
    shared = len(a & b)  # (the union's size by arithmetic: building the union set cost more than the rest)
    return shared / (len(a) + len(b) - shared) if a or b else 0.0


# Slot masks over a signature read as one integer (slot i in bits 16i..16i+15): each slot's low 15 bits, its top bit.
_SLOT_LOW = int.from_bytes(b"\xff\x7f" * SIG_SLOTS, "little")
_SLOT_TOP = int.from_bytes(b"\x00\x80" * SIG_SLOTS, "little")


def body_similarity(a: Fingerprint, b: Fingerprint) -> float:
    """MinHash estimate of the Jaccard similarity of the two bodies' word pairs (0 if either has none)."""
    sa, sb = a.sig, b.sig
    if not (sa and sb):
        return 0.0
    if len(sa) != 2 * SIG_SLOTS or len(sb) != 2 * SIG_SLOTS:  # not a record of ours: slot by slot
        same: int = sum(map(eq, memoryview(sa).cast("H"), memoryview(sb).cast("H")))
        return same / SIG_SLOTS
    # The slots that differ are the nonzero 16-bit lanes of A xor B. A lane's top bit after `+ _SLOT_LOW` is set iff
    # its low 15 bits were nonzero (no carry leaves a lane), so one popcount counts them: 5x the slot-by-slot loop,
    # which a hot key's candidates pay each.
    x = int.from_bytes(sa, "little") ^ int.from_bytes(sb, "little")
    differ = (((x & _SLOT_LOW) + _SLOT_LOW) | x) & _SLOT_TOP
    return (SIG_SLOTS - differ.bit_count()) / SIG_SLOTS


def _coverage(a: Fingerprint, b: Fingerprint) -> float:
    """Share of A's headline words found anywhere in B (title or body start)."""
    return len(a.twords & (b.twords | b.bwords)) / len(a.twords) if a.twords else 0.0


def _unmentioned(a: Fingerprint, b: Fingerprint) -> frozenset[int]:
    """A's headline words its body repeats (its subject, not a flourish) that B never mentions."""
    unmentioned: frozenset[int] = (a.twords & a.bwords) - b.twords - b.bwords
    return unmentioned


def _exclusive(a: Fingerprint, b: Fingerprint) -> bool:
    """A's headline has a word its body repeats that B never mentions (`_unmentioned`)."""
    return bool(_unmentioned(a, b))


def _named_apart(a: Fingerprint, b: Fingerprint) -> bool:
    """Headlines sharing two words or more (a template's fixed head, «أمر ملكي: تعيين…»), each naming
    TEMPLATE_SUBJECT_WORDS or more words its own body repeats and the other item never mentions: a template's two
    subjects named at length (an appointee's title, name and lineage and the post: «…الدكتور عبدالرحمن الشثري نائباً
    لوزير الشؤون البلدية» / «…المهندس فهد العتيبي وكيلاً لوزارة النقل»), whose headlines share too few words for
    TEMPLATE_TITLE_WORDS. A retitled copy's headline names what both copies state; a copy cut elsewhere misses a word
    or two of it, not three on each side."""
    return (len(a.twords & b.twords) >= 2 and len(_unmentioned(a, b)) >= TEMPLATE_SUBJECT_WORDS
            and len(_unmentioned(b, a)) >= TEMPLATE_SUBJECT_WORDS)


def _figures_contained(a: frozenset[int], b: frozenset[int]) -> bool:
    """Every figure of the headline with fewer is in the other: an added word may be a figure (or an ordinal,
    as in the outlet «اليوم السابع» after a headline); another figure in its place is another report."""
    return len(a & b) == min(len(a), len(b))


def _word_order_kept(a: frozenset[int], b: frozenset[int]) -> bool:
    """The shorter headline's word pairs, in order, are in the other (so roles were not swapped)."""
    small = min(len(a), len(b))
    return _containment(a, b) >= BIGRAM_CONTAINMENT or (small >= 3 and len(a & b) >= small - BIGRAM_MISSES)


def _toll_update(a: Fingerprint, b: Fingerprint, bj: float) -> bool:
    """A headline gives a toll («ارتفاع حصيلة…إلى 8 قتلى»), which grows through the day, over a lead rewritten in
    part: an update stating other figures. The same lead words nearly all (TOLL_UPDATE_WORDS) with other figures
    are one copy with its toll edited, or a weekly toll's next report."""
    if not (a.toll or b.toll) or _jaccard(a.bwords, b.bwords) >= TOLL_UPDATE_WORDS:
        return False
    # Two headlines giving a toll, over bodies written apart, are two events' tolls as often as one event's two
    # («ارتفاع ضحايا حادث طريق العقير إلى 4» / «…إلى 3» over two crashes): an update then shares the earlier copy.
    return not (a.toll and b.toll) or bj >= BODY_JACCARD


def _numbers_conflict(a: Fingerprint, b: Fingerprint, bj: float) -> bool:
    """The headlines state different figures, or most figures of the body starts disagree: another report (not a
    toll's update)."""
    if _toll_update(a, b, bj):
        return False
    # A headline figure the other item never mentions (a rewritten headline may pick another figure
    # of the same story, which then still appears in the other's body).
    if a.tapprox and b.tapprox and not a.tapprox & b.approx and not b.tapprox & a.approx:
        return True
    small = min(len(a.nums), len(b.nums))
    return small >= 2 and 2 * len(a.nums & b.nums) < small


def _edited_copy(a: Fingerprint, b: Fingerprint, bj: float, bwj: float) -> bool:
    """One copy edited by a paper (sentences cut, merged, put in its words) under a headline of its own («سمو الأمير
    يستقبل وزير الخارجية السعودي…» / «رسالة خطية من الملك سلمان إلى سمو الأمير…»): less phrasing survives than
    shared copy asks (EDITED_COPY_JACCARD), but nearly half of the lead's words (EDITED_COPY_WORDS), and one headline
    is told almost all in the other item (EDITED_COPY_COVERAGE); neither denies what the other states. Not for
    recurring reports, whose every issue is the last one's copy edited (after the vetoes of `compare`, and not for a
    template's two subjects or a follow-up, which the caller rules out)."""
    return (bj >= EDITED_COPY_JACCARD and bwj >= EDITED_COPY_WORDS and a.negation == b.negation
            and max(_coverage(a, b), _coverage(b, a)) >= EDITED_COPY_COVERAGE
            and not (recurring_report(a.signal_groups) or recurring_report(b.signal_groups)))


def _lead_facts(a: Fingerprint, b: Fingerprint, bwj: float) -> bool:
    """Two write-ups of one event in their own words: the headlines name one place (or one a city and the other its
    country, `headline_places_meet`: «…في اليمن» / «…في مأرب») and the items state the same facts (a headline figure
    in common, or two figures of the leads), the bodies share some vocabulary and one headline's words nearly all
    appear in the other item. (Figures in conflict, another phase or direction, and a template's two subjects were
    ruled out before: another event at the same place with the same count names what happened, «انفجار»/«حريق», in
    its headline and body and never in the other's.)"""
    return ((bool(a.tnums & b.tnums) or len(a.nums & b.nums) >= FIGURES_SHARED)
            and headline_places_meet(a.signal_groups, b.signal_groups)
            and bwj >= FACTS_BODY_WORDS
            and max(_coverage(a, b), _coverage(b, a)) >= FACTS_COVERAGE)


def _figures_shared(a: Fingerprint, b: Fingerprint, least: int, aside: frozenset[int] = YEAR_HASHES) -> bool:
    """The items state `least` or more same figures (those in `aside` not counted), and most of those either states
    (LEAD_FIGURES_SHARE of the item stating fewer)."""
    shared = len((a.nums & b.nums) - aside)
    return shared >= least and shared >= LEAD_FIGURES_SHARE * min(len(a.nums - aside), len(b.nums - aside))


_YEARS_AND_DIGITS = YEAR_HASHES | DIGIT_HASHES


def _figures_agree(a: Fingerprint, b: Fingerprint) -> bool:
    """The items state COPY_FIGURES or more same figures of two digits or more (years aside), most of those either
    states: one statement's copy (a market close, a statistics release), whatever its headline says in words the copy
    writes in other forms («تفقد 107 نقاط» over «منخفضا 107.61 نقطة»). A template's two subjects state none or few,
    a recurring report's next issue other ones."""
    return _figures_shared(a, b, COPY_FIGURES, _YEARS_AND_DIGITS)


def _figures_apart(a: Fingerprint, b: Fingerprint) -> bool:
    """Both items state figures of two digits or more (years aside; a one-digit count is an ordinal's as often, «الحكم
    الرابع»), none in common: under alike headlines over bodies written apart, two events of one stock headline
    («ضبط مخالفين لنظام الإقامة والعمل» over 146 held in one town and 89 in another). Two outlets' write-ups of one
    event state its count, its amount, its toll alike; a date each writes in its own calendar is the cost."""
    stated_a, stated_b = a.nums - _YEARS_AND_DIGITS, b.nums - _YEARS_AND_DIGITS
    return bool(stated_a and stated_b and stated_a.isdisjoint(stated_b))


def _lead_figures(a: Fingerprint, b: Fingerprint, bwj: float) -> bool:
    """Two write-ups of one event in their own words, under headlines that may share few words («الزوراء يتغلب على
    القوة الجوية 2-1» and «هدف قاتل يمنح الزوراء الفوز»), stating the same figures: LEAD_FIGURES or more, most of
    those either states (years aside: a dateline's date is no fact of the story), with some shared vocabulary and
    half of one headline's words in the other item. (Figures in conflict, a template's two subjects and a follow-up
    were ruled out before: a recurring report states other figures, a template's copies the same few.)"""
    return (_figures_shared(a, b, LEAD_FIGURES)
            and bwj >= FACTS_BODY_WORDS
            and max(_coverage(a, b), _coverage(b, a)) >= LEAD_FIGURES_COVERAGE)


def _place_rewrite(a: Fingerprint, b: Fingerprint, bwj: float) -> bool:
    """Two write-ups of one event at one place, with no figure in common to go by («حريق يلتهم سوق الخضار في
    صفاقس» and «حريق ضخم في سوق الخضار بصفاقس»): the headlines name one place, the bodies share more vocabulary
    than `_lead_facts` asks, and one headline's words mostly appear in the other item. Not for recurring reports
    (a forecast for the same regions on another day says the same in other words), and after the vetoes of
    `compare` (figures in conflict, another phase, direction, period or subject)."""
    sa, sb = a.signal_groups, b.signal_groups
    return (same_headline_place(sa, sb) and not (recurring_report(sa) or recurring_report(sb))
            and not (stock_report(sa) and stock_report(sb))  # (two service notices of one city: two days')
            and bwj >= PLACE_BODY_WORDS
            and max(_coverage(a, b), _coverage(b, a)) >= PLACE_COVERAGE)


def _rewritten_copy(a: Fingerprint, b: Fingerprint, bwj: float) -> bool:
    """One wire copy rewritten sentence by sentence by a paper, under its own headline («الصحة العالمية تعلن جدري
    القردة حالة طوارئ» / «"إمبوكس".. منظمة الصحة ترفع مستوى التأهب»): little phrasing survives, but the lead's
    vocabulary does (its names, places, institutions: REWRITTEN_BODY_WORDS of one), and its facts: two same figures
    of two digits or more, which other stories state together by chance far less often than a count of one digit
    or a year. Half of one headline's words appear in the other item, and neither denies what the other states
    (`_written_up` asks that of every write-up rule).
    (After the vetoes of `compare`: figures in conflict, a template's two subjects, a follow-up, another phase,
    direction, outcome, period or subject.)"""
    return (bwj >= REWRITTEN_BODY_WORDS
            and len((a.nums & b.nums) - YEAR_HASHES - DIGIT_HASHES) >= REWRITTEN_FIGURES
            and max(_coverage(a, b), _coverage(b, a)) >= REWRITTEN_COVERAGE)


def _one_toll(a: Fingerprint, b: Fingerprint, bwj: float) -> bool:
    """Two write-ups of one accident or attack headlined by its toll in their own words («وفاة 4 وإصابة 3 في تصادم
    على طريق حائل - القصيم» / «مصرع أربعة وإصابة ثلاثة في حادث مروع بطريق حائل القصيم»): both headlines count the
    dead and state the same figures, two or more (the dead and the hurt), whatever their other words; the bodies share
    some vocabulary (FIGURES_BODY_WORDS) and half of one headline's words appear in the other item. Small tolls
    recur: a week's news holds many crashes of four dead and three hurt (the figures are read as a set, so also three
    dead and four hurt), on other roads. So the items must name one place, and each every place its headline names:
    one road's crash is told by its two towns («بين حائل والقصيم» / «بطريق حائل القصيم»), and «بين الطائف والرياض» is
    another road than «بين الطائف والباحة». Another day told in the copy still tells them apart (`compare`), and
    a template's two subjects were ruled out before."""
    sa, sb = a.signal_groups, b.signal_groups
    return (len(a.tnums) >= 2 and a.tnums == b.tnums and bwj >= FIGURES_BODY_WORDS
            and counts_dead(sa) and counts_dead(sb)
            and max(_coverage(a, b), _coverage(b, a)) >= LEAD_FIGURES_COVERAGE
            and places_meet(sa, sb) and not unmentioned_place(sa, sb))


def _shared_figures(a: Fingerprint, b: Fingerprint, bwj: float) -> bool:
    """Two write-ups stating the same headline figure and another same figure, one of them of two digits or more
    (three dead and three floors, «مصرع 3…» / «…3 طوابق مخالفة», are two counts of one-digit figures any two reports
    of a place share), on overlapping headlines. Not a year: «موازنة 2025» dates a headline (a budget drafted, then
    voted months later), it states no fact of the story. Nor when each headline names what the other item never
    mentions: one score in two matches («…يتغلب على بوخوم 3-1» / «…ماينز يتغلب على هوفنهايم 3-1»), one sum at a
    trial's adjournment and at its verdict; unless the headlines share two figures of two digits or more, the story's
    own facts («27 شهيدا و227 مصابا في تفجير…» / «مقتل 27 وإصابة 227 في تفجير…», each naming a place the other never
    mentions)."""
    return bool((a.tnums & b.tnums) - YEAR_HASHES and len((a.nums & b.nums) - YEAR_HASHES) >= FIGURES_SHARED
                and (a.nums & b.nums) - _YEARS_AND_DIGITS and _containment(a.twords, b.twords) >= FIGURES_TITLE_WORDS
                and bwj >= FIGURES_BODY_WORDS
                and (len((a.tnums & b.tnums) - _YEARS_AND_DIGITS) >= FIGURES_SHARED
                     or not (_exclusive(a, b) and _exclusive(b, a))))  # (last: the set scans for the few that get here)


def _by_figures(a: Fingerprint, b: Fingerprint, bwj: float, rules: frozenset[str]) -> str:
    """The rule merging two write-ups by the figures they state (`_shared_figures`, `_one_toll`), "" if none. (Not
    for a template's two subjects, which the caller rules out.)"""
    if _shared_figures(a, b, bwj):
        return "shared figures"
    return "one toll" if "one-toll" in rules and _one_toll(a, b, bwj) else ""


_WRITE_UPS = (("lead-facts", _lead_facts), ("place-rewrite", _place_rewrite), ("lead-figures", _lead_figures),
              ("rewritten-copy", _rewritten_copy))


# The write-up rules that go by shared vocabulary, places and coverage rather than by the figures of the lead. Two
# events of one kind share the vocabulary of their kind: a headline city the other item never names
# (`signals.city_unmentioned`: a crash on another road, shells on another town, a closure in another city), a
# headline country the other never names while that item names another (`signals.countries_named_apart`, which
# tells one copy's two subjects apart: what tells shared copy apart tells write-ups apart too; «…يصل إلى القاهرة…» /
# «…يغادر القاهرة متوجهاً إلى الجمهورية التركية»), or two recurring reports' headlines (each day's forecast names
# the same regions, winds and heat), make them two items.
# Two write-ups stating the lead's same figures (`_lead_figures`: a market close, a toll) may each name a place of
# their own (a region, its town) or be one day's report. (place-rewrite leaves any recurring report alone itself.)
_BY_VOCABULARY = frozenset({"lead-facts", "place-rewrite", "rewritten-copy"})


def _written_up(a: Fingerprint, b: Fingerprint, bwj: float, rules: frozenset[str]) -> str:
    """The first rule finding two write-ups of one story in their own words, in order, "" if none. None finds a
    headline denying what the other states («الهيئة تنفي افتتاح محطة صحار…» over the opening's facts and place): an
    item's denial is another item however much of the story it retells. Nor do the rules of `_BY_VOCABULARY` find
    items one of whose headlines names a city the other never names (or a country, the other naming another), or two
    recurring reports."""
    if a.negation != b.negation:
        return ""
    apart: bool | None = None  # (read once, for the first rule that needs it)
    for name, rule in _WRITE_UPS:
        if name not in rules or not rule(a, b, bwj):
            continue
        if name in _BY_VOCABULARY:
            if apart is None:
                sa, sb = a.signal_groups, b.signal_groups
                apart = (("subject" in rules and (city_unmentioned(sa, sb) or countries_named_apart(sa, sb)))
                         or ("period" in rules and recurring_report(sa) and recurring_report(sb)))
            if apart:
                continue
        return name
    return ""


# The rules of workers/core/signals.py, the identical-headline, edited-copy and write-up merges, by name: `compare`
# applies them all; bench/dedupe_quality.py leaves each out in turn to show what it changes on every class.
RULES = frozenset({"phase", "direction", "outcome", "period", "series", "subject", "denial", "roles", "figures",
                   "same-headline", "edited-copy", "lead-facts", "lead-figures", "place-rewrite", "rewritten-copy",
                   "word-swap", "one-toll"})
_TITLE_RULE = {"phase": "phase", "direction": "direction", "outcome": "outcome", "month": "period", "hijri": "period",
               "weekday": "period", "when": "period", "part": "series", "state": "phase",
               "court": "outcome"}


_EDITED = (("t", "edit"), ("t", "lead"), ("t", "outcome"))  # what a headline's hand edit swaps (see `_told_apart`)


def _told_apart(a: Fingerprint, b: Fingerprint, bj: float, rules: frozenset[str] = RULES) -> str:
    """A listed signal separates two items however alike their words: the headlines name another event phase (opens /
    continues / closes) or another side of a state (a curfew imposed / lifted, a line stopped / restored, read as a
    phase), another direction (rises / falls), another outcome (approved / rejected, sentenced / acquitted, a court's
    sentence / the appeal's ruling, people rescued / dead), another month or day, or each a place the other never
    mentions, or one a place in a series (a second explosion) that the other never names; or bodies of one copy name no
    place in common (one template, two subjects), or one headline a country the other item never names while that item
    names another (`countries_named_apart`: one cable to two heads of state), or another month, day or date (a recurring
    report). Bodies written apart name places and days freely («في جدة» and «في مكة» of one pilgrimage, «منذ الخميس»),
    so there only the headline's signals count, and the countries: under headlines naming no place, bodies naming places
    of no country in common tell two events apart, as under alike headlines (a stock headline, «حملة أمنية تسفر عن ضبط
    مخالفين») bodies naming cities of no one in common; and the dates: leads each dating their news to a day of a month
    («صباح الجمعة 22 مارس», «الخميس 25 يوليو»), none in common, report two events (a price rise in March and the next in
    July), as do leads dating their reports to other weekdays («اليوم الثلاثاء» / «اليوم الجمعة»: two days' finds of one
    stock headline). Headlines alike but for a word swapped for its opposite (signals.OPPOSITES) or a point of the
    compass are a hand edit. Headlines naming a match drawn and a match decided are two results, however reworded
    (signals.outcomes_differ); headlines alike but for one word each, that word a place of another country («…إلى
    ألمانيا» / «…إلى اليابان»), two subjects of one template, whatever the bodies mention. Returns the rule that tells
    them apart, "" if none."""
    if a.signals == b.signals and a.non_mark == b.non_mark:  # the same listed words (or none): nothing tells apart
        return ""
    sa, sb = a.signal_groups, b.signal_groups
    shared_copy = bj >= BODY_JACCARD
    written_apart = a.has_body and b.has_body and not shared_copy
    for kind in TITLE_KINDS:
        # Over one copy, a direction or an outcome tells apart headlines about one thing: «المركزي يرفع الفائدة» and
        # «الجنيه يهوي» over one statement are a cause and its effect, «العبادي يلغي مناصب…» and «مجلس الوزراء يقر حزمة
        # إصلاحات العبادي» a decision and what it decides, sharing too few words to be one thing moved two ways.
        if kind in ("direction", "outcome") and shared_copy and _jaccard(a.twords, b.twords) < DIRECTION_TITLE_WORDS:
            continue
        if _TITLE_RULE[kind] in rules and (periods_told_apart(sa, sb, kind) if kind in PERIOD_KINDS
                                           else conflict(sa, sb, "t", kind)):
            return _TITLE_RULE[kind]
    # Headlines alike but for a word swapped for its opposite: a hand edit (signals.EDITS), or the direction a
    # headline leads with flipped while another it names stays («النفط يرتفع 3% بعد تمديد خفض الإنتاج» / «…ينخفض…»;
    # the same directions in another order are a cause and its effect retitled: «خفض الإنتاج يرفع أسعار النفط»).
    if ((any(sa.get(kind) or sb.get(kind) for kind in _EDITED) or a.non_mark is not None or b.non_mark is not None)
            and _jaccard(a.twords, b.twords) >= EDIT_TITLE_WORDS):
        if ("direction" in rules and conflict(sa, sb, "t", "lead")
                and sa.get(("t", "direction")) != sb.get(("t", "direction"))):
            return "direction"
        opposite = opposition(sa, sb, rules)
        if opposite:
            return opposite
        if "denial" in rules and (_non(a, b) or _non(b, a)):
            return "denial"
        if "subject" in rules and deputy_added(sa, sb):  # another person: «وزير الصحة» / «وكيل وزارة الصحة»
            return "subject"
    # (a match won and drawn, people rescued and dead, however reworded: signals.py)
    if "outcome" in rules and outcomes_differ(sa, sb):
        return "outcome"
    if "subject" in rules and ((_one_word_each(a, b) and countries_apart(sa, sb))
                               or other_subject(sa, sb, written_apart)
                               or (shared_copy and (other_places(sa, sb) or countries_named_apart(sa, sb)))
                               # (a match report names a club's foreign players by their country, «المغربي…»:
                               # items stating four same figures, `_figures_agree`, are one event's, wherever)
                               or (written_apart and other_countries(sa, sb) and not _figures_agree(a, b))
                               or (written_apart and _stock_headline(a, b))
                               or (conflict(sa, sb, "t", "compass")
                                   and _jaccard(a.twords, b.twords) >= TEMPLATE_TITLE_WORDS)):
        return "subject"
    # One copy dates its news alike: bodies sharing the least phrasing shared copy merges on (COPY_BODY_JACCARD, an
    # agency's template edited for another day: «المتحدث العسكري: مقتل 5…» on a Tuesday, «…مقتل 3…» on a Saturday)
    # and naming another month, weekday or date are two days' items; bodies written apart, only by a day of a month
    # or by the day each lead dates its report to («أفاد مصدر… اليوم الثلاثاء» / «…اليوم الجمعة»: signals._today).
    one_copy = bj >= COPY_BODY_JACCARD
    if "period" in rules and (any(conflict(sa, sb, "b", kind) for kind in PERIOD_KINDS) if one_copy
                              else written_apart and (conflict(sa, sb, "b", "date") or conflict(sa, sb, "b", "today"))):
        return "period"
    if "series" in rules and (new_in_series(sa, sb, b.nums) or new_in_series(sb, sa, a.nums)):
        return "series"
    return ""


def _stock_headline(a: Fingerprint, b: Fingerprint) -> bool:
    """Alike headlines (TEMPLATE_TITLE_WORDS) over bodies written apart naming cities none in common
    (signals.other_cities): a city each under one headline word for word, or when a headline names a place the
    other item never mentions; two on one side under headlines only alike."""
    if _jaccard(a.twords, b.twords) < TEMPLATE_TITLE_WORDS:
        return False
    sa, sb = a.signal_groups, b.signal_groups
    return other_cities(sa, sb, 1 if a.twords == b.twords or unmentioned_place(sa, sb) else 2)


def _non(a: Fingerprint, b: Fingerprint) -> bool:
    """A's headline puts «غير» before a word B's headline states plainly («الإيرادات غير النفطية» / «الإيرادات
    النفطية»): non-X is X's opposite. (A word «غير» comes before in both, «هجرة غير شرعية», is no edit.)"""
    mark = a.non_mark
    return mark is not None and mark != b.non_mark and any(mark_of(w) == mark for w in b.twords)


def headlines_told_apart(a: Fingerprint, b: Fingerprint) -> bool:
    """What tells two headlines apart however alike their meaning: one denies what the other states, their figures
    disagree, one names a match's winner as the other's loser, or a listed signal separates them (another phase,
    direction, outcome, month or day, subject, a place in a series, or a word swapped for its opposite). The
    semantic stage (workers/core/semantic.py) links no such pair: an embedding scores «الدولار يقفز…» and «الدولار
    يهبط…» as alike as two write-ups of one story."""
    bj = body_similarity(a, b)
    return (a.negation != b.negation or _numbers_conflict(a, b, bj) or _sides_swapped(a, b)
            or bool(_told_apart(a, b, bj)))


def _stock(a: Fingerprint, b: Fingerprint, bj: float) -> bool:
    """Both headlines are ones a report comes back under every time (signals.stock_report), over bodies written
    apart."""
    return bj < BODY_JACCARD and stock_report(a.signal_groups) and stock_report(b.signal_groups)


def _same_headline(a: Fingerprint, b: Fingerprint) -> bool:
    """One headline, spelled alike once folded (an outlet's name after it set aside: see fingerprint.py), that both
    bodies tell (most of its words appear in them)."""
    if min(a.nwords, b.nwords) < SAME_HEADLINE_MIN_WORDS or len(a.twords) < 3 or a.twords != b.twords:
        return False
    return len(a.twords & (a.bwords | b.bwords)) >= SAME_HEADLINE_TOLD * len(a.twords)


def compare(a: Fingerprint, b: Fingerprint, rules: frozenset[str] = RULES) -> Decision:
    """Decide whether two fingerprints are the same news item; the score is the evidence behind it.
    (`rules` leaves named rules out, for measuring them; the pipeline always applies all.)"""
    decision = _compare_words(a, b, rules)
    # The listed signals only ever veto a merge, so they are read for the few candidates that would merge; one
    # template's swapped subject is read last, so a pair they tell apart keeps their name (`_subject_swapped`).
    if decision.duplicate:
        bj = body_similarity(a, b)
        told = (_told_apart(a, b, bj, rules) or _contradicted(a, b, bj, rules)
                or ("subject" if "subject" in rules and _subject_swapped(a, b, bj) else ""))
        if told:
            return Decision(False, max(_jaccard(a.tgrams, b.tgrams), bj), f"told apart: {told}")
    return decision


def _subject_swapped(a: Fingerprint, b: Fingerprint, bj: float) -> bool:
    """Over some shared copy, headlines alike but for one content word each, one of which is its own item's subject (its
    body repeats it) that the other item never mentions: one template's next subject, whose copy may name the last
    one (a club's second signing, «…مع مواطنه أغيلار», a coach's successor, «خلفا لمواطنه…»), so only one of the two
    is unmentioned and the template reading of `_compare_words`, asking it both ways, misses them. A listed place
    counts so however its headline writes it («…في سوق شعبي بديالى», whose body writes «ديالى»:
    `signals.unmentioned_place` reads past the clitic). Not a word the lists know as a phase, direction, outcome,
    period or installment (`signals.headline_groups_alike`), nor a denial: those are the signals' to read (`compare`
    asks this after them). A retitle of one copy names what both copies state; a name spelled two ways («سروج» /
    «سوروج») is the cost."""
    sa, sb = a.signal_groups, b.signal_groups
    return (bj >= COPY_BODY_JACCARD and len(a.twords) >= 2 and _one_word_each(a, b)
            and a.negation == b.negation and a.hedge == b.hedge and headline_groups_alike(sa, sb)
            and (_exclusive(a, b) or _exclusive(b, a) or unmentioned_place(sa, sb)))


def _contradicted(a: Fingerprint, b: Fingerprint, bj: float, rules: frozenset[str] = RULES) -> str:
    """One copy under headlines each stating a figure the other item never mentions («مصرع 3…» / «مصرع 8…», the toll
    edited; a retitle picks figures its copy states, so even near-identical copy counts); one headline denying what
    the other states («…تؤكد صرف الزيادة» / «…تنفي صرف الزيادة»); or the same copy, edited, naming the same parties
    in other roles («القادسية يفوز على الكويت» / «الكويت يفوز على القادسية»): another story however much text the two
    share. A denial or a reordering over one copy again is a retitle: a re-headlined wire copy may put a denial in
    its own words («لا تأجيل…» over «…في موعده») or lead with another party; but a denial under a headline kept
    otherwise (EDIT_TITLE_WORDS: «لا تعديل على سعر الخبز» / «تعديل قريب على سعر الخبز») is the copy's own edit, as
    is another figure of the same first digits («1300» / «1320») under headlines of the same words, each figure
    stated exactly nowhere in the other item. Independent write-ups reorder a headline's words freely («ماكرون يلتقي
    ترامب»), so the roles are read only over shared copy. With no body to compare, a headline kept word for word but
    one content word is a hand edit (`_word_swapped`). Returns the rule that tells them apart, "" if none."""
    if ("figures" in rules and ((bj >= BODY_JACCARD and _figures_edited(a, b)) or _tolls_differ(a, b))
            and not _toll_update(a, b, bj)):
        return "figures"
    # (a headline hedging what the other states, «قد يرفع» / «يرفع», states less: read as a denial is, and so does a
    # headline putting off what the other states happening, `_put_off`. Not in the semantic guard: a paraphrase puts a
    # condition in its own words, «إذا انهار» / «في حالة انهيار»)
    if ("denial" in rules and (a.negation != b.negation or a.hedge != b.hedge or _put_off(a) != _put_off(b))
            and _containment(a.twords, b.twords) >= DENIAL_TITLE_WORDS
            and (bj < SAME_COPY_JACCARD or _jaccard(a.twords, b.twords) >= EDIT_TITLE_WORDS)):
        return "denial"
    if bj >= SAME_COPY_JACCARD:
        return ""
    if ("roles" in rules and bj >= BODY_JACCARD and min(a.nwords, b.nwords) >= TITLE_MIN_WORDS
            and _reordered(a, b) and not _word_order_kept(a.tbigrams, b.tbigrams)):
        return "roles"
    if "roles" in rules and _sides_swapped(a, b):
        return "roles"
    if "word-swap" in rules and not (a.has_body and b.has_body) and _word_swapped(a, b):
        return "one word swapped, no body to compare"
    return ""


def _figures_edited(a: Fingerprint, b: Fingerprint) -> bool:
    """Each headline states a figure the other item never mentions, or headlines of the same words each a figure
    stated exactly nowhere in the other item (read over one copy: its figures edited)."""
    return bool((a.tapprox - b.approx and b.tapprox - a.approx)
                or (a.twords == b.twords and a.tnums - b.nums and b.tnums - a.nums))


def _tolls_differ(a: Fingerprint, b: Fingerprint) -> bool:
    """Both headlines count the dead, in as many figures, each one the other headline does not state («وفاة 4 وإصابة
    3…» / «وفاة 3 وإصابة 5…», «وفاة 4 من أسرة واحدة…» / «وفاة 5 من أسرة واحدة…»): two accidents of one road, however
    their copies' figures meet (the hurt of one are the dead of the other), unless one is the other's update
    (`_toll_update`, read by the caller). A headline totalling what the other counts apart («مقتل وإصابة 12» / «مقتل
    ثلاثة وإصابة تسعة») states fewer figures, and is not read."""
    return (len(a.tapprox) == len(b.tapprox) and bool(a.tapprox - b.tapprox) and bool(b.tapprox - a.tapprox)
            and counts_dead(a.signal_groups) and counts_dead(b.signal_groups))


def _put_off(a: Fingerprint) -> bool:
    """The headline puts off what it names, not denying that («تأجيل زيارة وزير الخارجية المصري إلى بورتسودان»,
    «…ويؤجل حسم اللقب»): against a headline of the same words stating it happening («…يصل بورتسودان في زيارة…»), the
    visit's postponement is another item, as a denial is («لا تأجيل…» denies a postponement: it is not one)."""
    return not a.negation and postponed(a.signal_groups)


def _sides_swapped(a: Fingerprint, b: Fingerprint) -> bool:
    """One headline names as a match's winner the team the other names as its loser («بيراميدز يتغلب على المصري» /
    «المصري يفوز على بيراميدز»): two matches, or one report edited to swap them, in whatever words (signals.sides)."""
    sa, sb = a.sides, b.sides
    if sa is None or sb is None:
        return False
    for (won, lost), (other_won, other_lost) in ((sa, sb), (sb, sa)):
        # A team's word on opposite sides, one of them the word beside the verb: a side's second word may be no
        # name («…على النصر بهدفين» / «…أمام الهلال بهدفين»), and a word on both sides of one headline names no
        # team («منتخب مصر يفوز على منتخب تونس»).
        shared = (set(won) - set(lost)) & (set(other_lost) - set(other_won))
        if shared & {won[0], other_lost[0]}:
            return True
    return False


def _one_word_each(a: Fingerprint, b: Fingerprint) -> bool:
    """The headlines' content words are alike but for one each has in the other's stead."""
    return len(a.twords - b.twords) == 1 == len(b.twords - a.twords)


def _word_swapped(a: Fingerprint, b: Fingerprint) -> bool:
    """Headlines of as many words, alike but for one content word each has in the other's stead («زين الكويت تفوز
    بعقد…» / «أوريدو الكويت تفوز بعقد…», «…يعثر على الطفلة المفقودة حية» / «…متوفاة»): with no body to compare, a
    headline kept word for word but one is a hand edit of what it states (another party, outcome or fate), as a
    template's next item is, more often than two outlets' headlines of one item, which drop, add or reword more
    than one word. Two outlets swapping a single word for its synonym («تعلن» / «تكشف») are told apart too: the
    cost of this reading. As many words is as many word pairs of the headline compared (an outlet's name after it
    set aside: see fingerprint.py); a set at its cap cannot tell, and is not read."""
    return (len(a.tbigrams) == len(b.tbigrams) < CAPS["tbigrams"] and len(a.twords) < CAPS["twords"]
            and len(b.twords) < CAPS["twords"] and _one_word_each(a, b))


def _reordered(a: Fingerprint, b: Fingerprint) -> bool:
    """One headline is the other's words in another order: the same content words and as many distinct character
    3-grams give or take REORDER_GRAMS (a word moved changes the grams across its spaces: «العين يقلب الطاولة على
    شباب الأهلي» / «شباب الأهلي يقلب الطاولة على العين», 54 and 53), so no word changed its form either, and as many
    words. Outlets retitling one copy change forms («حملة قومية» / «الحملة القومية»: the same content words, word pairs
    of other tokens, an article's grams more) or let a preposition cling («في الرياض» / «بالرياض»: a word fewer); a
    headline too long for its capped gram sample cannot be told, and is not."""
    return (len(a.twords) >= 2 and a.twords == b.twords and a.nwords == b.nwords
            and abs(len(a.tgrams) - len(b.tgrams)) <= REORDER_GRAMS
            and max(len(a.tgrams), len(b.tgrams)) < CAPS["tgrams"])


def _titles_alike(a: Fingerprint, b: Fingerprint) -> bool:
    """One headline told again: long enough to name an event, neither denying, the figures of one found in the
    other, nearly all of the shorter's character grams in the longer, and its word pairs in order."""
    return (
        min(a.nwords, b.nwords) >= TITLE_MIN_WORDS
        and a.negation == b.negation
        and _figures_contained(a.tnums, b.tnums)
        and _word_order_kept(a.tbigrams, b.tbigrams)  # (before the grams: fewer pairs than grams, most differ)
        # (or the same content words: a name transliterated otherwise, «جوجل» / «غوغل», changes a headline's
        # character grams, not its words' skeletons)
        and (_containment(a.tgrams, b.tgrams) >= TITLE_CONTAINMENT or (len(a.twords) >= TITLE_MIN_WORDS
                                                                        and a.twords == b.twords))
    )


def may_merge(a: Fingerprint, b: Fingerprint) -> bool:
    """False only where `compare` finds no duplicate whatever else it reads: every merge asks for alike headlines,
    some shared phrasing or some shared vocabulary (the floors of `_compare_words`). Cheaper than `compare`, which
    also scores the pair: a hot key's candidates are nearly all other items, and `best_match` passes them by here."""
    if a.has_body and b.has_body and (body_similarity(a, b) >= _PHRASING_FLOOR
                                      or _jaccard(a.bwords, b.bwords) >= _VOCABULARY_FLOOR):
        return True
    return _titles_alike(a, b)


def _compare_words(a: Fingerprint, b: Fingerprint, rules: frozenset[str]) -> Decision:
    """`compare` before the listed signals: what the words, figures, copy and times say."""
    tj = _jaccard(a.tgrams, b.tgrams)
    bj = body_similarity(a, b)
    score = max(tj, bj)
    gap = abs(a.at - b.at)
    same_source_later = bool(a.source) and a.source == b.source and gap >= SAME_SOURCE_GAP_MINUTES
    titles_alike = _titles_alike(a, b)
    title_match = titles_alike and not same_source_later
    if not (a.has_body and b.has_body):
        if title_match:
            return Decision(True, max(score, _containment(a.tgrams, b.tgrams)), "alike headlines, no body to compare")
        return Decision(False, score, "headlines differ, no body to compare")
    bwj = _jaccard(a.bwords, b.bwords)
    # Every merge below needs alike headlines, some shared phrasing or some shared vocabulary: most candidates of a
    # hot key have none, and are answered here before the costlier checks (`may_merge` asks the same, unscored).
    if not title_match and bj < _PHRASING_FLOOR and bwj < _VOCABULARY_FLOOR:
        return Decision(False, score, "no shared phrasing or vocabulary")
    if _numbers_conflict(a, b, bj) or (title_match and bj < BODY_JACCARD and _figures_apart(a, b)):
        return Decision(False, score, "figures conflict")
    # One outlet's own text on another day is its daily report (weather, prayer times, a market wrap), unless
    # it is the same article again: the same headline over the same copy.
    if same_source_later and not (titles_alike and bj >= SAME_SOURCE_REPOST_JACCARD):
        return Decision(False, score, "one source's text on another day")
    # A recurring report's headline comes back alike every time (a forecast, a service notice): alike headlines over
    # bodies written apart are no evidence of one item then (`_stock`, read only where alike headlines would merge).
    if title_match and _stock(a, b, bj):
        title_match = False
    # Two outlets' identical headline over bodies written apart is one story, unless a listed signal (`compare`)
    # or the checks above tell them apart.
    if title_match and "same-headline" in rules and _same_headline(a, b):
        return Decision(True, score, "same-headline")
    # Two items of one template (telegrams to two presidents, two agencies' opening hours) share copy and most of
    # a headline, and differ in its subject: each headline names something its own body repeats and the other
    # item never mentions. Shared wording is then no evidence of one story; shared figures still are (below).
    # (Only for alike headlines: a re-headlined copy whose body starts later also has words the other lacks.)
    # Or alike headlines each naming a listed place the other item never mentions (one circular for two regions,
    # «…بالباحة تعمم…» / «…بحائل تعمم…»), whose own body may write the place otherwise than its headline does.
    # Or headlines sharing only a template's head, each naming its subject at length (`_named_apart`).
    template = ((_jaccard(a.twords, b.twords) >= TEMPLATE_TITLE_WORDS
                 and ((_exclusive(a, b) and _exclusive(b, a))
                      or ("subject" in rules and other_subject(a.signal_groups, b.signal_groups))))
                or ("subject" in rules and _named_apart(a, b)))
    # A follow-up repeats yesterday's copy under a headline about what is new: the later headline names
    # something its body states and the earlier item never mentions («…يكشف سبب الحريق» the next day).
    later, earlier = (a, b) if a.at >= b.at else (b, a)
    follow_up = earlier.at > 0 and later.at - earlier.at >= FOLLOW_UP_MINUTES and _exclusive(later, earlier)
    if not (template or follow_up):
        # Shared wire copy: phrasing shared (MinHash), or a little less of it when nearly all body words are
        # shared, since a 64-slot estimate near the threshold is noisy, or nearly half of them with a headline
        # figure in common (a copy edited sentence by sentence); either way the headlines must appear in the copies.
        shared_copy = bj >= BODY_JACCARD or (bj >= COPY_BODY_JACCARD and (
            bwj >= COPY_WORDS or (bwj >= COPY_FIGURE_WORDS and bool((a.tnums & b.tnums) - YEAR_HASHES))))
        coverage = max(_coverage(a, b), _coverage(b, a)) if shared_copy else 0.0
        if shared_copy and (coverage >= BODY_COVERAGE or (coverage >= COPY_FIGURES_COVERAGE and bj >= BODY_JACCARD
                                                          and _figures_agree(a, b))):
            return Decision(True, score, "shared copy")
        if "edited-copy" in rules and _edited_copy(a, b, bj, bwj):
            return Decision(True, score, "edited-copy")
        # (headlines as long as an identical one must be to name one event: «في ذمة الله» or «الأخضر يواصل تحضيراته»
        # head two obituaries, two training camps, over bodies of one vocabulary)
        if (_containment(a.twords, b.twords) >= EVENT_WORDS and tj >= EVENT_TITLE_JACCARD
                and bwj >= EVENT_BODY_WORDS_JACCARD and min(a.nwords, b.nwords) >= SAME_HEADLINE_MIN_WORDS
                and not _stock(a, b, bj)):
            return Decision(True, score, "one event's headline words")
        written_up = _written_up(a, b, bwj, rules)
        if written_up:
            return Decision(True, score, written_up)
    # Write-ups stating the same figures: a headline figure and another (`_shared_figures`), or one toll.
    figures = "" if template else _by_figures(a, b, bwj, rules)
    if figures:
        return Decision(True, score, figures)
    # Alike headlines over bodies that talk about the same things; not a template's two subjects, which have
    # alike headlines by construction (one warning for two governorates the place lists do not name).
    if (title_match and not template and min(a.nwords, b.nwords) >= TITLE_BODY_MIN_WORDS
            and bwj >= TITLE_BODY_MIN_WORDS_JACCARD):
        return Decision(True, score, "alike headlines over one topic")
    return Decision(False, score, "template: two subjects" if template else
                    "follow-up: something new the next day" if follow_up else "no merge rule met")


def decide(a: Fingerprint, b: Fingerprint, rules: frozenset[str] = RULES) -> Decision:
    """The pipeline's decision: candidates must share an index key (as in the index) and pass `compare`."""
    if not set(a.keys) & set(b.keys):
        return Decision(False, compare(a, b, rules).score, "no shared index key")
    return compare(a, b, rules)


def pair_decision(a: dict[str, Any], b: dict[str, Any]) -> Decision:
    """`akhbar dedupe-pairs`: decide two {"title", "body"} items exactly as the pipeline would, with its rule."""
    fa = fingerprint_text(a.get("title") or "", a.get("body") or "")
    fb = fingerprint_text(b.get("title") or "", b.get("body") or "")
    decision = decide(fa, fb)
    return Decision(decision.duplicate, round(decision.score, 4), decision.rule)


def decide_pair(a: dict[str, Any], b: dict[str, Any]) -> tuple[bool, float]:
    """`pair_decision` as (duplicate, score)."""
    decision = pair_decision(a, b)
    return decision.duplicate, decision.score


def best_match(fp: Fingerprint, candidates: Iterable[tuple[int, Fingerprint]],
               window_minutes: int) -> tuple[int, float] | None:
    """The candidate an item joins: a duplicate within the window, best score first, then earliest stored."""
    best: tuple[int, float] | None = None
    for seq, other in candidates:
        if abs(fp.at - other.at) > window_minutes or not may_merge(fp, other):
            continue
        decision = compare(fp, other)
        score = round(decision.score, 4)
        if decision.duplicate and (best is None or score > best[1] or (score == best[1] and seq < best[0])):
            best = (seq, score)
    return best
