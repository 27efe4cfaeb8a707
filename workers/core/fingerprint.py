"""Near-duplicate fingerprints of news items: small hashed feature sets and a MinHash, packable to bytes."""

from __future__ import annotations

import functools
import itertools
import re
import struct
import unicodedata
from dataclasses import dataclass

import numpy as np
import xxhash

from workers.core.arabic import normalize_arabic, strip_kickers

BODY_CHARS = 800  # the start of the body: the lead carries the story, the tail carries boilerplate
MIN_BODY_SHINGLES = 12  # fewer word pairs than this and a "body" is a caption, not evidence
SIG_SLOTS = 64  # MinHash slots over body word pairs (16 bits kept per slot)
BODY_KEYS = 8  # the first slots double as LSH keys (one slot per band)
CAPS = {"tgrams": 128, "tbigrams": 32, "twords": 24, "tnums": 8, "nums": 24, "tapprox": 8, "approx": 24,
        "bwords": 80}
VERSION = 1
_HEADER = struct.Struct("<BBBBBBBBBBBBII")

# Function words carry no topic; stripped before word features so «في»/«على» never make two titles alike.
_STOP_TEXT = ("في من على الي الى عن مع ان او و ما ثم قد هذا هذه التي الذي الذين بعد قبل خلال عند حتى كل بين "
              "لدي لدى منذ ضد حول اي ايضا كما بان انه انها عبر وقد وفي ومن وعلى او هو هي هم تم يتم كان كانت")
STOPWORDS = frozenset(_STOP_TEXT.split())
# A headline that says something did NOT happen is another story than one saying it did.
NEGATIONS = frozenset("لم لن لا ليس ليست ينفي تنفي نفي نفت ينفون".split())  # noqa: SIM905
# Ordinals are numbers written as words: «الطائرة الرابعة» and «السادسة» are different flights.
ORDINALS = {w: str(i) for i, ws in enumerate((
    (), ("الاول", "الاولي"), ("الثاني", "الثانيه"), ("الثالث", "الثالثه"), ("الرابع", "الرابعه"),
    ("الخامس", "الخامسه"), ("السادس", "السادسه"), ("السابع", "السابعه"), ("الثامن", "الثامنه"),
    ("التاسع", "التاسعه"), ("العاشر", "العاشره")), start=0) for w in ws}
_DIGIT_PAIRS = tuple([(chr(0x0660 + i), str(i)) for i in range(10)] + [(chr(0x06F0 + i), str(i)) for i in range(10)])
_NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+(?![\d,])|\d+(?:[.,٫]\d+)?")
_PREFIXES = ("وال", "بال", "فال", "كال", "لل", "ال")


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """What the duplicate rules look at; every set holds 16-bit hashes so it packs small and exact."""

    tgrams: frozenset[int]  # character 3-grams of the title
    tbigrams: frozenset[int]  # title word pairs: order matters («تركيا تعرقل قبرص» ≠ «قبرص تعرقل تركيا»)
    twords: frozenset[int]  # title content words (light-stemmed)
    tnums: frozenset[int]  # numbers in the title
    nums: frozenset[int]  # numbers in title and body start
    tapprox: frozenset[int]  # title figures by their first two significant digits («676 ألف» ≈ 676962)
    approx: frozenset[int]  # all figures, the same way
    bwords: frozenset[int]  # body-start content words
    sig: bytes  # SIG_SLOTS little-endian uint16 MinHash values, empty when there is no body
    nwords: int  # title length in words
    negation: bool
    source: int  # 32-bit hash of the source name, 0 when unknown
    at: int  # minutes since the epoch, 0 when unknown
    keys: tuple[int, ...] = ()  # 64-bit LSH keys; not packed (the index files the item under them)

    @property
    def has_body(self) -> bool:
        return bool(self.sig)


_MEMO: dict[str, int] = {}  # pure memo of string hashes: grams and words repeat across items


