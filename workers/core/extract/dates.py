"""Parse the date forms Arabic news pages use.

A fast path of regular expressions reads the common forms: ISO 8601 and RFC 2822; day, month and year
with Arabic month names (Egyptian/Gulf, Levantine/Iraqi and Maghrebi) or digits (Arabic-Indic and
Persian too); Hijri dates, numeric with «هـ» or named, converted by Umm al-Qura (hijridate); a day and
month without a year (the latest such day not after the fetch); day words (أمس، البارحة، أول أمس، اليوم);
elapsed times «منذ ساعتين», «قبل 3 أسابيع», «منذ ساعة و 5 دقائق»; clock times with ص/م. What it cannot read
and still looks like a date goes to dateparser (Arabic, dates from the past, relative to the fetch).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from email.utils import parsedate_to_datetime
from functools import lru_cache
from typing import Any

from workers.core.arabic import normalize_arabic
from workers.core.extract.zones import get_zone, named_zone


@dataclass(frozen=True, slots=True)
class FoundDate:
    """A date read from text; naive when the text gave no offset; has_time when it gave a clock time."""

    value: datetime
    has_time: bool


def _fold_map(table: dict[int, tuple[str, ...]]) -> dict[str, int]:
    return {normalize_arabic(name): number for number, names in table.items() for name in names}


# Egyptian/Gulf (يناير), Levantine/Iraqi (كانون الثاني) and Maghrebi (جانفي, فيفري, جوان, جويلية, أوت) names.
MONTHS = _fold_map({
    1: ("يناير", "كانون الثاني", "جانفي", "جانفييه", "ينير", "january", "jan"),
    2: ("فبراير", "شباط", "فيفري", "فبرير", "فبراير", "february", "feb"),
    3: ("مارس", "آذار", "march", "mar"),
    4: ("أبريل", "إبريل", "نيسان", "أفريل", "ابريل", "ابريل", "april", "apr"),
    5: ("مايو", "أيار", "ماي", "may"),
    6: ("يونيو", "يونيه", "حزيران", "جوان", "يونيوز", "june", "jun"),
    7: ("يوليو", "يوليه", "تموز", "جويلية", "جويليه", "يوليوز", "july", "jul"),
    8: ("أغسطس", "أغسطوس", "آب", "أوت", "غشت", "august", "aug"),
    9: ("سبتمبر", "أيلول", "شتنبر", "september", "sep", "sept"),
    10: ("أكتوبر", "تشرين الأول", "اكتوبر", "أكتوبير", "october", "oct"),
    11: ("نوفمبر", "تشرين الثاني", "نونبر", "نوفمبير", "november", "nov"),
    12: ("ديسمبر", "كانون الأول", "دجنبر", "دسمبر", "december", "dec"),
})
HIJRI_MONTHS = _fold_map({
    1: ("محرم",), 2: ("صفر",), 3: ("ربيع الأول", "ربيع الاول", "ربيع أول"),
    4: ("ربيع الآخر", "ربيع الثاني", "ربيع ثاني"),
    5: ("جمادى الأولى", "جمادى الأول", "جمادى الاولى"), 6: ("جمادى الآخرة", "جمادى الثانية", "جمادى الآخر"),
    7: ("رجب",), 8: ("شعبان",), 9: ("رمضان",), 10: ("شوال",), 11: ("ذو القعدة", "ذي القعدة"),
    12: ("ذو الحجة", "ذي الحجة"),
})


def _alternation(names: dict[str, int]) -> str:
    return "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))


_M = _alternation(MONTHS)
_H = _alternation(HIJRI_MONTHS)
_SEP = r"\s*[-/.,،\s]\s*"
# A month as written, alone or paired with its other name: «آب/أغسطس», «مارس (آذار)».
_MONTH = rf"({_M})(?:\s*[/(-]\s*(?:{_M})\s*\)?)?"
_DMY = re.compile(rf"(?<!\d)(\d{{1,2}}){_SEP}(?:من\s+)?(?:شهر\s+)?{_MONTH}{_SEP}(\d{{4}})(?!\d)", re.I)
_MDY = re.compile(rf"(?<![\w])({_M}){_SEP}(\d{{1,2}}){_SEP}(\d{{4}})(?!\d)", re.I)
_YMD = re.compile(r"(?<!\d)(\d{4})\s?[-/.]\s?(\d{1,2})\s?[-/.]\s?(\d{1,2})(?!\d)")
_DMY_NUM = re.compile(r"(?<![\d/])(\d{1,2})\s?[-/.]\s?(\d{1,2})\s?[-/.]\s?(\d{4})(?!\d)")
# A day and month with no year after it: «الخميس 15 اغسطس», «1 مارس», «13 شباط».
_DM = re.compile(rf"(?<![\d/.:-])(\d{{1,2}})\s*(?:من\s+)?(?:شهر\s+)?{_MONTH}(?![\w])(?!{_SEP}\d{{4}})", re.I)
_HIJRI = re.compile(rf"(?<!\d)(\d{{1,2}})\s*(?:من\s+)?(?:شهر\s+)?({_H})\s*[,،]?\s*(1[34]\d\d)(?!\d)")
_HIJRI_DMY = re.compile(r"(?<!\d)(\d{1,2})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(1[34]\d\d)\s*(?:ه|هجري|هجريه)(?![\w])")
_HIJRI_YMD = re.compile(r"(?<!\d)(1[34]\d\d)\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})\s*(?:ه|هجري|هجريه)(?![\w])")
_TIME = re.compile(r"(?<![\d:])(\d{1,2}):(\d{2})(?::(\d{2}))?(?!\d)\s*(صباحا|مساء|مساءا|ظهرا|عصرا|فجرا|ليلا|ص|م|am|pm)?"
                   r"(?![\w])", re.I)
_TIME_AFTER = re.compile(r"\W{0,3}(?:الساعه\s*|في\s+|على\s+)?\d{1,2}(?::\d{2}|\s*(?:صباحا|مساء|ص|م)(?![\w]))")
# An hour without minutes is a time only with its marker: «10 مساءً», «الساعة 9 صباحاً».
_HOUR = re.compile(r"(?<![\d:/.-])(\d{1,2})(?![\d:/.])\s*(صباحا|مساءا|مساء|ظهرا|عصرا|فجرا|ليلا|ص|م|am|pm)(?![\w])",
                   re.I)
_RELATIVE_CUE = re.compile(r"منذ|قبل|مضت|امس|اليوم|البارحه|الان|الماضي|الفايت")
_CLOCK_HINT = re.compile(r"\d:\d\d|\d\s*(?:صباحا|مساء|ص|م|am|pm)(?![\w])", re.I)
_PM = {"م", "مساء", "مساءا", "عصرا", "pm"}
_AM = {"ص", "صباحا", "فجرا", "am"}

# Elapsed times. Each unit word (folded) → (seconds or months, count the word itself implies: 2 for a
# dual, 0 for a plural that needs a number).
_DAY, _WEEK = 86400, 604800
_UNIT_WORDS: dict[str, tuple[str, int, int]] = {}
for _kind, _size, _words in (
    ("s", 1, (("ث", 0), ("ثانيه", 1), ("ثانيتين", 2), ("ثانيتان", 2), ("ثواني", 0), ("ثوان", 0))),
    ("s", 60, (("د", 0), ("دقيقه", 1), ("دقيقتين", 2), ("دقيقتان", 2), ("دقائق", 0), ("دقايق", 0))),
    ("s", 3600, (("س", 0), ("ساعه", 1), ("ساعتين", 2), ("ساعتان", 2), ("ساعات", 0))),
    ("s", _DAY, (("يوم", 1), ("يومين", 2), ("يومان", 2), ("ايام", 0))),
    ("s", _WEEK, (("اسبوع", 1), ("اسبوعين", 2), ("اسبوعان", 2), ("اسابيع", 0))),
    ("m", 1, (("شهر", 1), ("شهرين", 2), ("شهران", 2), ("اشهر", 0), ("شهور", 0))),
    ("m", 12, (("سنه", 1), ("عام", 1), ("سنتين", 2), ("عامين", 2), ("سنوات", 0), ("اعوام", 0), ("سنين", 0))),
):
    for _word, _implied in _words:
        _UNIT_WORDS[normalize_arabic(_word)] = (_kind, _size, _implied)
_NUMBER_WORDS = {normalize_arabic(w): n for n, ws in {
    1: ("واحد", "واحدة"), 3: ("ثلاث", "ثلاثة"), 4: ("أربع", "أربعة"), 5: ("خمس", "خمسة"), 6: ("ست", "ستة"),
    7: ("سبع", "سبعة"), 8: ("ثماني", "ثمان", "ثمانية"), 9: ("تسع", "تسعة"), 10: ("عشر", "عشرة"),
    20: ("عشرين", "عشرون"), 30: ("ثلاثين", "ثلاثون"), 40: ("أربعين", "أربعون"), 45: ("خمس وأربعين",),
    50: ("خمسين", "خمسون"),
}.items() for w in ws}
_UNIT_ALT = "|".join(sorted(map(re.escape, _UNIT_WORDS), key=len, reverse=True))
_NUM_ALT = "|".join(sorted(map(re.escape, _NUMBER_WORDS), key=len, reverse=True))
# a part: an optional count (digits, a number word, «نصف», «ربع»), the unit, an optional «ونصف» / «وربع»
_PART = rf"(?:(\d+|{_NUM_ALT}|نصف|ربع)\s*)?({_UNIT_ALT})(?![\w])(?:\s*و\s*(نصف|ربع)(?![\w]))?"
_ELAPSED_PART = re.compile(_PART)
_FRACTIONS = {"نصف": 0.5, "ربع": 0.25}
# «منذ حوالي ساعتين», «قبل نحو 3 ساعات», «منذ أكثر من ساعة»: an approximate count reads as the count
_ABOUT = r"(?:(?:حوالي|نحو|قرابه|زهاء|ما\s+يقارب|ما\s+يزيد\s+عن|ما\s+يزيد\s+على|اكثر\s+من|اقل\s+من)\s+)?"
# «منذ ساعة و 5 دقائق», «قبل 3 أسابيع»; a bare «1 ساعة و20 دقيقة» only when it is the whole text.
_ELAPSED = re.compile(rf"(?:منذ|قبل)\s+{_ABOUT}({_PART}(?:\s*و\s*{_PART})*)")
# Without منذ/قبل, only a compound («1 ساعة و20 دقيقة») or «… مضت» is an elapsed time: a lone «4 دقائق» is
# as often a reading time as an age.
_BARE_ELAPSED = re.compile(rf"^\W*({_PART}\s*و\s*{_PART}(?:\s*و\s*{_PART})*|{_PART}(?=\s*(?:مضت|مضي|خلت)))"
                           rf"\s*(?:مضت|مضي|خلت)?\W*$")
# Day words: how many days before the fetch day.
_DAY_WORDS = re.compile(r"(?<![\w])(اول\s+من\s+امس|"
                        r"اول\s+امس|امس\s+الاول|قبل\s+امس|يوم\s+امس|امس|البارحه|اليوم)(?![\w])")
_ARABIC_RUN = re.compile("[\u0621-\u065f\u0660-\u0669\u0670-\u06d3\u06f0-\u06f9]+")
_ISO_TZ = re.compile(r"([+-]\d{2})(\d{2})$")
# A text worth handing to dateparser: it names a month, a weekday or a day word, or it reads as a
# date in digits; anything else (prose, counts, prices) is not tried.
_HINT = re.compile(rf"({_M}|{_H}|(?<![\w])(?:امس|غدا|البارحه|اليوم|منذ|قبل|الماضي|الماضيه|الفايت|الفايته|"
                   rf"الاحد|الاثنين|الثلاثاء|الاربعاء|"
                   rf"الخميس|الجمعه|السبت)(?![\w])|\d[-/.]\d)", re.I)
_LABELS_PUBLISHED = re.compile(
    r"(?<![\w])(?:تاريخ\s+النشر|نشر\s+(?:في|بتاريخ|يوم)|نشر|منشور|published|posted)(?![\w])", re.I)
# «الآن», «منذ قليل», «قبل لحظات»: the fetch time itself
_JUST_NOW = r"(?:الان|منذ\s+قليل|قبل\s+قليل|منذ\s+لحظات|قبل\s+لحظات|منذ\s+ثوان|قبل\s+ثوان|منذ\s+ثواني|قبل\s+ثواني)"
_JUST_NOW_LINE = re.compile(rf"^\W*(?:(?:نشر|تم\s+النشر|تحديث|اخر\s+تحديث|محدث)\s*:?\s*)?{_JUST_NOW}\W*$")
# «الخميس الماضي», «يوم الأحد الفائت»: the latest such weekday before the fetch day
_WEEKDAYS = {"الاثنين": 0, "الثلاثاء": 1, "الاربعاء": 2, "الخميس": 3, "الجمعه": 4, "السبت": 5, "الاحد": 6}
_LAST_WEEKDAY = re.compile(rf"(?<![\w])(?:يوم\s+)?({'|'.join(_WEEKDAYS)})\s+(?:الماضي|الفايت|الفائت|المنصرم)(?![\w])")
# A line that is only a relative date: «منذ ساعتين», «نشر: أمس 10:30 م», «قبل أسبوع». Texts without a
# digit are dates only in this shape, so prose that mentions «اليوم» or «قبل» is never taken for one.
_RELATIVE_LINE = re.compile(
    rf"^\W*(?:(?:تاريخ\s+النشر|تم\s+النشر|تم\s+التحديث|نشر\s+(?:في|بتاريخ|يوم)|نشر|نشرت|منشور|اخر\s+تحديث|"
    rf"تحديث|محدث|اضيف|published|updated|posted)\s*:?\s*)?"
    rf"(?:(?:منذ|قبل)\s+{_ABOUT}{_PART}(?:\s*و\s*{_PART})*|{_JUST_NOW}"
    rf"|اول\s+من\s+امس|اول\s+امس|امس\s+الاول|يوم\s+امس|امس|البارحه|اليوم)"
    rf"(?:\W*(?:الساعه\s*)?\d{{1,2}}:\d{{2}}\s*(?:صباحا|مساء|ص|م)?)?\W*$")
_LABELS_UPDATED = re.compile(r"(?<![\w])(?:اخر\s+تحديث|تم\s+التحديث|التحديث|تحديث|محدث|updated|modified)(?![\w])",
                             re.I)


# normalize_arabic's letter and digit folds, and its marks (harakat, superscript alef, tatweel) dropped,
# as one table: a date string is short, and one translate is faster than folding word by word.
_FOLD = str.maketrans({
    **{k: v for k, v in (("أ", "ا"), ("إ", "ا"), ("آ", "ا"), ("ٱ", "ا"), ("ٲ", "ا"), ("ٳ", "ا"), ("ى", "ي"),
                         ("ی", "ي"), ("ئ", "ي"), ("ة", "ه"), ("ۀ", "ه"), ("ؤ", "و"), ("ک", "ك"), ("ڪ", "ك"))},
    **{chr(0x0660 + i): str(i) for i in range(10)}, **{chr(0x06F0 + i): str(i) for i in range(10)},
    **{chr(c): None for c in (*range(0x064B, 0x0660), 0x0670, 0x0640, *range(0x200B, 0x2010), 0xFEFF, 0x061C)},
})
_DIGIT = re.compile(r"\d")
_HIJRI_YEAR = re.compile(r"1[34]\d\d")


def fold_text(text: str) -> str:
    """Fold Arabic letters and digits as normalize_arabic does (marks gone), keeping punctuation and spaces."""
    return text.translate(_FOLD).lower()


def relative_line(text: str) -> bool:
    """True when a text is only a relative date («منذ ساعتين», «يوم أمس», «آخر تحديث: قبل 5 دقائق»)."""
    return len(text) <= 60 and bool(_RELATIVE_LINE.match(fold_text(text.strip())))


def parse_date(text: str, fetched_at: datetime, zone: str | None = None, *,
               fallback: bool = True) -> FoundDate | None:
    """The first date a string states, in any supported form; None when it states none.

    fetched_at is the instant relative dates count back from (the caller's clock, never read here).

    zone is the source's time zone: the day words, year-less dates and dateparser read the fetch time in
    it. A zone the text itself names («بتوقيت مكة», «GMT+3») makes a stated clock time aware."""
    text = (text or "").strip()
    if not text:
        return None
    return _parse_machine(text) or parse_human(text, fetched_at, zone, fallback=fallback)


def _parse_machine(text: str) -> FoundDate | None:
    """ISO 8601 and RFC 2822, as found in metadata."""
    if not text[:4].isdigit():
        return _parse_rfc(text)
    candidate = text.replace("Z", "+00:00") if text.endswith("Z") else text
    candidate = _ISO_TZ.sub(r"\1:\2", candidate)
    try:
        value = datetime.fromisoformat(candidate)
        return FoundDate(value, "T" in candidate or ":" in candidate[10:])
    except ValueError:
        return None


def _parse_rfc(text: str) -> FoundDate | None:
    if re.match(r"^[A-Za-z]{3},? ", text):
        try:
            return FoundDate(parsedate_to_datetime(text), True)
        except (TypeError, ValueError, IndexError):
            return None
    return None


def split_labelled(text: str) -> tuple[str, str | None]:
    """(the published part, the updated part) of a line giving both: «آخر تحديث: … نشر في: …»."""
    # fold letter by letter, remembering where each folded letter stood in the text as written
    letters, where = [], []
    for index, char in enumerate(text):
        for folded_char in fold_text(char):
            letters.append(folded_char)
            where.append(index)
    folded = "".join(letters)
    updated = _LABELS_UPDATED.search(folded)
    if not updated:
        return text, None
    published = None
    for match in _LABELS_PUBLISHED.finditer(folded):
        if not (updated.start() <= match.start() < updated.end()):
            published = match
            break
    if published is None:
        return "", text  # only an update
    p, u = where[published.start()], where[updated.start()]
    if p > u:
        return _trim(text[p:]), _trim(text[u:p])
    return _trim(text[p:u]), _trim(text[u:])


def _trim(text: str) -> str:
    return text.strip(" \t\n|-–—،,")


def parse_human(text: str, fetched_at: datetime, zone: str | None = None, *,
                fallback: bool = True) -> FoundDate | None:
    """A date written for readers: Arabic or numeric day, month, year with an optional clock time."""
    folded = _published_part(fold_text(text))
    found = _fast(folded, fetched_at, zone)
    if found is None and fallback and len(folded) <= 80 and _HINT.search(folded):
        found = _dateparser(folded, fetched_at, zone)
    if found is not None and found.has_time and found.value.tzinfo is None:
        named = named_zone(text) if ("توقيت" in folded or "gmt" in folded or "utc" in folded) else None
        if named:
            found = FoundDate(found.value.replace(tzinfo=get_zone(named)), True)
    return found


def _published_part(folded: str) -> str:
    """The «نشر في» part of a line that also gives «آخر تحديث», in whichever order; else the line."""
    if "تحديث" not in folded and "محدث" not in folded and "updated" not in folded and "modified" not in folded:
        return folded
    updated = _LABELS_UPDATED.search(folded)
    if not updated:
        return folded
    for match in _LABELS_PUBLISHED.finditer(folded):
        if match.start() >= updated.end():
            return folded[match.start():]
        if match.end() <= updated.start():
            return folded[match.start():updated.start()]
    return folded


def _local_now(fetched_at: datetime, zone: str | None) -> datetime:
    """The fetch time as a naive local time in the source's zone (UTC without one)."""
    return _local_time(fetched_at, zone)


@lru_cache(maxsize=64)
def _local_time(now: datetime, zone: str | None) -> datetime:
    if now.tzinfo is None:
        return now
    return now.astimezone(get_zone(zone) or UTC).replace(tzinfo=None)


def _fast(folded: str, fetched_at: datetime, zone: str | None) -> FoundDate | None:
    # each form is tried only when the words or digits it needs are there
    digits = _DIGIT.search(folded) is not None
    if digits:
        found = _find_gregorian(folded) or (_find_hijri(folded) if _HIJRI_YEAR.search(folded) else None)
        if found is not None:
            return _with_time(folded, *found)
    if digits or "منذ" in folded or "قبل" in folded or "الان" in folded:
        elapsed = _find_elapsed(folded, fetched_at)
        if elapsed is not None:
            return elapsed
    found = _find_day_month(folded, fetched_at, zone) if digits else None
    if found is None and ("امس" in folded or "اليوم" in folded or "البارحه" in folded):
        found = _find_day_word(folded, fetched_at, zone)
    if found is None and ("الماضي" in folded or "الفا" in folded or "المنصرم" in folded):
        found = _find_last_weekday(folded, fetched_at, zone)
    return _with_time(folded, *found) if found is not None else None


def _with_time(folded: str, day: date, span: tuple[int, int]) -> FoundDate:
    clock = _find_time(folded, *span)
    if clock is None:
        return FoundDate(datetime(day.year, day.month, day.day), False)
    return FoundDate(datetime(day.year, day.month, day.day, *clock), True)


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day) if 1900 < year < 2100 else None
    except ValueError:
        return None


