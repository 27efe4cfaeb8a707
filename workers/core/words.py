"""Words as fingerprints see them: folded by table, light-stemmed and hashed once per distinct word, plus figures."""

from __future__ import annotations

import re
import unicodedata
from itertools import pairwise
from typing import cast

import numpy as np
import xxhash

from workers.core.arabic import fold_chars, normalize_arabic, strip_marks

# Function words carry no topic; stripped before word features so «في»/«على» never make two titles alike.
_STOP_TEXT = ("في من على الي الى عن مع ان او و ما ثم قد هذا هذه التي الذي الذين بعد قبل خلال عند حتى كل بين "
              "لدي لدى منذ ضد حول اي ايضا كما بان انه انها عبر وقد وفي ومن وعلى او هو هي هم تم يتم كان كانت")
STOPWORDS = frozenset(normalize_arabic(_STOP_TEXT).split())  # folded like the text they are matched against
# A headline that says something did NOT happen is another story than one saying it did, or rules it out («تستبعد
# إجراء الانتخابات في موعدها»), or says it will not («تعلن عدم دعم…»), or declines it («تعلن الاعتذار عن استضافة…»).
NEGATIONS = frozenset(normalize_arabic("لم لن لا ليس ليست عدم بعدم ينفي تنفي نفي نفت ينفون يستبعد تستبعد استبعد "
                                       "استبعدت يعتذر تعتذر اعتذر اعتذرت اعتذار الاعتذار").split())
# ...but «لا تتجاوز 35 بالمائة», «لا يقل عن 10 آلاف» bound the figure that follows: they deny nothing. («القهوة لا
# تزيد خطر الإصابة…», with no figure after it, denies what «القهوة تزيد خطر…» states.)
_BOUNDS = frozenset(normalize_arabic("يتجاوز تتجاوز يتعدى تتعدى يقل تقل يزيد تزيد").split())
_BOUND_REACH = 3  # words after the bound in which its figure is written («لا يقل عن 10», «لا تتجاوز نسبتها 35»)


def _bounds_a_figure(words: list[str], i: int) -> bool:
    """The negation at i bounds a figure: a bound word follows it, and a figure (digits or a count written out) soon
    after."""
    if i + 1 == len(words) or words[i + 1] not in _BOUNDS:
        return False
    return any(_ASCII_DIGIT.search(w) or w in CARDINAL_WORDS for w in words[i + 2:i + 2 + _BOUND_REACH])


def negated(words: list[str]) -> bool:
    """The folded headline words say something did not happen: a negation not bounding a figure."""
    if NEGATIONS.isdisjoint(words):
        return False
    return any(w in NEGATIONS and not _bounds_a_figure(words, i) for i, w in enumerate(words))


# A headline saying something may happen, happens in part or in principle, or on a condition, states less than one
# saying it does: «العراق قد يرفع أسعار البنزين» / «العراق يرفع…», «يستجيب جزئياً» / «يستجيب», «تبيع جزءاً من حصتها» /
# «تبيع حصتها», «…إذا ضمنت أوروبا مصالحها», «…شرط التزام المنتجين», «…في حال تحسن الأحوال», or but for an exception
# («دول الخليج باستثناء السعودية تبدأ تطبيق الضريبة»). (Not «مؤقتاً»: «temporarily» and «for a few hours» are how
# two outlets word one closure; nor «حال» alone, a state as often.)
HEDGES = frozenset(normalize_arabic("قد ربما جزئيا جزءا مبدئيا يحتمل تحتمل احتمال محتمل اذا شرط بشرط شريطة باستثناء "
                                    "ماعدا").split())
_IN = frozenset(normalize_arabic("في وفي").split())
_CASE = normalize_arabic("حال")


def hedged(words: list[str]) -> bool:
    """The folded headline words hedge what they state (`HEDGES`, or «في حال»)."""
    if not HEDGES.isdisjoint(words):
        return True
    return _CASE in words and any(word == _CASE and before in _IN for before, word in pairwise(words))


