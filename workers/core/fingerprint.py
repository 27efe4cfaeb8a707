"""Near-duplicate fingerprints of news items: small hashed feature sets and a MinHash, packed to bytes."""

from __future__ import annotations

import re
import struct
import sys
from array import array
from functools import lru_cache
from itertools import combinations, pairwise
from operator import itemgetter

import numpy as np
import xxhash

from workers.core.arabic import normalize_arabic, strip_kickers
from workers.core.signals import (
    CODES,
    FORMS,
    LATE_KINDS,
    SIDE_WORDS,
    SIGNAL_WORDS,
    Groups,
    grouped,
    keyed_places,
    part_codes,
    sides,
    signal_codes,
)
from workers.core.words import (
    CARDINAL_WORDS,
    CONTENT,
    HAS_DIGITS,
    MEMO_LIMIT,
    ORDINAL,
    ORDINAL_BY_HASH,
    ORDINAL_WORDS,
    ORDINALS,
    STOPWORDS,
    approximate,
    cardinals,
    fold_words,
    folded_prefix,
    grams,
    h16,
    hedged,
    negated,
    numbers,
    tolls,
    word_code,
)

__all__ = ["STOPWORDS", "YEAR_HASHES", "Fingerprint", "approximate", "fingerprint_text", "numbers", "pack", "unpack"]

BODY_CHARS = 800  # the start of the body: the lead carries the story, the tail carries boilerplate
# up to 3 first lines of ≤ 6 words (looked for within 80 characters: a byline is short) are not the story
LEAD_LINES, LEAD_LINE_WORDS, LEAD_LINE_CHARS, LEAD_REST_CHARS = 3, 6, 80, 100
MIN_BODY_SHINGLES = 12  # fewer word pairs than this and a "body" is a caption, not evidence
SIG_SLOTS = 64  # MinHash slots over body word pairs (16 bits kept per slot)
BODY_KEYS = 6  # the first slots double as LSH keys (one slot per band)
TITLE_SAMPLE = 3  # title words whose pairs are keys: 3 keys, and any 2 shared sampled words meet
FIGURE_KEYS = 2  # headline figures that key the item with each headline word
FIGURE_WORDS = 8  # (a consistent sample of) the headline words paired with each of those figures
PLACE_KEYS = 2  # headline places that key the item with each headline word (signals.py's listed places)
PLACE_WORDS = 4  # (a consistent sample of) the other headline words paired with each place
CAPS = {"tgrams": 128, "tbigrams": 32, "twords": 24, "tnums": 8, "nums": 24, "tapprox": 8, "approx": 24,
        "bwords": 80}
