"""Which time zone a page's local times are in: the zone it names, the source's, or its country's."""

from __future__ import annotations

import re
from datetime import datetime, tzinfo
from functools import lru_cache
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from workers.core.arabic import normalize_arabic

# «بتوقيت X»: the city or country named, folded with normalize_arabic.
_NAMED = {normalize_arabic(k): v for k, v in {
    "القاهرة": "Africa/Cairo", "مصر": "Africa/Cairo", "مكة": "Asia/Riyadh", "مكة المكرمة": "Asia/Riyadh",
    "الرياض": "Asia/Riyadh", "السعودية": "Asia/Riyadh", "أبوظبي": "Asia/Dubai", "أبو ظبي": "Asia/Dubai",
    "دبي": "Asia/Dubai", "الإمارات": "Asia/Dubai", "بيروت": "Asia/Beirut", "لبنان": "Asia/Beirut",
    "عمان": "Asia/Amman", "الأردن": "Asia/Amman", "الدوحة": "Asia/Qatar", "قطر": "Asia/Qatar",
    "الكويت": "Asia/Kuwait", "المنامة": "Asia/Bahrain", "البحرين": "Asia/Bahrain", "مسقط": "Asia/Muscat",
    "بغداد": "Asia/Baghdad", "العراق": "Asia/Baghdad", "دمشق": "Asia/Damascus", "سوريا": "Asia/Damascus",
    "القدس": "Asia/Jerusalem", "فلسطين": "Asia/Gaza", "غزة": "Asia/Gaza", "تونس": "Africa/Tunis",
    "الجزائر": "Africa/Algiers", "الرباط": "Africa/Casablanca", "المغرب": "Africa/Casablanca",
    "طرابلس": "Africa/Tripoli", "ليبيا": "Africa/Tripoli", "الخرطوم": "Africa/Khartoum",
    "السودان": "Africa/Khartoum", "صنعاء": "Asia/Aden", "اليمن": "Asia/Aden", "نواكشوط": "Africa/Nouakchott",
    "موسكو": "Europe/Moscow", "غرينتش": "UTC", "جرينتش": "UTC", "غرينيتش": "UTC", "العالمي": "UTC",
    "جدة": "Asia/Riyadh", "الدار البيضاء": "Africa/Casablanca", "المنامه": "Asia/Bahrain",
    "إسطنبول": "Europe/Istanbul", "اسطنبول": "Europe/Istanbul", "أنقرة": "Europe/Istanbul",
    "تركيا": "Europe/Istanbul", "طهران": "Asia/Tehran", "إيران": "Asia/Tehran", "لندن": "Europe/London",
    "باريس": "Europe/Paris", "برلين": "Europe/Berlin", "نيويورك": "America/New_York",
    "واشنطن": "America/New_York",
}.items()}
# Country code (TLD or og:locale region) → the zone its press writes local times in.
_COUNTRY = {"eg": "Africa/Cairo", "sa": "Asia/Riyadh", "ae": "Asia/Dubai", "jo": "Asia/Amman",
            "lb": "Asia/Beirut", "qa": "Asia/Qatar", "kw": "Asia/Kuwait", "bh": "Asia/Bahrain",
            "om": "Asia/Muscat", "iq": "Asia/Baghdad", "sy": "Asia/Damascus", "ps": "Asia/Gaza",
            "tn": "Africa/Tunis", "dz": "Africa/Algiers", "ma": "Africa/Casablanca", "ly": "Africa/Tripoli",
            "sd": "Africa/Khartoum", "ye": "Asia/Aden", "mr": "Africa/Nouakchott"}
_TAWQIT = re.compile(r"(?<!\w)(?:ب|حسب\s+)?توقيت\s+(\S+(?:\s+\S+)?)")
_UTC_WORDS = re.compile(r"\b(GMT|UTC)\b\s*([+-]\s*\d{1,2})?", re.I)


def named_zone(text: str) -> str | None:
    """The zone a text names, as in «بتوقيت القاهرة» or «GMT+3»; None when it names none."""
    folded = normalize_arabic(text)
    for match in _TAWQIT.finditer(folded):
        words = match.group(1).split()
        for size in (2, 1):
            zone = _NAMED.get(" ".join(words[:size]))
            if zone:
                return zone
    utc = _UTC_WORDS.search(text)
    if utc:
        if utc.group(2):
            hours = int(utc.group(2).replace(" ", ""))
            return f"Etc/GMT{-hours:+d}" if hours else "UTC"
        return "UTC"
    return None


def publisher_zone(url: str, locale: str | None = None) -> str | None:
    """The publisher's usual zone where the page makes it clear: its country TLD, else og:locale (ar_EG)."""
    host = (urlsplit(url).hostname or "").lower()
    tld = host.rsplit(".", 1)[-1]
    if tld in _COUNTRY:
        return _COUNTRY[tld]
    if locale:
        region = re.split(r"[_-]", locale.strip().lower())[-1]
        if region in _COUNTRY:
            return _COUNTRY[region]
    return None


@lru_cache(maxsize=256)
def get_zone(name: str | None) -> tzinfo | None:
    """ZoneInfo for an IANA name, or None when the name is empty or unknown."""
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def settle(value: datetime, zone: tzinfo | None) -> datetime:
    """Make a datetime aware: read naive local times in zone (UTC without one), show aware ones in zone."""
    if value.tzinfo is None:
        return value.replace(tzinfo=zone or ZoneInfo("UTC"))
    return value.astimezone(zone) if zone else value
