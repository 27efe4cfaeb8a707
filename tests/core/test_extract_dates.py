"""Date forms Arabic pages use, time zones, and the choice between a page's dates."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from workers.core.extract.dates import hijri_to_gregorian, parse_date
from workers.core.extract.pubdate import Candidate, choose_date, url_date
from workers.core.extract.zones import named_zone, publisher_zone

NOW = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize("text, expected, has_time", [
    ("2020-06-03T03:01+0400", "2020-06-03T03:01:00+04:00", True),
    ("2024-05-13T06:00:00Z", "2024-05-13T06:00:00+00:00", True),
    ("2020-12-01 02:00:00", "2020-12-01T02:00:00", True),
    ("Tue, 17 Mar 2020 17:27:41 GMT", "2020-03-17T17:27:41+00:00", True),
    ("الأربعاء، 07 أكتوبر 2020 - 12:09 م", "2020-10-07T12:09:00", True),
    ("الخميس 5 نوفمبر 2020 - 09:30 مساءً", "2020-11-05T21:30:00", True),
    ("25 ديسمبر 2020 | 2:01 ص", "2020-12-25T02:01:00", True),
    ("ديسمبر 25, 2020", "2020-12-25T00:00:00", False),
    ("5 كانون الثاني 2021", "2021-01-05T00:00:00", False),
    ("الثلاثاء 17 آذار/مارس 2020 الساعة 10:30 مساءً", "2020-03-17T22:30:00", True),
    ("14 تشرين الأول 2019", "2019-10-14T00:00:00", False),
    ("الجمعة ٨ فيفري ٢٠١٩", "2019-02-08T00:00:00", False),
    ("3 جوان 2021", "2021-06-03T00:00:00", False),
    ("1 جويلية 2022 على 14:05", "2022-07-01T14:05:00", True),
    ("12 أوت 2023", "2023-08-12T00:00:00", False),
    ("٢٠٢٠/١٢/٢٥ - ١:٥٩ صباحًا", "2020-12-25T01:59:00", True),
    ("25-12-2020", "2020-12-25T00:00:00", False),
    ("15 رمضان 1445 هـ", "2024-03-25T00:00:00", False),
    ("منذ 3 ساعات", "2024-06-01T09:00:00+00:00", True),
    ("منذ ساعتين", "2024-06-01T10:00:00+00:00", True),
    ("قبل 5 دقائق", "2024-06-01T11:55:00+00:00", True),
    ("منذ يومين", "2024-05-30T12:00:00+00:00", False),
])
def test_parse_date_forms(text, expected, has_time):
    found = parse_date(text, NOW)
    assert found is not None
    assert found.value == datetime.fromisoformat(expected)
    assert found.has_time is has_time


@pytest.mark.parametrize("text", ["", "لا تاريخ هنا", "العدد 1234", "31 فبراير 2020", "منذ فترة"])
def test_no_date(text):
    assert parse_date(text, NOW) is None


@pytest.mark.parametrize("hijri, gregorian", [
    ((1445, 9, 1), "2024-03-11"), ((1446, 1, 1), "2024-07-07"), ((1444, 10, 1), "2023-04-21"),
])
def test_hijri_conversion_within_a_day(hijri, gregorian):
    converted = hijri_to_gregorian(*hijri)
    assert abs((converted - datetime.fromisoformat(gregorian).date()).days) <= 1


@pytest.mark.parametrize("text, zone", [
    ("نشر في 10:00 بتوقيت القاهرة", "Africa/Cairo"), ("8:45 مساءً بتوقيت مكة المكرمة", "Asia/Riyadh"),
    ("بتوقيت أبوظبي", "Asia/Dubai"), ("بتوقيت بيروت", "Asia/Beirut"), ("بتوقيت غرينتش", "UTC"),
    ("17:27 GMT", "UTC"), ("GMT+3", "Etc/GMT-3"), ("لا منطقة", None),
])
def test_named_zone(text, zone):
    assert named_zone(text) == zone


@pytest.mark.parametrize("url, locale, zone", [
    ("https://www.example.eg/a", None, "Africa/Cairo"), ("https://news.example.com.sa/a", None, "Asia/Riyadh"),
    ("https://www.example.ae/a", None, "Asia/Dubai"), ("https://example.com/a", "ar_EG", "Africa/Cairo"),
    ("https://example.com/a", "ar_AR", None), ("https://example.com/a", None, None),
])
def test_publisher_zone(url, locale, zone):
    assert publisher_zone(url, locale) == zone


@pytest.mark.parametrize("url, expected", [
    ("http://arabic.example.com/2013/middle_east/8/3/syria/index.html", "2013-08-03"),
    ("https://www.example.com/story/2020/8/24/title/4943459", "2020-08-24"),
    ("https://www.example.ae/across/2020-06-03-1.3874341", "2020-06-03"),
    ("https://example.com/arab_world/202003171044893040-title/", "2020-03-17"),
    ("https://example.com/article/825076-title", None),
])
def test_url_date(url, expected):
    found = url_date(url)
    assert (found.value.date().isoformat() if found else None) == expected


def test_choose_date_majority_beats_single_wrong_metadata():
    wrong = Candidate(datetime(2015, 1, 1, tzinfo=UTC), True, 3)
    meta = Candidate(datetime(2022, 7, 19, 20, 5, tzinfo=timezone(timedelta(hours=3))), True, 3)
    url = Candidate(datetime(2022, 7, 19), False, 2.5)
    assert choose_date([wrong, meta, url], None).date().isoformat() == "2022-07-19"


def test_choose_date_reads_naive_times_in_the_zone():
    naive = Candidate(datetime(2020, 12, 25, 1, 59), True, 1.5)
    chosen = choose_date([naive], "Africa/Cairo")
    assert chosen.isoformat() == "2020-12-25T01:59:00+02:00"


def test_choose_date_borrows_the_pages_own_offset():
    aware = Candidate(datetime(2020, 12, 24, 23, 59, 50, tzinfo=UTC), True, 3)
    local = Candidate(datetime(2020, 12, 25, 1, 59, 50, tzinfo=timezone(timedelta(hours=2))), True, 3)
    assert choose_date([aware, local], None).date().isoformat() == "2020-12-25"


def test_choose_date_empty_is_none():
    assert choose_date([], "UTC") is None