CANDIDATE_MEMO = 2048  # decoded candidate fingerprints kept (a few KB each)
VERSION = 4  # 3: word hashes of skeletons (words.skeleton); 4: of a verb in either gender (words.third_person), counts
# written as words among the figures, the steady direction and the arrest, no negation flag for a negation bounding
# a figure. Records of another version never match.
_HEADER = struct.Struct("<BBBBBBBBBBBBII")  # version, flags, nwords, 8 set sizes, sig slots, source, at
# flags: 1 a body signature, 2 a negated headline, 4 a headline giving a toll, 8 a headline naming a match's winner
# and loser (the last four values of the signal codes are their words' marks: see `sides`), 16 and 32 below. A record
# without the last four flags, written before them, reads as giving none: no version change.
_SIDES = 8
_NOT = 16  # a headline naming «غير» before a word: the last value of the signal codes is its mark (`non_mark`)
_HEDGED = 32  # a headline hedging what it states (`hedge`)
_MUL = np.uint64(0x9E3779B97F4A7C15)  # odd multiplier for multiply-shift hashing of packed codes
_RNG = np.random.default_rng(20240604)  # fixed seed: every process must draw the same permutations
_A = _RNG.integers(1, 2**63 - 1, SIG_SLOTS, dtype=np.uint64) << np.uint64(1) | np.uint64(1)
_BAND_SALT = _RNG.integers(1, 2**63 - 1, BODY_KEYS, dtype=np.uint64)
# A trailing « - name» / « | name» of a few words: perhaps an outlet's name, perhaps the headline's own second part.
_TRAILER = re.compile(r"\s[-|\u2013\u2014]\s*([^-|\u2013\u2014]+)$")
# A leading «name | » of as few words: an outlet's or a section's name («سكاي نيوز عربية | », «اقتصاد | »). Not before
# « - » or «:», which as often follow a place («أستراليا - ») or who spoke («الدخيل: »), as the rules need them.
_LEADER = re.compile(r"([^|]+?)\s*\|\s")
TRAILER_WORDS = 4  # (leaders too)
_MARKS = re.compile("[\u0640\u064b-\u065f\u0670]")  # tatweel and Arabic marks: folding drops them
_SPACES = re.compile(r"\s*")
_YEARS = frozenset(str(year) for year in (*range(1400, 1500), *range(1900, 2100)))  # Gregorian and Hijri years
YEAR_HASHES = frozenset(map(h16, _YEARS))  # the same as the record's figure hashes (`nums`)
DIGIT_HASHES = frozenset(h16(str(n)) for n in range(10))  # figures of one digit: too common to tell a story by
FIGURE_SET_MIN = 2  # an item stating this many figures of two digits or more (years aside) is keyed by them:
FIGURE_SET_SAMPLE = 4  # every pair among the FIGURE_SET_SAMPLE of them with the smallest hashes (a consistent sample)
_LITTLE = sys.byteorder == "little"
_TOP16 = np.uint64(48)  # the signature keeps each slot's top 16 bits, the best mixed of a product