def _find_gregorian(folded: str) -> tuple[date, tuple[int, int]] | None:
    """Earliest Gregorian date in folded text and its span."""
    hits: list[tuple[int, date, tuple[int, int]]] = []
    for match in _DMY.finditer(folded):
        value = _safe_date(int(match.group(3)), MONTHS[match.group(2)], int(match.group(1)))
        if value:
            hits.append((match.start(), value, match.span()))
            break
    for match in _MDY.finditer(folded):
        value = _safe_date(int(match.group(3)), MONTHS[match.group(1)], int(match.group(2)))
        if value:
            hits.append((match.start(), value, match.span()))
            break
    for match in _YMD.finditer(folded):
        value = _safe_date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        if value:
            hits.append((match.start(), value, match.span()))
            break
    for match in _DMY_NUM.finditer(folded):
        # Arabic pages write numeric dates day first; fall back to month first when the day is > 12.
        day, month = int(match.group(1)), int(match.group(2))
        value = _safe_date(int(match.group(3)), month, day) or _safe_date(int(match.group(3)), day, month)
        if value:
            hits.append((match.start(), value, match.span()))
            break
    if not hits:
        return None
    _, value, span = min(hits, key=lambda h: h[0])
    return value, span


def _find_hijri(folded: str) -> tuple[date, tuple[int, int]] | None:
    """A Hijri date: «12 رمضان 1445 هـ», «14-09-1432 هـ», «1445/03/12 هـ»."""
    match = _HIJRI.search(folded)
    if match:
        value = hijri_to_gregorian(int(match.group(3)), HIJRI_MONTHS[match.group(2)], int(match.group(1)))
        if value:
            return value, match.span()
    match = _HIJRI_DMY.search(folded)
    if match:
        value = hijri_to_gregorian(int(match.group(3)), int(match.group(2)), int(match.group(1)))
        if value:
            return value, match.span()
    match = _HIJRI_YMD.search(folded)
    if match:
        value = hijri_to_gregorian(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        if value:
            return value, match.span()
    return None


def _find_day_month(folded: str, fetched_at: datetime, zone: str | None
                    ) -> tuple[date, tuple[int, int]] | None:
    """A day and month without a year: the latest such day not after the fetch day."""
    match = _DM.search(folded)
    if not match:
        return None
    today = _local_now(fetched_at, zone).date()
    month, day = MONTHS[match.group(2)], int(match.group(1))
    for year in (today.year, today.year - 1, today.year - 2, today.year - 3, today.year - 4):
        value = _safe_date(year, month, day)
        if value and value <= today:
            return value, match.span()
    return None


def _find_day_word(folded: str, fetched_at: datetime, zone: str | None
                   ) -> tuple[date, tuple[int, int]] | None:
    """«اليوم», «أمس», «يوم أمس», «البارحة», «أول أمس»: a day counted back from the fetch day."""
    match = _DAY_WORDS.search(folded)
    if not match:
        return None
    # a day word is a date only as a whole dateline or beside a clock time: «اليوم» in a name or a
    # sentence («اليوم السابع», «أخبار اليوم») is not
    if not (_RELATIVE_LINE.match(folded) or _TIME.match(folded, match.end(), match.end() + 20)
            or _TIME_AFTER.match(folded, match.end())):
        return None
    word = match.group(1)
    back = 0 if word == "اليوم" else 1 if word in ("امس", "يوم امس", "البارحه") else 2
    return _local_now(fetched_at, zone).date() - timedelta(days=back), match.span()


def _find_last_weekday(folded: str, fetched_at: datetime, zone: str | None
                       ) -> tuple[date, tuple[int, int]] | None:
    match = _LAST_WEEKDAY.search(folded)
    if not match:
        return None
    today = _local_now(fetched_at, zone).date()
    back = (today.weekday() - _WEEKDAYS[match.group(1)]) % 7 or 7
    return today - timedelta(days=back), match.span()


def _find_time(folded: str, start: int, end: int) -> tuple[int, int, int] | None:
    """The clock time written just after (or else just before) a date."""
    windows = [(end, folded[end:end + 40]), (max(0, start - 30), folded[max(0, start - 30):start])]
    for _offset, window in windows:
        match = _TIME.search(window)
        if match:
            hour, minute = int(match.group(1)), int(match.group(2))
            second = int(match.group(3) or 0)
            marker = (match.group(4) or "").lower()
        else:
            match = _HOUR.search(window)
            if not match:
                continue
            hour, minute, second, marker = int(match.group(1)), 0, 0, match.group(2).lower()
        if marker in _PM and hour < 12:
            hour += 12
        elif marker in _AM and hour == 12:
            hour = 0
        elif marker == "ظهرا" and 1 <= hour <= 5:
            hour += 12  # «1:30 ظهراً» is 13:30; «11:45 ظهراً» stays before noon
        elif marker == "ليلا":
            hour = hour + 12 if 6 <= hour < 12 else 0 if hour == 12 else hour  # «10 ليلاً» 22, «2 ليلاً» 2
        if hour < 24 and minute < 60 and second < 60:
            return hour, minute, second
    return None


def _elapsed_parts(expression: str) -> tuple[int, int, bool] | None:
    """(seconds, months, to the minute) an elapsed expression states; None when a part has no count."""
    seconds = months = 0
    fine = False
    for number, unit, fraction in _ELAPSED_PART.findall(expression):
        kind, size, implied = _UNIT_WORDS[unit]
        if number:
            count: float = int(number) if number.isdigit() else _FRACTIONS.get(number) or _NUMBER_WORDS[number]
        else:
            count = implied
        if not count:
            return None  # «منذ ساعات», «منذ أيام»: no count, no date
        count += _FRACTIONS.get(fraction, 0)
        if kind == "m":
            months += int(count * size)
        else:
            seconds += int(count * size)
            fine = fine or size < _DAY or count != int(count)
    return seconds, months, fine


def _find_elapsed(folded: str, fetched_at: datetime) -> FoundDate | None:
    """«منذ 3 ساعات», «قبل يومين», «منذ ساعة و 5 دقائق»: an offset back from the fetch time."""
    if _JUST_NOW_LINE.match(folded):
        return FoundDate(fetched_at.replace(second=0, microsecond=0), True)
    match = _ELAPSED.search(folded) or _BARE_ELAPSED.match(folded)
    if not match:
        return None
    parts = _elapsed_parts(match.group(1))
    if parts is None:
        return None
    seconds, months, fine = parts
    value = fetched_at - timedelta(seconds=seconds)
    if months:
        value = _months_back(value, months)
    # an elapsed time is approximate: no fake precision below the minute
    return FoundDate(value.replace(second=0, microsecond=0), fine)


def _months_back(value: datetime, months: int) -> datetime:
    index = value.year * 12 + value.month - 1 - months
    year, month = divmod(index, 12)
    for day in (value.day, 30, 29, 28):
        try:
            return value.replace(year=year, month=month + 1, day=day)
        except ValueError:
            continue
    return value


# dateparser is imported on first use: it costs a second to load and most pages never need it.
@lru_cache(maxsize=1)
def _dateparser_module() -> Any:
    import dateparser

    return dateparser


def dateparser_settings(fetched_at: datetime, zone: str | None) -> dict[str, Any]:
    """The settings akhbar hands dateparser: the past preferred, relative to the fetch, in the zone."""
    return {"PREFER_DATES_FROM": "past", "RELATIVE_BASE": _local_now(fetched_at, zone),
            "TIMEZONE": zone or "UTC", "RETURN_AS_TIMEZONE_AWARE": True,
            "PARSERS": ["relative-time", "absolute-time"]}


def _dateparser(folded: str, fetched_at: datetime, zone: str | None) -> FoundDate | None:
    try:
        value = _dateparser_module().parse(folded, languages=["ar"],
                                           settings=dateparser_settings(fetched_at, zone))
    except (ValueError, TypeError, OverflowError, AttributeError):
        return None
    if value is None or not (1900 < value.year < 2100):
        return None
    relative = _RELATIVE_CUE.search(folded) is not None
    has_time = bool(_CLOCK_HINT.search(folded)) or bool(re.search(r"ساع|دقي|دقا|ثوان|ثاني", folded))
    if has_time:
        # a time counted back from the fetch is an instant; a stated clock time is local, like the
        # fast path's (naive: the page's zone is decided later)
        return FoundDate(value if relative else value.replace(tzinfo=None), True)
    return FoundDate(value.replace(tzinfo=None, hour=0, minute=0, second=0, microsecond=0), False)


def hijri_to_gregorian(year: int, month: int, day: int) -> date | None:
    """Convert a Hijri date by the Umm al-Qura calendar (hijridate); the arithmetic calendar outside
    its range (1343–1500 AH)."""
    if not (1 <= month <= 12 and 1 <= day <= 30):
        return None
    if 1343 <= year <= 1500:
        from hijridate import Hijri

        try:
            return Hijri(year, month, day).to_gregorian()
        except (ValueError, OverflowError):
            return None  # «30» of a 29-day month
    if day == 30:
        return None  # the month may not have a 30th day
    # Days from the Islamic epoch (16 July 622 Julian = JDN 1948440), then JDN → Gregorian.
    jdn = (day + int(29.5 * (month - 1) + 0.99) + (year - 1) * 354 + (3 + 11 * year) // 30 + 1948440 - 1)
    return date.fromordinal(jdn - 1721425)
