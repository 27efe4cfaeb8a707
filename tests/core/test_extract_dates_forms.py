"""Every date form Arabic outlets print, table by table, as of one fetch (14 May 2025, 10:45 in Riyadh);
the «آخر تحديث» before «نشر في» page; and `akhbar extract --fetched-at … --timezone …`."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import lxml.html
import pytest

from tests.conftest import ROOT
from workers.core.extract import extract_article
from workers.core.extract.body import _is_date_line
from workers.core.extract.dates import hijri_to_gregorian, parse_date, relative_line, split_labelled
from workers.core.extract.pubdate import visible_dates

FETCHED = datetime(2025, 5, 14, 7, 45, tzinfo=UTC)  # a Wednesday, 10:45 in Riyadh
ZONE = "Asia/Riyadh"
FIXTURES = Path(__file__).parents[1] / "fixtures" / "dates"

# (text, expected, has_time): an expected value with an offset is an instant, without one a local time.
FORMS = {
    "hijri numeric": [
        ("03-07-1446 هـ", "2025-01-03T00:00", False),
        ("١٤٤٤/١١/٢٠ هـ", "2023-06-09T00:00", False),
        ("1443.05.01هـ", "2021-12-05T00:00", False),
    ],
    "hijri named": [
        ("5 شوال 1446 هـ", "2025-04-03T00:00", False),
        ("الأحد 17 ذو الحجة 1445هـ", "2024-06-23T00:00", False),
        ("٩ ربيع الأول ١٤٤٦ هـ", "2024-09-12T00:00", False),
    ],
    "year-less": [
        ("الإثنين 12 مايو", "2025-05-12T00:00", False),
        ("20 حزيران", "2024-06-20T00:00", False),
        ("الجمعة، 2 أيار", "2025-05-02T00:00", False),
        ("14 ماي", "2025-05-14T00:00", False),
        ("15 ماي", "2024-05-15T00:00", False),
        ("3 أوت 10:15", "2024-08-03T10:15", True),
    ],
    "day words": [
        ("أمس", "2025-05-13T00:00", False),
        ("يوم أمس", "2025-05-13T00:00", False),
        ("البارحة", "2025-05-13T00:00", False),
        ("أول أمس", "2025-05-12T00:00", False),
        ("أول من أمس", "2025-05-12T00:00", False),
        ("اليوم", "2025-05-14T00:00", False),
        ("أمس الساعة 9:20 م", "2025-05-13T21:20", True),
    ],
    "elapsed": [
        ("منذ دقيقة", "2025-05-14T07:44+00:00", True),
        ("منذ دقيقتين", "2025-05-14T07:43+00:00", True),
        ("قبل 7 دقائق", "2025-05-14T07:38+00:00", True),
        ("منذ ساعة", "2025-05-14T06:45+00:00", True),
        ("قبل ساعتين", "2025-05-14T05:45+00:00", True),
        ("منذ 4 ساعات", "2025-05-14T03:45+00:00", True),
        ("منذ ثلاث ساعات", "2025-05-14T04:45+00:00", True),
        ("قبل يوم", "2025-05-13T07:45+00:00", False),
        ("منذ 3 أيام", "2025-05-11T07:45+00:00", False),
        ("قبل أسبوع", "2025-05-07T07:45+00:00", False),
        ("قبل أسبوعين", "2025-04-30T07:45+00:00", False),
        ("منذ 5 أسابيع", "2025-04-09T07:45+00:00", False),
        ("قبل شهر", "2025-04-14T07:45+00:00", False),
    ],
    "compound elapsed": [
        ("منذ ساعتين و 10 دقائق", "2025-05-14T05:35+00:00", True),
        ("2 ساعة و15 دقيقة", "2025-05-14T05:30+00:00", True),
        ("5 ساعات مضت", "2025-05-14T02:45+00:00", True),
        ("قبل يوم و3 ساعات", "2025-05-13T04:45+00:00", True),
    ],
    "approximate, fractional and abbreviated elapsed": [
        ("منذ حوالي 6 ساعات", "2025-05-14T01:45+00:00", True),
        ("قبل نحو ساعتين", "2025-05-14T05:45+00:00", True),
        ("منذ أكثر من ساعة", "2025-05-14T06:45+00:00", True),
        ("منذ ساعة ونصف", "2025-05-14T06:15+00:00", True),
        ("قبل نصف ساعة", "2025-05-14T07:15+00:00", True),
        ("منذ ربع ساعة", "2025-05-14T07:30+00:00", True),
        ("منذ 12 د", "2025-05-14T07:33+00:00", True),
        ("منذ عشرين دقيقة", "2025-05-14T07:25+00:00", True),
        ("قبل 5 س", "2025-05-14T02:45+00:00", True),
    ],
    "just now and last weekday": [
        ("الآن", "2025-05-14T07:45+00:00", True),
        ("منذ قليل", "2025-05-14T07:45+00:00", True),
        ("قبل لحظات", "2025-05-14T07:45+00:00", True),
        ("الاثنين الماضي", "2025-05-12T00:00", False),
        ("يوم الأربعاء الماضي", "2025-05-07T00:00", False),
    ],
    "levantine": [
        ("11 كانون الأول 2024 - 8:05 م", "2024-12-11T20:05", True),
        ("28 أيلول 2023", "2023-09-28T00:00", False),
        ("الاثنين 1 نيسان 2024", "2024-04-01T00:00", False),
        ("7 تموز 2022", "2022-07-07T00:00", False),
    ],
    "maghrebi": [
        ("19 جانفي 2025", "2025-01-19T00:00", False),
        ("6 فيفري 2024 على الساعة 14:30", "2024-02-06T14:30", True),
        ("22 أفريل 2023", "2023-04-22T00:00", False),
        ("30 جوان 2022", "2022-06-30T00:00", False),
        ("9 جويلية 2024", "2024-07-09T00:00", False),
        ("25 أوت 2021", "2021-08-25T00:00", False),
    ],
    "egyptian and gulf": [
        ("الأحد 6 يونيه 2024", "2024-06-06T00:00", False),
        ("17 يوليه 2023", "2023-07-17T00:00", False),
        ("2 ابريل 2025 02:10 ص", "2025-04-02T02:10", True),
        ("8 أغسطس 2024", "2024-08-08T00:00", False),
        ("12 اكتوبر 2022", "2022-10-12T00:00", False),
    ],
    "combined names": [
        ("4 آب/أغسطس 2024", "2024-08-04T00:00", False),
        ("16 آذار (مارس) 2023", "2023-03-16T00:00", False),
    ],
    "digits": [
        ("09:40 الأحد 7 / 4 / 2024", "2024-04-07T09:40", True),
        ("2024 / 04 / 07", "2024-04-07T00:00", False),
        ("٢٣ أكتوبر ٢٠٢٤ ٠٩:١٥ م", "2024-10-23T21:15", True),
        ("۱۲ نوفمبر ۲۰۲۴", "2024-11-12T00:00", False),
    ],
    "am and pm": [
        ("3 مارس 2025 الساعة 7:40 صباحاً", "2025-03-03T07:40", True),
        ("3 مارس 2025 الساعة 7:40 مساءً", "2025-03-03T19:40", True),
        ("12:15 ص 3 مارس 2025", "2025-03-03T00:15", True),
        ("4 مارس 2025 الساعة 1:30 ظهراً", "2025-03-04T13:30", True),
        ("4 مارس 2025 الساعة 11:50 ظهراً", "2025-03-04T11:50", True),
        ("4 مارس 2025 الساعة 10:05 ليلاً", "2025-03-04T22:05", True),
        ("4 مارس 2025 الساعة 2:05 ليلاً", "2025-03-04T02:05", True),
        ("4 مارس 2025 - 10 مساءً", "2025-03-04T22:00", True),
        ("أمس الساعة 8 صباحاً", "2025-05-13T08:00", True),
    ],
    "labels": [
        ("نشر في: 10 يناير 2025", "2025-01-10T00:00", False),
        ("نشر في 21 من شهر ديسمبر 2024", "2024-12-21T00:00", False),
        ("تاريخ النشر: 2024/11/03 - 13:00", "2024-11-03T13:00", True),
        ("نُشر بتاريخ 5 مايو 2025", "2025-05-05T00:00", False),
        ("نشر: منذ 20 دقيقة", "2025-05-14T07:25+00:00", True),
    ],
    "named zones": [
        ("9 فبراير 2025 10:00 ص بتوقيت مكة", "2025-02-09T07:00+00:00", True),
        ("9 فبراير 2025 10:00 بتوقيت غرينتش", "2025-02-09T10:00+00:00", True),
        ("9 فبراير 2025 10:00 GMT+2", "2025-02-09T08:00+00:00", True),
        ("9 فبراير 2025 10:00 بتوقيت القاهرة", "2025-02-09T08:00+00:00", True),
        ("9 فبراير 2025 10:00 (توقيت إسطنبول)", "2025-02-09T07:00+00:00", True),
        ("9 فبراير 2025 10:00 حسب توقيت الدار البيضاء", "2025-02-09T09:00+00:00", True),
    ],
}


@pytest.mark.parametrize("text, expected, has_time",
                         [case for cases in FORMS.values() for case in cases],
                         ids=[f"{form}:{case[0]}" for form, cases in FORMS.items() for case in cases])
def test_date_form(text, expected, has_time):
    found = parse_date(text, FETCHED, ZONE)
    assert found is not None, text
    want = datetime.fromisoformat(expected)
    if want.tzinfo is None:
        assert found.value.replace(tzinfo=None) == want
    else:
        assert found.value.tzinfo is not None and found.value == want
    assert found.has_time is has_time


def test_three_weeks_back_does_not_raise():
    """«قبل 3 أسابيع» used to raise StopIteration: the plural unit had no entry."""
    found = parse_date("قبل 3 أسابيع", FETCHED)
    assert found is not None and found.value == datetime(2025, 4, 23, 7, 45, tzinfo=UTC)


@pytest.mark.parametrize("text", ["اليوم السابع", "أخبار اليوم", "قبل الانتخابات", "منذ ساعات", "منذ أيام",
                                  "العدد 1445", "31 حزيران 2024", "الطبعة 12 من المعرض",
                                  "قبل 3 دول", "الآن وقد انتهت الحرب", "الماضي القريب", "منذ ساعات طويلة",
                                  "4 دقائق", "3 دقائق للقراءة", "3 تعليقات", "الجمعة | 5 صور", "منذ 2011",
                                  "الحلقة 12"])
def test_not_a_date(text):
    assert parse_date(text, FETCHED, ZONE) is None


def test_hijri_is_umm_al_qura():
    # 1 Ramadan 1446 was Saturday 1 March 2025 by Umm al-Qura (the tabular calendar says 2 March)
    assert str(hijri_to_gregorian(1446, 9, 1)) == "2025-03-01"
    assert hijri_to_gregorian(1446, 13, 1) is None
    assert hijri_to_gregorian(1446, 9, 30) is None  # Ramadan 1446 had 29 days by Umm al-Qura


def test_dateparser_takes_what_the_fast_path_leaves():
    assert parse_date("الأسبوع الماضي", FETCHED, ZONE, fallback=False) is None  # no fast-path form
    found = parse_date("الأسبوع الماضي", FETCHED, ZONE)  # dateparser: a week before the fetch day
    assert found is not None and found.value == datetime(2025, 5, 7) and not found.has_time
    found = parse_date("الأحد 3 آذار/مارس 2024 9:10", FETCHED, ZONE)
    assert found is not None and found.value == datetime(2024, 3, 3, 9, 10)  # fast path, naive local


@pytest.mark.parametrize("text, published, updated", [
    ("آخر تحديث: 9 آذار 2025 16:20 نشر في: 8 آذار 2025 11:05", "نشر في: 8 آذار 2025 11:05",
     "آخر تحديث: 9 آذار 2025 16:20"),
    ("نُشر في: 8 آذار 2025 | آخر تحديث: 9 آذار 2025", "نُشر في: 8 آذار 2025", "آخر تحديث: 9 آذار 2025"),
    ("آخر تحديث: منذ ساعة", "", "آخر تحديث: منذ ساعة"),
    ("الأحد 9 آذار 2025", "الأحد 9 آذار 2025", None),
])
def test_split_labelled(text, published, updated):
    assert split_labelled(text) == (published, updated)


@pytest.mark.parametrize("text, expected", [
    ("منذ ساعتين", True), ("نشر في: قبل أسبوع", True), ("تم النشر منذ ساعة", True), ("أضيف منذ يومين", True),
    ("آخر تحديث: أمس 10:30 م", True), ("اليوم", True),
    ("اليوم السابع", False), ("قبل أن يصل الوفد", False), ("منذ بداية الأزمة", False),
])
def test_relative_line(text, expected):
    assert relative_line(text) is expected


def test_visible_dates_take_relative_lines_without_a_digit():
    scope = lxml.html.fromstring('<div><span class="post-date">منذ ساعتين</span>'
                                 '<div class="meta">اليوم السابع</div><div class="date">قبل أن يصل</div></div>')
    assert visible_dates(scope) == ["منذ ساعتين"]


def test_body_date_lines_without_a_digit():
    assert _is_date_line("منذ 3 ساعات", ["منذ", "3", "ساعات"], FETCHED)
    assert _is_date_line("يوم أمس", ["يوم", "امس"], FETCHED)
    assert not _is_date_line("اليوم السابع", ["اليوم", "السابع"], FETCHED)


def test_update_before_published_on_the_page():
    body = (FIXTURES / "update_before_published.html").read_bytes()
    article = extract_article(body, "https://bawaba.example/local/desal-plant", {}, timezone="Asia/Beirut",
                              fetched_at=datetime(2025, 3, 10, 8, 0, tzinfo=UTC))
    assert article.published_at == datetime.fromisoformat("2025-03-08T11:05:00+02:00")
    assert article.updated_at == datetime.fromisoformat("2025-03-09T16:20:00+02:00")


def test_cli_extract_reads_a_relative_date_as_of_its_fetch():
    result = subprocess.run(
        [sys.executable, "-m", "console", "extract", str(FIXTURES / "relative_date.html"),
         "--url", "https://nafitha.example/weather/rain", "--fetched-at", "2026-01-20T09:30:00Z",
         "--timezone", "Asia/Amman"], cwd=ROOT, capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    article = json.loads(result.stdout)
    assert article["published_at"] == "2026-01-20T10:30:00+03:00"  # 09:30Z less two hours, in Amman
    assert article["fetched_at"] == "2026-01-20T09:30:00+00:00"


@pytest.mark.parametrize("args, message", [(["--fetched-at", "yesterday"], "--fetched-at"),
                                           (["--timezone", "Mars/Base"], "--timezone")])
def test_cli_extract_refuses_a_bad_time_or_zone(args, message):
    result = subprocess.run(
        [sys.executable, "-m", "console", "extract", str(FIXTURES / "relative_date.html"),
         "--url", "https://nafitha.example/weather/rain", *args],
        cwd=ROOT, capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 2 and message in result.stderr


def test_relative_date_without_a_digit_between_headline_and_text():
    """A header line such as «<div class="info">منذ ساعتين</div>» (no date class, no digit) is read."""
    paragraphs = "".join(
        f"<p>{text}</p>" for text in (
            "أعلنت بلدية المدينة القديمة عن خطة لترميم الأسواق التاريخية خلال العامين المقبلين، بكلفة تقارب "
            "عشرين مليون دولار تمولها منحة دولية وقرض ميسر.",
            "وقال رئيس البلدية في مؤتمر صحافي إن الأعمال ستبدأ بسوق النحاسين، على أن تبقى المحال مفتوحة "
            "طوال فترة الترميم قدر الإمكان.",
            "وأضاف أن الخطة تشمل تجديد شبكات الصرف والكهرباء، وإعادة تبليط الممرات بالحجر المحلي، وتركيب "
            "إنارة تحافظ على الطابع التاريخي للأسواق.",
            "ورحب تجار السوق بالمشروع، لكنهم طالبوا بتعويضات عن أي خسائر قد تلحق بهم خلال فترة الأعمال.",
        ))
    page = ('<html lang="ar"><head><meta charset="utf-8"><title>خطة لترميم الأسواق التاريخية</title></head><body>'
            '<div class="wrap"><h1>خطة لترميم الأسواق التاريخية</h1><div class="info">منذ ساعتين</div>'
            f'<div class="text">{paragraphs}</div></div></body></html>')
    article = extract_article(page.encode(), "https://madina.example/news/souks", {}, timezone="Asia/Amman",
                              fetched_at=datetime(2025, 11, 2, 9, 0, tzinfo=UTC))
    assert article.published_at == datetime.fromisoformat("2025-11-02T10:00:00+03:00")
    assert "منذ ساعتين" not in article.body