class Fingerprint:
    """What the duplicate rules look at, kept as its packed record; the sets are decoded only when compared.

    Sets hold 16-bit hashes: tgrams (title character 3-grams), tbigrams (title word pairs, in order),
    twords (title content words), tnums / nums (figures of the title / title and body start), tapprox /
    approx (the same figures by their first two significant digits, a headline's decimal by three), bwords
    (body-start content words). The
    title's grams, pairs, words and signals are those of the headline without an outlet-like name after or
    before it, if any. Between the sets and the MinHash the record carries `signals` (workers/core/signals.py):
    one 16-bit code per listed phase, direction, outcome, period or place the headline or body start names, per
    date the body start names (a day before its month's name), and per installment number named beside the
    headline (signals.PARTS), then, for a headline naming a match's winner and loser (flag 8), four marks of their
    words (`sides`), and for one putting «غير» before a word (flag 16), that word's mark (`non_mark`); flag 32 is a
    headline hedging what it states (`hedge`: «قد», «جزئياً»; words.HEDGES). A reader of
    the layout before them (sets
    counted from the header, the signature read from the end) reads the same values from either layout, so no
    version change; a record without them names no signal.
    """

    __slots__ = ("_groups", "_head", "_marks", "_sets", "_signals", "keys", "record")

    def __init__(self, record: bytes, keys: tuple[int, ...] = ()) -> None:
        self.record = record
        self.keys = keys  # 64-bit LSH keys; not in the record (the index files the item under them)
        self._head: tuple[int, ...] = _HEADER.unpack_from(record)
        self._sets: tuple[frozenset[int], ...] | None = None
        self._signals: frozenset[int] | None = None
        self._marks: tuple[int, ...] = ()  # the values after the signal codes (flags 8 and 16), read with them
        self._groups: Groups | None = None

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Fingerprint) and (self.record, self.keys) == (other.record, other.keys)

    def __hash__(self) -> int:
        return hash((self.record, self.keys))

    def __repr__(self) -> str:
        return f"Fingerprint({len(self.record)} bytes, {len(self.keys)} keys)"

    def with_keys(self, keys: tuple[int, ...]) -> Fingerprint:
        """The same record under other keys (benchmarks fill an index this way)."""
        return Fingerprint(self.record, keys)

    def _set(self, index: int) -> frozenset[int]:
        if self._sets is None:
            counts = self._head[3:11]
            values = array("H", self.record[_HEADER.size:_HEADER.size + 2 * sum(counts)])
            if sys.byteorder == "big":
                values.byteswap()
            sets, offset = [], 0
            for count in counts:
                sets.append(frozenset(values[offset:offset + count]))
                offset += count
            self._sets = tuple(sets)
        return self._sets[index]

    tgrams = property(lambda self: self._set(0))
    tbigrams = property(lambda self: self._set(1))
    twords = property(lambda self: self._set(2))
    tnums = property(lambda self: self._set(3))
    nums = property(lambda self: self._set(4))
    tapprox = property(lambda self: self._set(5))
    approx = property(lambda self: self._set(6))
    bwords = property(lambda self: self._set(7))

    @property
    def sig(self) -> bytes:
        """SIG_SLOTS little-endian uint16 MinHash values, empty when there is no body."""
        nsig = self._head[11]
        return self.record[len(self.record) - 2 * nsig:] if nsig else b""

    def _signal_values(self) -> array[int]:
        start = _HEADER.size + 2 * sum(self._head[3:11])
        values = array("H", self.record[start:len(self.record) - 2 * self._head[11]])
        if sys.byteorder == "big":
            values.byteswap()
        return values

    def _decoded(self) -> tuple[frozenset[int], tuple[int, ...]]:
        """The signal codes and the marks after them, decoded once (a candidate is compared many times)."""
        if self._signals is None:
            values = self._signal_values()
            split = len(values) - (4 if self._head[1] & _SIDES else 0) - (1 if self._head[1] & _NOT else 0)
            self._signals, self._marks = frozenset(values[:split]), tuple(values[split:])
        return self._signals, self._marks

    @property
    def signals(self) -> frozenset[int]:
        """Codes of the listed phases, directions, periods and places named (workers/core/signals.py)."""
        return self._decoded()[0]

    @property
    def non_mark(self) -> int | None:
        """The mark of the word a headline puts «غير» before («الإيرادات غير النفطية»: non-oil), None if none."""
        return self._decoded()[1][-1] if self._head[1] & _NOT else None

    @property
    def sides(self) -> tuple[tuple[int, ...], tuple[int, ...]] | None:
        """Marks of the words naming the winner and the loser of a match the headline names (`signals.sides`: the
        word beside the verb first), None if it names none. Marks are compared with each other only."""
        if not self._head[1] & _SIDES:
            return None
        marks = self._decoded()[1]
        return tuple(m for m in marks[:2] if m != _ABSENT), tuple(m for m in marks[2:4] if m != _ABSENT)

    @property
    def signal_groups(self) -> Groups:
        """The signals as groups named per scope and list (see workers/core/signals.py)."""
        if self._groups is None:
            self._groups = grouped(self.signals)
        return self._groups

    has_body = property(lambda self: self._head[11] > 0)
    nwords = property(lambda self: self._head[2])  # title length in words
    negation = property(lambda self: bool(self._head[1] & 2))
    hedge = property(lambda self: bool(self._head[1] & _HEDGED))  # «قد يرفع», «جزئياً» (words.HEDGES)
    toll = property(lambda self: bool(self._head[1] & 4))  # the headline gives a toll (words.tolls)
    source = property(lambda self: self._head[12])  # 32-bit hash of the source name, 0 when unknown
    at = property(lambda self: self._head[13])  # minutes since the epoch, 0 when unknown


_A_COLUMN = np.ascontiguousarray(_A[:, None])


def minhash(hashes: np.ndarray) -> np.ndarray:
    """SIG_SLOTS 64-bit MinHash values of 64-bit hashes: one broadcast multiply over uint64, min per slot."""
    # x -> a*x mod 2**64 (a odd) is a bijection: one cheap pseudo-random permutation per slot.
    slots: np.ndarray = (_A_COLUMN * hashes).min(axis=1)  # slot-major: each min runs along contiguous memory
    return slots