# A toll: «ارتفاع حصيلة…إلى 8 قتلى», «حصيلة جديدة», or a count of the dead or hurt said to rise («ارتفاع ضحايا حادث
# طريق بيشة إلى 5», «…وارتفاع المصابين إلى 9»). A headline giving one reports a count that grows as the day goes on,
# so another figure than an earlier item's is its update, not another event. (Not cases, «ارتفاع إصابات كورونا»: a
# day's count of cases is a recurring report as often as an update.)
TOLL_WORDS = frozenset(normalize_arabic("حصيلة الحصيلة وحصيلة بحصيلة").split())
_RISES = frozenset(normalize_arabic("ارتفاع وارتفاع يرتفع ترتفع ارتفع ارتفعت").split())
_CASUALTIES = frozenset(normalize_arabic("ضحايا الضحايا قتلى القتلى وفيات الوفيات مصابين المصابين جرحى الجرحى "
                                         "شهداء الشهداء مفقودين المفقودين").split())


def tolls(words: list[str]) -> bool:
    """The folded headline words give a toll (`TOLL_WORDS`, or a rise and a count of casualties)."""
    if not TOLL_WORDS.isdisjoint(words):
        return True
    return not _RISES.isdisjoint(words) and not _CASUALTIES.isdisjoint(words)


# Ordinals are numbers written as words: «الطائرة الرابعة» and «السادسة» are different flights.
ORDINALS = {w: str(i) for i, ws in enumerate((
    (), ("الاول", "الاولي"), ("الثاني", "الثانيه"), ("الثالث", "الثالثه"), ("الرابع", "الرابعه"),
    ("الخامس", "الخامسه"), ("السادس", "السادسه"), ("السابع", "السابعه"), ("الثامن", "الثامنه"),
    ("التاسع", "التاسعه"), ("العاشر", "العاشره")), start=0) for w in ws}
ORDINAL_WORDS = frozenset(ORDINALS)
_PREFIXES = ("وال", "بال", "فال", "كال", "لل", "ال")
_D = "0-9\u0660-\u0669\u06f0-\u06f9"  # ASCII, Arabic-Indic and Persian digits
# Explicit classes, not \d: the Unicode digit test per character costs more than the rest of the scan.
# («٬», U+066C, is the Arabic thousands separator: «١٬٢١٥٬٣٤٧» is «1,215,347».)
_NUMBER = re.compile(rf"[{_D}]{{1,3}}(?:[,\u066c][{_D}]{{3}})+(?![{_D},\u066c])|[{_D}]+(?:[.,٫][{_D}]+)?")
# Runs of digits and separators, found first: a character class scans text far faster than the alternation
# above, which is then tried on the few runs only (the matches are the same: no figure crosses a run's end).
# Agencies' copy writes a decimal mark as the letter ra («21ر4 بالمئة», «5ر1 مليار»), and outlets put either part
# first: such a figure reads both ways, so it meets the same figure written with a point in whichever order. (A
# copy vocalised letter by letter marks that ra too.)
_RA = "ر[\u0640\u064b-\u065f\u0670]*"
_RUN = re.compile(rf"[{_D}](?:[{_D},.٫\u066c]|{_RA}(?=[{_D}]))*")
_RA_DECIMAL = re.compile(rf"([{_D}]+){_RA}([{_D}]+)")
_GROUPED = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+")
_ASCII_DIGIT = re.compile("[0-9]")
_TO_ASCII = str.maketrans({**{chr(0x0660 + i): str(i) for i in range(10)},
                           **{chr(0x06F0 + i): str(i) for i in range(10)}, "\u066c": ","})

# A word code is 31-bit token hash << 32 | content; content's low 31 bits are 0 for a function word, ORDINAL for an
# ordinal, else the stem's hash (>= 2); bit 31 says the word has digits (so only then is the text scanned).
ORDINAL = 1
CONTENT = 0x7FFFFFFF
HAS_DIGITS = 0x80000000
ORDINAL_BY_HASH = {xxhash.xxh32_intdigest(n.encode()) & 0x7FFFFFFF: n for n in set(ORDINALS.values())}
MEMO_LIMIT = 500_000  # words memoised (fingerprint.py keeps its own memo of as many)


def stem(word: str) -> str:
    """Drop the article and clinging prepositions so «الصحف» meets «صحف» and «بالصحف»."""
    for prefix in _PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 3:
            return word[len(prefix):]
    # The conjunctions و/ف cling to the next word: «وتفوز» is «تفوز».
    return word[1:] if word[0] in "وف" and len(word) >= 5 else word


_SKELETON_DROP = str.maketrans({"ا": None, "ي": None, "ء": None})
_DOUBLED = re.compile(r"(.)\1+")