def _h32(text: str) -> int:
    value = _MEMO.get(text)
    if value is None:
        if len(_MEMO) > 500_000:
            _MEMO.clear()
        value = _MEMO[text] = xxhash.xxh32_intdigest(text.encode())
    return value


def _h16(text: str) -> int:
    return _h32(text) & 0xFFFF


@functools.lru_cache(maxsize=1 << 16)  # a pure memo: news vocabulary repeats, stemming is the hot loop
def _stem(word: str) -> str:
    """Drop the article and clinging prepositions so «الصحف» meets «صحف» and «بالصحف»."""
    for prefix in _PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 3:
            return word[len(prefix):]
    # The conjunctions و/ف cling to the next word: «وتفوز» is «تفوز».
    return word[1:] if word[0] in "وف" and len(word) >= 5 else word


def _content(tokens: list[str]) -> list[str]:
    return [_stem(t) for t in tokens if len(t) >= 2 and t not in STOPWORDS and not t.isdigit()]


_CONTENT_MEMO: dict[str, str | None] = {}


def _content_fast(tokens: list[str]) -> list[str]:
    """`_content` through a memo: the body's hundred-odd words are the hot loop of fingerprinting."""
    memo, out = _CONTENT_MEMO, []
    if len(memo) > 500_000:
        memo.clear()
    for t in tokens:
        stem = memo.get(t, "")
        if stem == "":
            stem = memo[t] = _stem(t) if len(t) >= 2 and t not in STOPWORDS and not t.isdigit() else None
        if stem is not None:
            out.append(stem)
    return out


def numbers(text: str) -> list[str]:
    """Figures in a text as canonical strings: ASCII digits, no thousands separators or trailing zeros."""
    text = unicodedata.normalize("NFKC", text)
    for old, new in _DIGIT_PAIRS:
        if old in text:
            text = text.replace(old, new)
    found = []
    for raw in _NUMBER.findall(text):
        value = raw.replace(",", "") if re.fullmatch(r"\d{1,3}(?:,\d{3})+", raw) else raw
        value = value.replace(",", ".").replace("٫", ".")
        if "." in value:
            value = value.rstrip("0").rstrip(".")
        found.append(value.lstrip("0") or "0")
    return found


def approximate(number: str) -> str:
    """A figure's first two significant digits: headlines round what bodies state exactly."""
    return "~" + (number.replace(".", "").lstrip("0") or "0")[:2]


def _bottom(values: set[int], cap: int) -> frozenset[int]:
    """Keep the smallest hashes: a consistent sample, so overlap between two capped sets stays meaningful."""
    return frozenset(sorted(values)[:cap]) if len(values) > cap else frozenset(values)


_RNG = np.random.default_rng(20240604)  # fixed seed: every process must draw the same permutations
_A = _RNG.integers(1, 2**63 - 1, SIG_SLOTS, dtype=np.uint64) | np.uint64(1)
_B = _RNG.integers(0, 2**63 - 1, SIG_SLOTS, dtype=np.uint64)


def minhash(hashes: np.ndarray) -> np.ndarray:
    """SIG_SLOTS 32-bit MinHash values of a set of 32-bit hashes (multiply-shift permutations)."""
    return ((np.outer(hashes.astype(np.uint64), _A) + _B) >> np.uint64(32)).min(axis=0)


def title_text(title: str) -> str:
    """The title as matched: kickers gone, then folded."""
    return normalize_arabic(strip_kickers(title))