# What a fingerprint reads of each folded word, memoised as four little-endian uint32 so that the words of an item
# become one array by a join: the low half of its code (words.word_code: content and the digits bit), its token
# hash (the high half), its body-word hash (content & 0xFFFF, or _NO_WORD for a function word or an ordinal) and
# flags (listed in signals.py, an ordinal, has digits).
_NO_WORD = 0x10000
_LISTED, _ORDINAL, _DIGITS, _CARDINAL = 1, 2, 4, 8
_WORD_RECORD = struct.Struct("<IIII")
# (the kinds listed after the rules below were set — the compass, days relative to today, an editor's opposites —
# are words as any other to them: an index key may pair a place with «الشمال» or «غدا», as it did before)
_LISTED_WORDS = frozenset(word for word, (kind, _) in FORMS.items() if kind not in LATE_KINDS)


def _word_record(word: str) -> bytes:
    code = word_code(word)
    content = code & CONTENT
    flags = ((_LISTED if word in SIGNAL_WORDS else 0) | (_ORDINAL if code & 0xFFFFFFFF == ORDINAL else 0)
             | (_CARDINAL if word in CARDINAL_WORDS else 0))
    return _WORD_RECORD.pack(code & 0xFFFFFFFF, code >> 32, content & 0xFFFF if content > ORDINAL else _NO_WORD,
                             flags | (_DIGITS if code & HAS_DIGITS else 0))


class _Records(dict[str, bytes]):
    """A pure memo, as words.title_codes's: news vocabulary repeats. A word met for the first time is recorded
    inside the lookup (`__missing__`), so an item with a new name or figure, as most real items have, costs one
    record more, not a failed join, a set difference and a second join."""

    def __missing__(self, word: str) -> bytes:
        if len(self) >= MEMO_LIMIT:
            self.clear()
        record = self[word] = _word_record(word)
        return record


_RECORDS = _Records()
_PAIR_MUL, _MASK64 = 0x9E3779B97F4A7C15, 0xFFFFFFFFFFFFFFFF  # words.pair16's multiplier


def word_records(words: list[str]) -> np.ndarray:
    """The records of folded words, one uint32 row each: code's low half, token hash, body-word hash, flags."""
    # itemgetter looks every word up in one C call (faster than a map over the bound __getitem__); with one word
    # it returns the record itself, not a tuple.
    packed = b"".join(itemgetter(*words)(_RECORDS)) if len(words) > 1 else b"".join(_RECORDS[w] for w in words)
    return np.frombuffer(packed, dtype="<u4").reshape(-1, 4)


def title_text(title: str) -> str:
    """The title as matched: kickers gone, then folded."""
    return normalize_arabic(strip_kickers(title))


def _after_spaces(text: str, start: int) -> int:
    """Where the text after `start`'s spaces and line breaks begins (read in place: no copy of a long body)."""
    spaces = _SPACES.match(text, start)  # (`\s*` always matches)
    return spaces.end() if spaces else start


def _story_start(body: str) -> str:
    """The body from its first line that is more than a few words: a byline, a dateline, a caption or a share
    prompt on lines of their own («عين اليوم – جدة», «صورة أرشيفية (أ ف ب)») is each outlet's own, not the story's,
    and would take the place of the story's words in the body start. Kept when little would remain. Only the
    start of a body is read and copied, however long it is."""
    start = _after_spaces(body, 0)
    for _ in range(LEAD_LINES):
        end = body.find("\n", start, start + LEAD_LINE_CHARS)
        if end < 0 or len(body[start:end].split()) > LEAD_LINE_WORDS or len(body) - end < LEAD_REST_CHARS:
            break
        start = _after_spaces(body, end + 1)
    return body[start:start + 4 * BODY_CHARS + 1]  # all that folded_prefix reads, and one character more


