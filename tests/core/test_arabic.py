"""Arabic matching normalisation, kicker removal and per-source site-suffix learning, as tables."""

from __future__ import annotations

import pytest

from workers.core.arabic import (
    learn_site_prefix,
    learn_site_suffix,
    normalize_arabic,
    strip_kickers,
    strip_marks,
    strip_site_affix,
)


@pytest.mark.parametrize(("raw", "folded"), [
    ("أحمد", "احمد"), ("إسلام", "اسلام"), ("آمال", "امال"), ("ٱلقمر", "القمر"),  # alef forms
    ("مستشفى", "مستشفي"),  # alef maqsura
    ("مدرسة", "مدرسه"),  # taa marbuta
    ("مؤتمر", "موتمر"), ("رئيس", "رييس"),  # hamza on waw / yaa
    ("مُدَرِّسَةٌ", "مدرسه"),  # harakat
    ("جميـــل", "جميل"),  # tatweel
    ("عام ٢٠٢٤", "عام 2024"), ("رقم ۱۲۳", "رقم 123"),  # Arabic-Indic and Persian digits
    ("قال: «نعم»، ثم ذهب.", "قال نعم ثم ذهب"),  # punctuation to spaces
    ("\u200fنص\u200e", "نص"),  # bidi marks
])
def test_normalize_arabic(raw: str, folded: str) -> None:
    assert normalize_arabic(raw) == folded


def test_strip_marks_keeps_letters() -> None:
    assert strip_marks("أَحْمَد") == "أحمد"


@pytest.mark.parametrize(("title", "expected"), [
    ("عاجل: انفجار في المرفأ", "انفجار في المرفأ"),
    ("عاجل | انفجار في المرفأ", "انفجار في المرفأ"),
    ("بالفيديو.. حريق في السوق", "حريق في السوق"),
    ("بالفيديو حريق في السوق", "حريق في السوق"),
    ("فيديو | حريق في السوق", "حريق في السوق"),
    ("شاهد.. حريق في السوق", "حريق في السوق"),
    ("صور: حريق في السوق", "حريق في السوق"),
    ("«عاجل» حريق في السوق", "حريق في السوق"),
    ("عاجل: فيديو | حريق في السوق", "حريق في السوق"),
    ("شاهد العيان يروي ما حدث", "شاهد العيان يروي ما حدث"),  # a word, not a tag
    ("صور", "صور"),  # nothing would be left
])
def test_strip_kickers(title: str, expected: str) -> None:
    assert strip_kickers(title) == expected


def test_learns_recurring_site_suffix() -> None:
    titles = [f"خبر رقم {i} عن المدينة - صحيفة النهار" for i in range(6)] + ["لقاء بين الوزيرين"]
    assert learn_site_suffix(titles) == " - صحيفة النهار"
    assert strip_site_affix(titles[0], suffix=" - صحيفة النهار") == "خبر رقم 0 عن المدينة"


def test_real_x_dash_y_headlines_are_never_cut() -> None:
    titles = ["مصر - السودان: اتفاق على الحدود", "الأهلي - الزمالك: موعد المباراة",
              "ليبيا - تونس: فتح المعبر", "زيارة الرئيس إلى عمان"]
    assert learn_site_suffix(titles) is None
    assert strip_site_affix("مصر - السودان", suffix=" - صحيفة النهار") == "مصر - السودان"


def test_learns_recurring_prefix_and_keeps_lone_affix() -> None:
    titles = [f"عام / افتتاح المعرض رقم {i}" for i in range(4)]
    assert learn_site_prefix(titles) == "عام / "
    assert strip_site_affix("عام / ", prefix="عام / ") == "عام /"  # nothing would be left