def skeleton(stem: str) -> str:
    """A stem as transliterations of one name agree on it: «اميركي»/«امريكي», «غوغل»/«جوجل» (no vowel letters after
    the first letter, غ as ج, no doubled letters). Kept whole when too little would remain."""
    stem = stem.replace("غ", "ج")
    rest = stem[1:].translate(_SKELETON_DROP)
    if _DOUBLED.search(rest):  # rare, and a search costs less than a sub with a template
        rest = _DOUBLED.sub(r"\1", rest)
    return stem[0] + rest if len(rest) >= 2 else stem


_TA_NAMES = ("تونس",)  # names whose «ي» form is another name (Tunisia and its adjectives, «خان يونس»): kept as written


def third_person(stem: str) -> str:
    """A present-tense verb as either gender says it: «يتهم» / «تتهم» (a verb agrees with its subject, so «الجيش
    يتهم…» and «القوات تتهم…» use one verb, and a retitle naming another party changes its form). A word of four
    letters or more only; a noun read so («تقرير» / «يقرير») meets only what no text writes."""
    if len(stem) >= 4 and stem[0] == "ت" and not stem.startswith(_TA_NAMES):
        return "ي" + stem[1:]
    return stem


def word_code(word: str) -> int:
    """The code of one folded word (see above)."""
    token = ORDINALS.get(word, word)
    content = ORDINAL if word in ORDINALS else 0
    if len(token) >= 2 and token not in STOPWORDS and not token.isdigit():
        content = max(2, xxhash.xxh32_intdigest(skeleton(third_person(stem(token))).encode()) & CONTENT)
    if _ASCII_DIGIT.search(word):
        content |= HAS_DIGITS
    # 31-bit token hash: codes stay below 2**63, which numpy converts from Python ints on its fast path
    return (xxhash.xxh32_intdigest(token.encode()) & 0x7FFFFFFF) << 32 | content


# A pure memo (no shared state): news vocabulary repeats, so stemming and hashing is paid once per folded word.
_WORD_MEMO: dict[str, int] = {}


def _memo_word(word: str) -> int:
    code = _WORD_MEMO.get(word)
    if code is None:
        if len(_WORD_MEMO) > MEMO_LIMIT:
            _WORD_MEMO.clear()
        code = _WORD_MEMO[word] = word_code(word)
    return code


def title_codes(words: list[str]) -> list[int]:
    """Word codes of folded words."""
    codes = list(map(_WORD_MEMO.get, words))
    if None in codes:  # code the few new words, then map again (their hashes are cached on the strings)
        for word in set(words).difference(_WORD_MEMO):
            _memo_word(word)
        return list(map(_WORD_MEMO.__getitem__, words))
    return cast("list[int]", codes)  # no None left: every word was known


# Above every code point: their four bytes hold three 0xFF in a row, which no code point's bytes do (see fold_words).
_DROP, _UNSAFE = 0xFFFFFFFE, 0xFFFFFFFF


def _fold_table() -> np.ndarray:
    """Each BMP character's folded form: a code point, _DROP or _UNSAFE (fold the text as a whole)."""
    table = np.full(0x10000, _UNSAFE, dtype=np.uint32)
    for lo, hi in ((0, 0x800), (0x2000, 0x2C00), (0xFB00, 0x10000)):  # scripts and marks of Arabic news text
        for cp in range(lo, hi):
            char = chr(cp)
            # A kept mark composes with its neighbour under NFKC, and «Σ» lowers by context: fold those whole.
            if (unicodedata.combining(char) and strip_marks(char)) or cp == 0x3A3:
                continue
            folded = fold_chars(char)
            if not folded:
                table[cp] = _DROP
            elif folded.isspace():
                table[cp] = 32
            elif len(folded) == 1:
                table[cp] = ord(folded)
    for letter in "\u06d5\u06c1\u06d2":  # a dropped hamza would have composed these into other letters
        table[ord(letter)] = _UNSAFE
    return np.append(table, np.uint32(_UNSAFE))  # the last entry: any astral character (indices are clipped)


_TABLE = _fold_table()


_SURROGATE = re.compile("[\ud800-\udfff]")


def _code_points(text: str) -> tuple[str, np.ndarray]:
    """The text and its code points; a lone surrogate, which JSON can carry and no encoding can, becomes U+FFFD in
    place (so indices into the text still hold), rather than an error for the whole item."""
    try:
        return text, np.frombuffer(text.encode("utf-32-le"), dtype="<u4")
    except UnicodeEncodeError:
        text = _SURROGATE.sub("\ufffd", text)
        return text, np.frombuffer(text.encode("utf-32-le"), dtype="<u4")