def _body_start(body: str) -> str:
    """The body's first BODY_CHARS, without the word the cut falls in: a fragment («الحكوم») is no word of the
    story, and each new one would cost a word-memo miss and a memo entry. Marks and tatweel are not counted, so
    a vocalised copy of a text starts with the same words as the plain one (most texts have a few, if any)."""
    body = _story_start(body)
    head = body[:BODY_CHARS]
    if len(body) > BODY_CHARS and _MARKS.search(head):
        head = folded_prefix(body, BODY_CHARS)
    if len(body) > len(head) and not body[len(head)].isspace():
        space = max(head.rfind(" "), head.rfind("\n"))
        if space > 0:
            head = head[:space]
    return head


def _bottom(values: list[int], cap: int) -> list[int]:
    """The smallest distinct hashes: a consistent sample, so overlap between two capped sets stays meaningful."""
    distinct = set(values)
    return list(distinct) if len(distinct) <= cap else sorted(distinct)[:cap]  # sets: no order to keep


def _content_words(codes: list[int]) -> list[int]:
    """The content-word hashes among title word codes (function words and ordinals have none), in title order."""
    return [c & CONTENT for c in codes if c & CONTENT > ORDINAL]


def _name_words(headline: str) -> tuple[int, int]:
    """How many words a short name before (« | ») and after (« - name», « | name») the headline holds, 0 for none:
    at most TRAILER_WORDS each. With one separator only one side can be a name: the shorter one (a title
    «اقتصاد | ارتفاع أسعار الذهب اليوم» is not a name after three words), the trailer on a tie. Runs of white space
    are read as one: both patterns backtrack over a run, which a hostile title can make millions long."""
    headline = " ".join(headline.split())
    leader = _LEADER.match(headline) if "|" in headline else None  # (most have none: a failed match costs 1.5 µs)
    trailer = _TRAILER.search(headline)
    nhead = len(fold_words(leader.group(1))[0]) if leader else 0
    ntail = len(fold_words(trailer.group(1))[0]) if trailer else 0
    nhead, ntail = (n if n <= TRAILER_WORDS else 0 for n in (nhead, ntail))
    if leader and trailer and leader.end() > trailer.start() and nhead and ntail:
        return (nhead, 0) if nhead < ntail else (0, ntail)
    return nhead, ntail


def _title_figures(title: str, told: list[str], tlow: list[int]) -> list[str]:
    """The headline's figures: in digits (scanned for only when a word has some), as ordinals of the words compared
    («الطائرة الرابعة»), and as counts written out («مقتل ثلاثة» states what «مقتل 3» does)."""
    figures = numbers(title) if any(c & HAS_DIGITS for c in tlow) else []
    # (in the headline's order: a set's order of strings differs between processes, and so would the record)
    figures += [ORDINALS[w] for w in dict.fromkeys(told) if w in ORDINAL_WORDS]
    if not CARDINAL_WORDS.isdisjoint(told):
        figures += cardinals(told)
    return figures