def fingerprint_text(title: str, body: str = "", source: str = "", at_minutes: int = 0) -> Fingerprint:
    """Fingerprint one item from its title, the start of its body, its source and time."""
    t = title_text(title)
    raw = t.split()
    tokens = [ORDINALS.get(w, w) for w in raw]
    padded = f" {t} "
    tgrams = {_h16(padded[i:i + 3]) for i in range(max(1, len(padded) - 2))}
    tbigrams = {_h16(f"{a} {b}") for a, b in itertools.pairwise(tokens)}
    content = _content_fast(tokens)
    head = body[:BODY_CHARS]
    braw = normalize_arabic(head).split()
    btokens = [ORDINALS.get(w, w) for w in braw]
    tnums = numbers(title) + [ORDINALS[w] for w in raw if w in ORDINALS]
    nums = tnums + numbers(head) + [ORDINALS[w] for w in braw if w in ORDINALS]
    pairs = np.array(list({xxhash.xxh32_intdigest(f"{a} {b}".encode()) for a, b in itertools.pairwise(btokens)}),
                     dtype=np.uint64)
    keys = []
    if content:  # headline anchors: a word added at either end or dropped in the middle keeps one of them
        keys.append(xxhash.xxh64_intdigest(("t<" + " ".join(content[:3])).encode()))
        keys.append(xxhash.xxh64_intdigest(("t>" + " ".join(content[-3:])).encode()))
    sig = b""
    if len(pairs) >= MIN_BODY_SHINGLES:
        mins = minhash(pairs)
        sig = (mins & np.uint64(0xFFFF)).astype("<u2").tobytes()
        keys.extend(xxhash.xxh64_intdigest(f"b{i}:{int(v)}".encode()) for i, v in enumerate(mins[:BODY_KEYS]))
    seen: dict[str, None] = dict.fromkeys(_content_fast(btokens))
    return Fingerprint(
        tgrams=_bottom(tgrams, CAPS["tgrams"]), tbigrams=_bottom(tbigrams, CAPS["tbigrams"]),
        twords=_bottom({_h16(w) for w in content}, CAPS["twords"]),
        tnums=_bottom({_h16(n) for n in tnums}, CAPS["tnums"]),
        # the headline's own figures always kept, so a capped sample cannot drop them
        nums=_bottom({_h16(n) for n in tnums}, CAPS["tnums"])
        | _bottom({_h16(n) for n in nums}, CAPS["nums"] - CAPS["tnums"]),
        tapprox=_bottom({_h16(approximate(n)) for n in tnums}, CAPS["tapprox"]),
        approx=_bottom({_h16(approximate(n)) for n in tnums}, CAPS["tapprox"])
        | _bottom({_h16(approximate(n)) for n in nums}, CAPS["approx"] - CAPS["tapprox"]),
        bwords=frozenset(_h16(w) for w in list(seen)[:CAPS["bwords"]]),  # lead words first
        sig=sig, nwords=min(len(tokens), 255), negation=any(w in NEGATIONS for w in tokens),
        source=xxhash.xxh32_intdigest(source.encode()) if source else 0, at=at_minutes,
        keys=tuple(dict.fromkeys(keys)),
    )


_FIELDS = ("tgrams", "tbigrams", "twords", "tnums", "nums", "tapprox", "approx", "bwords")


def pack(fp: Fingerprint) -> bytes:
    """Serialise a fingerprint (without keys) to the compact record every backend stores."""
    arrays = [sorted(getattr(fp, f)) for f in _FIELDS]
    flags = (1 if fp.has_body else 0) | (2 if fp.negation else 0)
    header = _HEADER.pack(VERSION, flags, fp.nwords, *(len(a) for a in arrays),
                          len(fp.sig) // 2, fp.source, fp.at)
    body = b"".join(struct.pack(f"<{len(a)}H", *a) for a in arrays)
    return header + body + fp.sig


def unpack(record: bytes, keys: tuple[int, ...] = ()) -> Fingerprint:
    """Read a record written by `pack`."""
    version, flags, nwords, *counts, nsig, source, at = _HEADER.unpack_from(record)
    if version != VERSION:
        raise ValueError(f"fingerprint record version {version}, expected {VERSION}")
    offset, sets = _HEADER.size, []
    for count in counts:
        sets.append(frozenset(struct.unpack_from(f"<{count}H", record, offset)))
        offset += 2 * count
    sig = record[offset:offset + 2 * nsig]
    return Fingerprint(*sets, sig=sig, nwords=nwords, negation=bool(flags & 2), source=source, at=at,
                       keys=keys)