def fold_words(text: str, split: int | None = None) -> tuple[list[str], int]:
    """`normalize_arabic(text).split()` by one table lookup per character, and how many words precede `split`."""
    split = len(text) if split is None else split
    text, raw = _code_points(text)
    cps = _TABLE.take(raw, mode="clip")  # an astral character is clipped to the table's last entry, _UNSAFE
    folded_bytes = cps.tobytes()
    # Code points end in a byte <= 0x10 and a zero byte, so three 0xFF bytes in a row are part of _DROP or _UNSAFE.
    if b"\xff\xff\xff" in folded_bytes:
        if cps.max() == _UNSAFE:  # characters whose folding depends on their neighbours: the full normaliser
            words = normalize_arabic(text[:split]).split()
            count = len(words)
            return words + normalize_arabic(text[split:]).split(), count
        kept = cps != _DROP
        split, folded_bytes = int(np.count_nonzero(kept[:split])), cps[kept].tobytes()
    folded = folded_bytes.decode("utf-32-le")
    if split < len(folded) and folded[split].isspace():  # the usual headline + newline + body: one split
        words = folded.split()
        return words, len(folded[:split].split())
    words = folded[:split].split()
    count = len(words)
    return words + folded[split:].split(), count


def folded_prefix(text: str, size: int) -> str:
    """The longest prefix of `text` whose folded form keeps at most `size` characters: marks and tatweel take no
    room (a vocalised copy of a text is the same text, not a shorter one), whatever else one each."""
    if len(text) <= size:
        return text
    raw = _code_points(text[:4 * size])[1]
    kept = np.cumsum(_TABLE.take(raw, mode="clip") != _DROP)
    return text[:int(np.searchsorted(kept, size, side="right"))]


def text_codes(text: str) -> np.ndarray:
    """Word codes of `normalize_arabic(text).split()` as one uint64 array."""
    return np.array(title_codes(fold_words(text)[0]), dtype=np.uint64)


def h16(text: str) -> int:
    """A 16-bit hash of a short string (figures)."""
    return xxhash.xxh32_intdigest(text.encode()) & 0xFFFF


_GRAM_MUL = np.uint64(0x9E3779B97F4A7C15)


def grams(text: str) -> np.ndarray:
    """16-bit hashes of the character 3-grams of « text », all at once from the code points (no lookups)."""
    cps = _code_points(f" {text} ")[1].astype(np.uint64)
    if len(cps) < 3:
        cps = np.concatenate([cps, np.full(3 - len(cps), 32, np.uint64)])
    # Code points fit 21 bits, so three pack into one uint64 exactly; multiply-shift keeps 16 well-mixed bits.
    return ((cps[:-2] << np.uint64(42) | cps[1:-1] << np.uint64(21) | cps[2:]) * _GRAM_MUL) >> np.uint64(48)


def pair16(a: int, b: int) -> int:
    """A 16-bit hash of an ordered pair of token hashes (multiply-shift)."""
    return ((a << 32 | b) * 0x9E3779B97F4A7C15 & 0xFFFFFFFFFFFFFFFF) >> 48


MAX_FIGURE_RUN = 64  # digits and separators in a row: longer is no figure anyone states (an ID is ~20)


def numbers(text: str) -> list[str]:
    """Figures in a text as canonical strings: ASCII digits, no thousands separators or trailing zeros. A run of
    digits and separators longer than MAX_FIGURE_RUN is skipped: the figure pattern backtracks over a run («1,111,…»
    of 128,000 characters took 7 s in a hostile title), and no real figure is that long."""
    found = []
    runs = [run for run in _RUN.findall(text) if len(run) <= MAX_FIGURE_RUN]
    if any("ر" in run for run in runs):  # (a run of digits holds the letter only as that decimal mark)
        runs = [reading for run in runs for reading in _ra_readings(run)]
    for raw in [figure for run in runs for figure in _NUMBER.findall(run)]:
        value = raw.translate(_TO_ASCII)
        value = value.replace(",", "") if _GROUPED.fullmatch(value) else value
        value = value.replace(",", ".").replace("٫", ".")
        if "." in value:
            value = value.rstrip("0").rstrip(".")
        found.append(value.lstrip("0") or "0")
    return found