def fingerprint_text(title: str, body: str = "", source: str = "", at_minutes: int = 0) -> Fingerprint:
    """Fingerprint one item from its title, the start of its body, its source and time."""
    headline, head = strip_kickers(title), _body_start(body)
    # One pass folds the headline and the body start together (the newline keeps them apart).
    words, ntitle = fold_words(f"{headline}\n{head}", len(headline))
    records = word_records(words)
    # the title's code halves: content and the digits bit (tlow), token hashes (ttokens)
    twords, tlow, ttokens = words[:ntitle], records[:ntitle, 0].tolist(), records[:ntitle, 1].tolist()
    body_records = records[ntitle:]
    btokens, bflags = body_records[:, 1], int(np.bitwise_or.reduce(body_records[:, 3]))
    content = _content_words(tlow)
    # Headline keys: every pair among the title's TITLE_SAMPLE smallest word hashes (a consistent sample).
    # Two headlines sharing most words share two sampled words, whatever was added, dropped or reordered.
    by_hash = sorted(set(content))  # the consistent sample every headline key draws from
    samples = [by_hash[:TITLE_SAMPLE]]
    # An outlet's name after or before a headline puts its words in the sample; with no source to learn the name
    # from (a feed item of an unknown outlet, `dedupe-pairs`), the headline before a short trailer is keyed too,
    # and the headline after a short name before it, when that name names nothing the lists know (a place, a day,
    # a phase) and no figure: «أستراليا - القبض على…» is told by its place, «سكاي نيوز عربية | …» by none of its words.
    nhead, ntail = _name_words(headline)
    if nhead and (ntitle - ntail - nhead < 3 or not _LISTED_WORDS.isdisjoint(twords[:nhead])
                  or any(c & HAS_DIGITS for c in tlow[:nhead])):
        nhead = 0
    for start in ([0] if ntail else []) + ([nhead] if nhead else []):  # before the trailer; after the name too
        kept = set(_content_words(tlow[start:ntitle - ntail]))
        if len(kept) >= 2:
            samples.append(sorted(kept)[:TITLE_SAMPLE])
    keys = [xxhash.xxh64_intdigest(struct.pack("<II", a, b)) for sample in samples for a, b in combinations(sample, 2)]
    # What the headline is compared by: the same headline before such a trailer, when it holds no figure and
    # leaves three words or more. A page's title may end with its outlet's name (« - صحيفة المدينة», « | مصراوي»),
    # which says nothing of the story and would make one headline look like another outlet's other headline.
    lead_n = ntitle - ntail if (ntail and ntitle - ntail - nhead >= 3
                                and not any(c & HAS_DIGITS for c in tlow[ntitle - ntail:])) else ntitle
    told = slice(nhead, lead_n)  # the headline's words compared, and those its figure and place keys pair
    compared = by_hash if told == slice(0, ntitle) else sorted(set(_content_words(tlow[told])))
    tnums = _title_figures(title, twords[told], tlow)
    # An ordinal in a part set aside is no figure of the headline: «… - اليوم السابع» is an outlet as often as
    # «… - اليوم الثالث» is a festival's third day. It is an installment number (signals.PARTS): two items naming
    # other ones are told apart, one alone conflicts with no figure of the other's.
    parts = ORDINAL_WORDS.intersection(twords[:nhead] + twords[lead_n:])  # (empty when nothing is set aside)
    nums = list(tnums)
    if bflags & _DIGITS:  # scan the text for figures only when a word has digits
        nums += numbers(head)
    if bflags & _ORDINAL:
        ordinal = (body_records[:, 3] & _ORDINAL) != 0
        nums += [ORDINAL_BY_HASH[h] for h in set(btokens[ordinal].tolist())]
    # Counts the body spells out («توقيف ثلاثة أشخاص») corroborate a headline's figure («توقيف 3») where figures are
    # compared by their first digits (`approx`); they are not more exact figures stated (`nums`), which would make a
    # follow-up repeating «سبعة متهمين» share one fact more with the first report.
    spelled = cardinals(words[ntitle:]) if bflags & _CARDINAL else []
    # Figure-led headlines are rewritten around their figure («17 حالة وفاة…», «وفاة 17 شخصا…») and may share
    # only two words besides it, which the word sample above rarely catches: the rounded figure with any one
    # headline word is a key too. Rounded, since headlines round what bodies state («12 ألف», «12450»).
    # A year («رؤية 2030», «موازنة 2025») dates a headline rather than stating its news, and a key that half
    # the window shares only fills up and costs comparisons: years are not figure keys.
    figures = [approximate(n) for n in tnums if n not in _YEARS]
    for figure in list(dict.fromkeys(figures))[:FIGURE_KEYS]:
        seed = xxhash.xxh32_intdigest(figure.encode())
        keys += [xxhash.xxh64_intdigest(struct.pack("<II", seed, w), 1) for w in compared[:FIGURE_WORDS]]
    # Write-ups of one event in their own words may share no headline pair, no place and no phrasing, and still state
    # the same figures (a score and its scorers' minutes, a toll, an amount, a rate): the figures of two digits or
    # more, years aside (a date is no fact of the story), key the item in pairs: two such figures stated together are
    # what a rewritten copy keeps (dedupe's rewritten-copy rule), and two other stories rarely share.
    if len(nums) >= FIGURE_SET_MIN:
        stated = {n for n in nums if len(n.replace(".", "").lstrip("0")) >= 2 and n not in _YEARS}
        if len(stated) >= FIGURE_SET_MIN:
            sample = sorted(xxhash.xxh32_intdigest(n.encode()) for n in stated)[:FIGURE_SET_SAMPLE]
            keys += [xxhash.xxh64_intdigest(struct.pack("<II", a, b), 3) for a, b in combinations(sample, 2)]
    # stored before the signature (see Fingerprint); most items name no listed word
    listed = bflags & _LISTED or not SIGNAL_WORDS.isdisjoint(twords)
    codes = signal_codes(twords[told], words[ntitle:]) if listed else []
    if parts:
        codes = sorted({*codes, *part_codes({ORDINALS[w] for w in parts} - set(tnums))})
    # Write-ups of one event at one place are headlined in their own words («حريق يلتهم سوق الخضار في صفاقس»,
    # «حريق ضخم في سوق الخضار بصفاقس») and may share no sampled pair: the place with any one other headline word is
    # a key too (the place-rewrite rule of dedupe.py). Not for recurring reports, which that rule leaves alone.
    places = keyed_places(codes) if codes else ()
    if places:
        others = sorted({c & CONTENT for w, c in zip(twords[told], tlow[told], strict=True)
                         if c & CONTENT > ORDINAL and w not in _LISTED_WORDS})[:PLACE_WORDS]
        for place in places[:PLACE_KEYS]:
            keys += [xxhash.xxh64_intdigest(struct.pack("<II", place, w), 2) for w in others]
    sig = b""
    if len(btokens) > MIN_BODY_SHINGLES:  # at least MIN_BODY_SHINGLES word pairs
        mins = minhash(btokens[:-1] * _MUL + btokens[1:])  # ordered word pairs, hashed by multiply-add
        # each slot's top 16 bits: the fourth uint16 of each little-endian uint64
        sig = mins.view("<u2")[3::4].tobytes() if _LITTLE else (mins >> _TOP16).astype("<u2").tobytes()
        keys += (mins[:BODY_KEYS] ^ _BAND_SALT).tolist()  # band i's key: its slot value, salted per band
    # lead words first: the first distinct content words of the body
    bwords = dict.fromkeys(body_records[:, 2].tolist())
    bwords.pop(_NO_WORD, None)
    figure_lists: list[list[int]] = [[], [], [], []]
    if nums or spelled:  # (the headline's figures come first in nums)
        thash = _bottom([h16(n) for n in tnums], CAPS["tnums"])
        # A headline states a decimal to its decimals: «البطالة 11.6%» is not the «11.5%» of the last quarter its
        # copy compares with, where both read «~11». A body's decimal, or a figure written out in full, meets both
        # the whole figure a headline rounds it to («154 مليون عملية» over «154.6») and the decimal it keeps («1.86
        # مليون حاج» over «1860000»).
        tapprox = _bottom([h16(approximate(n, "." in n)) for n in tnums], CAPS["tapprox"])
        figure_lists = [
            thash,
            # the headline's own figures always kept, so a capped sample cannot drop them
            list(set(thash + _bottom(list(map(h16, nums)), CAPS["nums"] - CAPS["tnums"]))),
            tapprox,
            list(set(tapprox + _bottom([h16(approximate(n, precise)) for n in nums + spelled
                                        for precise in ((False, True) if "." in n or len(n) >= 5 else (False,))],
                                       CAPS["approx"] - CAPS["tapprox"]))),
        ]
    lists = [
        _bottom(grams(" ".join(twords[told])).tolist(), CAPS["tgrams"]),
        _bottom([((a << 32 | b) * _PAIR_MUL & _MASK64) >> 48 for a, b in pairwise(ttokens[told])],  # pair16
                CAPS["tbigrams"]),
        # (in the title's order when nothing is set aside: such records stay as they were, byte for byte)
        _bottom([c & 0xFFFF for c in (content if compared is by_hash else compared)], CAPS["twords"]),
        *figure_lists,
        list(bwords)[:CAPS["bwords"]],
    ]
    signals = array("H", codes)
    marks, marked = ((), 0) if _MARKED.isdisjoint(twords) else _title_marks(twords[told], records[:ntitle, 2][told])
    signals.extend(marks)
    flags = ((1 if sig else 0) | (2 if negated(twords) else 0) | (4 if tolls(twords) else 0) | marked
             | (_HEDGED if hedged(twords) else 0))
    header = _HEADER.pack(VERSION, flags, min(len(twords), 255), *map(len, lists), len(sig) // 2,
                          xxhash.xxh32_intdigest(source.encode("utf-8", "surrogatepass")) if source else 0, at_minutes)
    values = array("H")
    for values_list in lists:
        values.fromlist(values_list)  # C-speed per list; an iterator feeds `array` one Python int at a time
    if sys.byteorder == "big":
        values.byteswap()
        signals.byteswap()
    return Fingerprint(header + values.tobytes() + signals.tobytes() + sig, tuple(dict.fromkeys(keys)))


