"""Parse the date forms Arabic news pages use: ISO, RFC 2822, Arabic month names (both systems and
Maghrebi), Arabic-Indic digits, ص/م, relative «منذ 3 ساعات», and Hijri dates."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from email.utils import parsedate_to_datetime

from workers.core.arabic import normalize_arabic


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
    2: ("فبراير", "شباط", "فيفري", "فبرير", "february", "feb"),
    3: ("مارس", "آذار", "march", "mar"),
    4: ("أبريل", "إبريل", "نيسان", "أفريل", "ابريل", "april", "apr"),
    5: ("مايو", "أيار", "ماي", "may"),
    6: ("يونيو", "يونيه", "حزيران", "جوان", "june", "jun"),
    7: ("يوليو", "يوليه", "تموز", "جويلية", "يوليوز", "july", "jul"),
    8: ("أغسطس", "آب", "أوت", "غشت", "august", "aug"),
    9: ("سبتمبر", "أيلول", "شتنبر", "september", "sep", "sept"),
    10: ("أكتوبر", "تشرين الأول", "اكتوبر", "october", "oct"),
    11: ("نوفمبر", "تشرين الثاني", "نونبر", "november", "nov"),
    12: ("ديسمبر", "كانون الأول", "دجنبر", "december", "dec"),
})
HIJRI_MONTHS = _fold_map({
    1: ("محرم",), 2: ("صفر",), 3: ("ربيع الأول", "ربيع الاول"), 4: ("ربيع الآخر", "ربيع الثاني"),
    5: ("جمادى الأولى", "جمادى الأول"), 6: ("جمادى الآخرة", "جمادى الثانية", "جمادى الآخر"), 7: ("رجب",),
    8: ("شعبان",), 9: ("رمضان",), 10: ("شوال",), 11: ("ذو القعدة", "ذي القعدة"), 12: ("ذو الحجة", "ذي الحجة"),
})


def _alternation(names: dict[str, int]) -> str:
    return "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))


_M = _alternation(MONTHS)
_H = _alternation(HIJRI_MONTHS)
_SEP = r"\s*[-/.,،\s]\s*"
_DMY = re.compile(rf"(?<!\d)(\d{{1,2}}){_SEP}({_M})(?:\s*[/(-]\s*({_M})\s*\)?)?{_SEP}(\d{{4}})(?!\d)", re.I)
_MDY = re.compile(rf"(?<![\w])({_M}){_SEP}(\d{{1,2}}){_SEP}(\d{{4}})(?!\d)", re.I)
_YMD = re.compile(r"(?<!\d)(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)")
_DMY_NUM = re.compile(r"(?<![\d/])(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(?!\d)")
_HIJRI = re.compile(rf"(?<!\d)(\d{{1,2}})\s+({_H})\s+(1[34]\d\d)(?!\d)")
_TIME = re.compile(r"(?<![\d:])(\d{1,2}):(\d{2})(?::(\d{2}))?(?!\d)\s*(صباحا|مساء|مساءا|ظهرا|عصرا|فجرا|ليلا|ص|م|am|pm)?"
                   r"(?![\w])", re.I)
_PM = {"م", "مساء", "مساءا", "عصرا", "ليلا", "pm"}
_AM = {"ص", "صباحا", "فجرا", "am"}
_RELATIVE_UNITS = ("ثانيه", "ثانيتين", "ثواني", "ثوان", "دقيقه", "دقيقتين", "دقايق", "دقائق", "ساعه", "ساعتين",
                   "ساعات", "يوم", "يومين", "ايام", "اسبوع", "اسبوعين", "اسابيع", "شهر", "شهرين", "اشهر", "شهور")
# Longest first, so «يومين» (two days) is not read as «يوم» (one day).
_RELATIVE = re.compile(r"(?:منذ|قبل)\s+(\d+\s+)?(" + "|".join(sorted(_RELATIVE_UNITS, key=len, reverse=True)) + ")")
_UNITS = {"ثاني": 1, "دقي": 60, "دقا": 60, "ساع": 3600, "يوم": 86400, "ايا": 86400, "اسب": 604800,
          "شهر": 2592000, "اشه": 2592000}
_ARABIC_RUN = re.compile("[\u0621-\u065f\u0660-\u0669\u0670-\u06d3\u06f0-\u06f9]+")
_ISO_TZ = re.compile(r"([+-]\d{2})(\d{2})$")


def fold_text(text: str) -> str:
    """Fold each Arabic word with normalize_arabic (digits to ASCII, marks gone), keeping punctuation."""
    return _ARABIC_RUN.sub(lambda m: normalize_arabic(m.group()), text).lower()


def parse_date(text: str, fetched_at: datetime | None = None) -> FoundDate | None:
    """The first date a string states, in any supported form; None when it states none."""
    text = (text or "").strip()
    if not text:
        return None
    return _parse_machine(text) or parse_human(text, fetched_at)


def _parse_machine(text: str) -> FoundDate | None:
    """ISO 8601 and RFC 2822, as found in metadata."""
    candidate = text.replace("Z", "+00:00") if text.endswith("Z") else text
    candidate = _ISO_TZ.sub(r"\1:\2", candidate)
    try:
        value = datetime.fromisoformat(candidate)
        return FoundDate(value, "T" in candidate or ":" in candidate[10:])
    except ValueError:
        pass
    if re.match(r"^[A-Za-z]{3},? ", text):
        try:
            return FoundDate(parsedate_to_datetime(text), True)
        except (TypeError, ValueError, IndexError):
            return None
    return None


def parse_human(text: str, fetched_at: datetime | None = None) -> FoundDate | None:
    """A date written for readers: Arabic or numeric day, month, year with an optional clock time."""
    folded = fold_text(text)
    found = _find_gregorian(folded)
    if found is None:
        found = _find_hijri(folded)
        if found is None:
            return _find_relative(folded, fetched_at)
    day, (start, end) = found
    clock = _find_time(folded, start, end)
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
        value = _safe_date(int(match.group(4)), MONTHS[match.group(2)], int(match.group(1)))
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
    match = _HIJRI.search(folded)
    if not match:
        return None
    value = hijri_to_gregorian(int(match.group(3)), HIJRI_MONTHS[match.group(2)], int(match.group(1)))
    return (value, match.span()) if value else None


def _find_time(folded: str, start: int, end: int) -> tuple[int, int, int] | None:
    """The clock time written just after (or else just before) a date."""
    windows = [(end, folded[end:end + 40]), (max(0, start - 30), folded[max(0, start - 30):start])]
    for _offset, window in windows:
        match = _TIME.search(window)
        if match:
            hour, minute = int(match.group(1)), int(match.group(2))
            second = int(match.group(3) or 0)
            marker = (match.group(4) or "").lower()
            if marker in _PM and hour < 12:
                hour += 12
            elif marker in _AM and hour == 12:
                hour = 0
            if hour < 24 and minute < 60 and second < 60:
                return hour, minute, second
    return None


def _find_relative(folded: str, fetched_at: datetime | None) -> FoundDate | None:
    """«منذ 3 ساعات», «قبل يومين»: an offset back from the fetch time."""
    match = _RELATIVE.search(folded)
    if not match or fetched_at is None:
        return None
    unit = match.group(2)
    count = int(match.group(1)) if match.group(1) else (2 if unit.endswith("ين") else 1)
    seconds = next(v for k, v in _UNITS.items() if unit.startswith(k))
    # «منذ 3 ساعات» is approximate: no fake precision below the minute
    value = (fetched_at - timedelta(seconds=count * seconds)).replace(second=0, microsecond=0)
    return FoundDate(value, unit[:3] not in ("يوم", "ايا", "شهر", "اشه"))


def hijri_to_gregorian(year: int, month: int, day: int) -> date | None:
    """Convert a Hijri date by the arithmetic (tabular) calendar; within a day or two of Umm al-Qura."""
    if not (1 <= month <= 12 and 1 <= day <= 30):
        return None
    # Days from the Islamic epoch (16 July 622 Julian = JDN 1948440), then JDN → Gregorian.
    jdn = (day + int(29.5 * (month - 1) + 0.99) + (year - 1) * 354 + (3 + 11 * year) // 30 + 1948440 - 1)
    return date.fromordinal(jdn - 1721425)