def _ra_readings(run: str) -> list[str]:
    """A run of digits as `numbers` reads it: a figure with the letter ra as its decimal mark, both ways round."""
    whole = _RA_DECIMAL.fullmatch(run)
    if whole:
        left, right = whole.groups()
        return [f"{left}.{right}", f"{right}.{left}"]
    return run.split("ر")


# Counts written as words, as formal copy spells small ones out («مقتل ثلاثة أشخاص») where headlines use digits
# («مقتل 3»), folded (ة as ه, أ as ا). «واحد» is left out: «واحد من…» is rarely a count. A unit before «عشر» is a
# teen («ثلاثة عشر»), and before «و» and a ten a compound («خمسة وعشرون»); «احد» and «اثنا» count only so.
# A dual of a noun for people whose plural is broken («شخصين», «طفلان», «جريحين»: أشخاص، أطفال، جرحى) counts two; not
# one whose plural is sound («مواطنين», «عاملين», «مقيمين»: citizens as often as two of them).
_DUAL_STEMS = ("شخص", "طفل", "طفلت", "شاب", "رجل", "امرأت", "شقيق", "شقيقت", "جندي", "قتيل", "جريح", "شهيد", "فتات",
               "سيدت", "ضابط")
_DUALS = {normalize_arabic(f"{stem}{end}"): 2 for stem in _DUAL_STEMS for end in ("ين", "ان")}
_UNITS = {**dict.fromkeys(("اثنان", "اثنين", "اثنتان", "اثنتين"), 2), **dict.fromkeys(("ثلاث", "ثلاثه"), 3),
          **dict.fromkeys(("اربع", "اربعه"), 4), **dict.fromkeys(("خمس", "خمسه"), 5), **dict.fromkeys(("ست", "سته"), 6),
          **dict.fromkeys(("سبع", "سبعه"), 7), **dict.fromkeys(("ثمان", "ثماني", "ثمانيه"), 8),
          **dict.fromkeys(("تسع", "تسعه"), 9), **_DUALS}
_TEEN_ONLY = {**dict.fromkeys(("احد", "احدي"), 1), **dict.fromkeys(("اثنا", "اثني", "اثنتا", "اثنتي"), 2)}
_TEN = frozenset(("عشر", "عشره"))
_TENS = {f"{stem}{ending}": 10 * n for n, stem in enumerate(
    ("عشر", "ثلاث", "اربع", "خمس", "ست", "سبع", "ثمان", "تسع"), start=2) for ending in ("ون", "ين")}
CARDINAL_WORDS = frozenset(f"{clitic}{word}" for clitic in ("", "و", "ب")
                           for word in (*_UNITS, *_TEEN_ONLY, *_TEN, *_TENS))


def _bare(word: str) -> str:
    """A count word without the «و» or «ب» clinging to it."""
    return word[1:] if word[0] in "وب" and word[1:] in CARDINAL_WORDS else word


def cardinals(words: list[str]) -> list[str]:
    """The counts folded words write out, as `numbers` gives figures: «ثلاثة» 3, «ثلاثة عشر» 13, «خمسة وعشرون» 25,
    «عشرين» 20."""
    found: list[str] = []
    taken = -1  # the word after a teen's or a compound's unit, read with it
    # (only the count words are visited: a body start holds a few among a hundred and more words)
    for i in [i for i, word in enumerate(words) if word in CARDINAL_WORDS]:
        if i == taken:
            continue
        word = _bare(words[i])
        after = words[i + 1] if i + 1 < len(words) else ""
        unit = _UNITS.get(word) or _TEEN_ONLY.get(word)
        if unit and after in _TEN:
            found.append(str(10 + unit))
            taken = i + 1
        elif unit and after[:1] == "و" and after[1:] in _TENS:
            found.append(str(unit + _TENS[after[1:]]))
            taken = i + 1
        elif word in _UNITS:
            found.append(str(_UNITS[word]))
        elif word in _TEN:
            found.append("10")
        elif word in _TENS:
            found.append(str(_TENS[word]))
    return found


def approximate(number: str, precise: bool = False) -> str:
    """A figure's first two significant digits (three when `precise`): headlines round what bodies state exactly."""
    return "~" + (number.replace(".", "").lstrip("0") or "0")[:3 if precise else 2]