def _side_marks(words: list[str], hashes: list[int]) -> tuple[int, ...]:
    """The marks of the winner's two words and the loser's two (their stem hashes, moved off every signal code so
    that a reader of records before them reads no signal in them; _ABSENT for a word not named), () unless the
    headline names both sides (`signals.sides`)."""
    named = sides(words)
    if named is None:
        return ()
    winner, loser = ([mark_of(hashes[i]) for i in side if hashes[i] != _NO_WORD] for side in named)
    if not winner or not loser:
        return ()
    return (*winner, *[_ABSENT] * (2 - len(winner)), *loser, *[_ABSENT] * (2 - len(loser)))


_NON = normalize_arabic("غير")
_MARKED = SIDE_WORDS | {_NON}  # headline words that call for marks after the signal codes


def _title_marks(words: list[str], word_hashes: np.ndarray) -> tuple[tuple[int, ...], int]:
    """The marks kept after the signal codes and the flags saying so: the sides of a match (`_side_marks`, flag 8),
    then the word after the headline's first «غير» («مفاوضات غير مباشرة»: direct; flag 16)."""
    hashes = word_hashes.tolist()
    marks = _side_marks(words, hashes) if not SIDE_WORDS.isdisjoint(words) else ()
    flags = _SIDES if marks else 0
    if _NON in words:
        i = words.index(_NON)
        if i + 1 < len(words) and hashes[i + 1] != _NO_WORD:
            marks, flags = (*marks, mark_of(hashes[i + 1])), flags | _NOT
    return marks, flags


