"""Write bench/dates_cases.tsv: date strings in the forms Arab outlets print, each with its expected value.

The strings are composed here from templates and word lists written for this benchmark (not taken from any
test suite); a fixed seed keeps the file stable. Expected values are computed with plain datetime
arithmetic, zoneinfo and hijridate's Umm al-Qura table, never with akhbar's parser.
Columns: form, zone, text, expected («D:YYYY-MM-DD» a day in the zone; «T:ISO» an instant to the minute).
Run: .venv/bin/python bench/dates_cases_make.py
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from hijridate import Gregorian

FETCHED = datetime.fromisoformat("2026-03-18T22:30:00+00:00")
OUT = Path(__file__).with_name("dates_cases.tsv")
ZONES = ["Africa/Cairo", "Asia/Riyadh", "Asia/Beirut", "Africa/Algiers", "Africa/Casablanca", "Asia/Baghdad",
         "Asia/Dubai", "Africa/Tunis", "Asia/Amman", "Asia/Damascus", "Asia/Kuwait", "Asia/Qatar", "Asia/Gaza",
         "Africa/Khartoum", "Asia/Muscat", "Africa/Tripoli", "Asia/Bahrain"]
GULF = [None, ["يناير"], ["فبراير"], ["مارس"], ["أبريل", "ابريل", "إبريل"], ["مايو"], ["يونيو", "يونيه"],
        ["يوليو", "يوليه"], ["أغسطس", "اغسطس"], ["سبتمبر"], ["أكتوبر", "اكتوبر"], ["نوفمبر"], ["ديسمبر"]]
LEVANT = [None, "كانون الثاني", "شباط", "آذار", "نيسان", "أيار", "حزيران", "تموز", "آب", "أيلول", "تشرين الأول",
          "تشرين الثاني", "كانون الأول"]
MAGHREB = [None, "جانفي", "فيفري", "مارس", "أفريل", "ماي", "جوان", "جويلية", "أوت", "سبتمبر", "أكتوبر",
           "نوفمبر", "ديسمبر"]
HIJRI = [None, "محرم", "صفر", "ربيع الأول", "ربيع الآخر", "جمادى الأولى", "جمادى الآخرة", "رجب", "شعبان",
         "رمضان", "شوال", "ذو القعدة", "ذو الحجة"]
WEEKDAYS = [["الاثنين", "الإثنين"], ["الثلاثاء"], ["الأربعاء", "الاربعاء"], ["الخميس"], ["الجمعة"], ["السبت"],
            ["الأحد", "الاحد"]]
INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
PERSIAN = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
rng = random.Random(1212)


def some_day() -> date:
    return date(2019, 1, 1) + timedelta(days=rng.randrange((date(2026, 3, 10) - date(2019, 1, 1)).days))


def weekday(day: date) -> str:
    return rng.choice(WEEKDAYS[day.weekday()])


def gulf(month: int) -> str:
    return rng.choice(GULF[month])


def clock(hour: int, minute: int) -> tuple[str, int]:
    """A 12-hour clock with ص/م or صباحاً/مساءً; returns the text and the 24-hour hour."""
    shown = hour % 12 or 12
    marker = rng.choice(["ص", "صباحاً", "صباحا"]) if hour < 12 else rng.choice(["م", "مساءً", "مساء"])
    return f"{shown}:{minute:02d} {marker}", hour


def local_now(zone: str) -> datetime:
    return FETCHED.astimezone(ZoneInfo(zone))


def day(value: date) -> str:
    return f"D:{value.isoformat()}"


def instant(value: date, hour: int, minute: int, zone: str) -> str:
    return "T:" + datetime(value.year, value.month, value.day, hour, minute, tzinfo=ZoneInfo(zone)).isoformat()


rows: list[tuple[str, str, str, str]] = []


def add(form: str, zone: str, text: str, expected: str) -> None:
    rows.append((form, zone, text, expected))


for i in range(22):  # numeric dates, day first, in several separators, some with a time
    d, z = some_day(), rng.choice(ZONES)
    sep = rng.choice(["/", "-", "."])
    if i % 3 == 0:
        h, m = rng.randrange(24), rng.randrange(60)
        add("numeric", z, f"{d.day:02d}{sep}{d.month:02d}{sep}{d.year} {h:02d}:{m:02d}", instant(d, h, m, z))
    elif i % 3 == 1:
        add("numeric", z, f"{d.year}{sep}{d.month:02d}{sep}{d.day:02d}", day(d))
    else:
        add("numeric", z, f"{weekday(d)} {d.day}{sep}{d.month}{sep}{d.year}", day(d))

for _ in range(24):  # Egyptian and Gulf month names
    d, z = some_day(), rng.choice(ZONES)
    text = rng.choice([f"{weekday(d)} {d.day} {gulf(d.month)} {d.year}", f"{d.day} {gulf(d.month)} {d.year}",
                       f"{weekday(d)}، {d.day:02d} {gulf(d.month)}، {d.year}", f"{gulf(d.month)} {d.day}, {d.year}"])
    add("named gulf/egypt", z, text, day(d))

for _ in range(22):  # Levantine / Iraqi month names
    d, z = some_day(), rng.choice(["Asia/Beirut", "Asia/Damascus", "Asia/Amman", "Asia/Baghdad", "Asia/Gaza"])
    text = rng.choice([f"{weekday(d)} {d.day} {LEVANT[d.month]} {d.year}", f"{d.day} {LEVANT[d.month]} {d.year}",
                       f"{weekday(d)}، {d.day} {LEVANT[d.month]}، {d.year}"])
    add("levantine", z, text, day(d))

for _ in range(22):  # Maghrebi month names
    d, z = some_day(), rng.choice(["Africa/Algiers", "Africa/Tunis", "Africa/Casablanca", "Africa/Tripoli"])
    text = rng.choice([f"{weekday(d)} {d.day} {MAGHREB[d.month]} {d.year}", f"{d.day} {MAGHREB[d.month]} {d.year}",
                       f"{d.day:02d} {MAGHREB[d.month]} {d.year}"])
    add("maghrebi", z, text, day(d))

for _ in range(18):  # both names together
    d, z = some_day(), rng.choice(ZONES)
    a, b = LEVANT[d.month], gulf(d.month)
    text = rng.choice([f"{d.day} {a}/{b} {d.year}", f"{d.day} {b} ({a}) {d.year}",
                       f"{weekday(d)} {d.day} {a} / {b} {d.year}"])
    add("combined names", z, text, day(d))

for _ in range(20):  # Hijri in digits with هـ
    d, z = some_day(), rng.choice(["Asia/Riyadh", "Asia/Kuwait", "Asia/Qatar", "Asia/Bahrain", "Asia/Muscat"])
    h = Gregorian(d.year, d.month, d.day).to_hijri()
    text = rng.choice([f"{h.day:02d}-{h.month:02d}-{h.year} هـ", f"{h.year}/{h.month:02d}/{h.day:02d} هـ",
                       f"{h.day}/{h.month}/{h.year}هـ", f"{h.year}/{h.month}/{h.day} هـ".translate(INDIC)])
    add("hijri numeric", z, text, day(d))

for _ in range(20):  # Hijri with month names
    d, z = some_day(), rng.choice(["Asia/Riyadh", "Asia/Kuwait", "Asia/Qatar", "Asia/Dubai", "Asia/Aden"])
    h = Gregorian(d.year, d.month, d.day).to_hijri()
    text = rng.choice([f"{h.day} {HIJRI[h.month]} {h.year} هـ", f"{weekday(d)} {h.day} {HIJRI[h.month]} {h.year}هـ",
                       f"{h.day} {HIJRI[h.month]} {h.year}"])
    add("hijri named", z, text, day(d))

for _ in range(24):  # day and month without a year: the latest such day not after the fetch
    z = rng.choice(ZONES)
    today = local_now(z).date()
    back = rng.randrange(0, 400)
    d = today - timedelta(days=back)
    month = rng.choice([gulf(d.month), LEVANT[d.month], MAGHREB[d.month]])
    text = rng.choice([f"{weekday(d)} {d.day} {month}", f"{d.day} {month}", f"{weekday(d)}، {d.day} {month}"])
    add("year-less", z, text, day(d))

DAY_WORDS = [("اليوم", 0), ("أمس", 1), ("يوم أمس", 1), ("البارحة", 1), ("أول أمس", 2), ("أول من أمس", 2)]
for i in range(22):  # day words, alone or with a time
    z = rng.choice(ZONES)
    word, back = rng.choice(DAY_WORDS)
    d = local_now(z).date() - timedelta(days=back)
    if i % 3 == 0 and back:
        hr, mn = rng.randrange(24), rng.randrange(60)
        shown, hr = clock(hr, mn)
        add("relative days", z, f"{word} {shown}", instant(d, hr, mn, z))
    else:
        add("relative days", z, word, day(d))

SINGULAR = [("دقيقة", timedelta(minutes=1), True), ("ساعة", timedelta(hours=1), True),
            ("يوم", timedelta(days=1), False), ("أسبوع", timedelta(weeks=1), False)]
DUAL = [("دقيقتين", timedelta(minutes=2), True), ("ساعتين", timedelta(hours=2), True),
        ("يومين", timedelta(days=2), False), ("أسبوعين", timedelta(weeks=2), False)]
PLURAL = [("دقائق", timedelta(minutes=1), True), ("ساعات", timedelta(hours=1), True),
          ("أيام", timedelta(days=1), False), ("أسابيع", timedelta(weeks=1), False)]


def elapsed(z: str, delta: timedelta, fine: bool) -> str:
    then = FETCHED - delta
    if fine:
        return "T:" + then.astimezone(ZoneInfo(z)).isoformat()
    return day(then.astimezone(ZoneInfo(z)).date())


for form, table in (("elapsed singular", SINGULAR), ("elapsed dual", DUAL)):
    for i in range(20):
        z = rng.choice(ZONES)
        unit, delta, fine = table[i % len(table)]
        add(form, z, f"{rng.choice(['منذ', 'قبل'])} {unit}", elapsed(z, delta, fine))
for i in range(24):
    z = rng.choice(ZONES)
    unit, delta, fine = PLURAL[i % len(PLURAL)]
    n = rng.randrange(3, 11)
    add("elapsed plural", z, f"{rng.choice(['منذ', 'قبل'])} {n} {unit}", elapsed(z, delta * n, fine))

for _ in range(18):  # compound elapsed times
    z = rng.choice(ZONES)
    hours, minutes = rng.randrange(1, 6), rng.randrange(1, 59)
    hour_word = {1: "ساعة", 2: "ساعتين"}.get(hours, f"{hours} ساعات")
    minute_word = f"{minutes} دقيقة" if minutes > 10 else f"{minutes} دقائق"
    text = rng.choice([f"منذ {hour_word} و{minute_word}", f"منذ {hour_word} و {minute_word}",
                       f"قبل {hour_word} و{minute_word}", f"{hours} ساعة و{minutes} دقيقة"])
    add("elapsed compound", z, text, elapsed(z, timedelta(hours=hours, minutes=minutes), True))

LABELS = ["نشر في:", "تاريخ النشر:", "نُشر بتاريخ", "نشر بتاريخ:", "نشر يوم", "تاريخ النشر"]
for _ in range(24):  # labels, with update stamps before or after the publication
    d, z = some_day(), rng.choice(ZONES)
    label = rng.choice(LABELS)
    body = rng.choice([f"{d.day} {gulf(d.month)} {d.year}", f"{weekday(d)} {d.day} {LEVANT[d.month]} {d.year}",
                       f"{d.day:02d}/{d.month:02d}/{d.year}"])
    later = d + timedelta(days=rng.randrange(1, 4))
    update = f"آخر تحديث: {later.day} {gulf(later.month)} {later.year}"
    text = rng.choice([f"{label} {body}", f"{update} {label} {body}", f"{label} {body} | {update}"])
    add("labels", z, text, day(d))

for _ in range(22):  # clock times with ص/م
    d, z = some_day(), rng.choice(ZONES)
    hr, mn = rng.randrange(24), rng.randrange(60)
    shown, hr = clock(hr, mn)
    text = rng.choice([f"{d.day} {gulf(d.month)} {d.year} - {shown}",
                       f"{weekday(d)} {d.day} {gulf(d.month)} {d.year} الساعة {shown}",
                       f"{d.day} {MAGHREB[d.month]} {d.year} على الساعة {hr:02d}:{mn:02d}",
                       f"{shown} {d.day} {LEVANT[d.month]} {d.year}"])
    add("time and am/pm", z, text, instant(d, hr, mn, z))

NAMED = [("بتوقيت القاهرة", "Africa/Cairo"), ("بتوقيت مكة المكرمة", "Asia/Riyadh"), ("بتوقيت مكة", "Asia/Riyadh"),
         ("بتوقيت غرينتش", "UTC"), ("بتوقيت جرينتش", "UTC"), ("GMT", "UTC"), ("GMT+3", "Etc/GMT-3"),
         ("بتوقيت بيروت", "Asia/Beirut"), ("بتوقيت أبوظبي", "Asia/Dubai"), ("بتوقيت الدوحة", "Asia/Qatar")]
for _ in range(22):  # a zone named in the text, which wins over the source's
    d, z = some_day(), rng.choice(ZONES)
    phrase, named = rng.choice(NAMED)
    hr, mn = rng.randrange(24), rng.randrange(60)
    text = f"{d.day} {gulf(d.month)} {d.year} {hr:02d}:{mn:02d} {phrase}"
    add("named zones", z, text, instant(d, hr, mn, named))

for i in range(22):  # Arabic-Indic and Persian digits
    d, z = some_day(), rng.choice(ZONES)
    table = INDIC if i % 4 else PERSIAN
    if i % 2:
        hr, mn = rng.randrange(24), rng.randrange(60)
        text = f"{d.day} {gulf(d.month)} {d.year} {hr:02d}:{mn:02d}".translate(table)
        add("eastern digits", z, text, instant(d, hr, mn, z))
    else:
        text = rng.choice([f"{d.day}/{d.month}/{d.year}", f"{weekday(d)} {d.day} {LEVANT[d.month]} {d.year}"])
        add("eastern digits", z, text.translate(table), day(d))

with OUT.open("w", encoding="utf-8") as out:
    out.write(f"# fetched_at\t{FETCHED.isoformat()}\n# form\tzone\ttext\texpected\n")
    for row in rows:
        out.write("\t".join(row) + "\n")
print(f"{len(rows)} cases → {OUT}")