def _off_codes(mark: int) -> int:
    while mark in CODES:
        mark = (mark + 1) & 0xFFFF
    return mark


_ABSENT = _off_codes(0)  # a side's word not named (no mark takes this value)


def mark_of(word_hash: int) -> int:
    """A word's mark as the record keeps it (`non_mark`, `sides`), from its 16-bit stem hash (as in `twords`)."""
    mark = _off_codes(word_hash)
    return _off_codes(mark + 1) if mark == _ABSENT else mark


@lru_cache(maxsize=CANDIDATE_MEMO)
def candidate(record: bytes) -> Fingerprint:
    """A filed item's fingerprint, its sets decoded once: the same few items are the candidates of many assigns in
    a row (a hot key keeps its newest PER_KEY_CAP per bucket), and each decode costs more than a comparison's
    arithmetic. A pure memo over immutable records."""
    return Fingerprint(record)


def pack(fp: Fingerprint) -> bytes:
    """The compact record every backend stores (the fingerprint without its keys)."""
    return fp.record


def unpack(record: bytes, keys: tuple[int, ...] = ()) -> Fingerprint:
    """Read a record written by `pack`."""
    if not record or record[0] != VERSION:
        raise ValueError(f"fingerprint record version {record[:1]!r}, expected {VERSION}")
    return Fingerprint(bytes(record), keys)
