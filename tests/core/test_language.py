"""Language detection from the text (issue 12, item 6): script share, then the bundled py3langid model; the
declared language only breaks ties on text too short to read. Every text here is invented."""

from __future__ import annotations

import pytest

from workers.core.extract.language import detect_language

CASES = [
    # Arabic: headlines, a body sentence, Gulf spellings, text with Latin names in it
    ("ar", "وزير الخارجية: لا تفاوض قبل وقف إطلاق النار", None),
    ("ar", "ارتفاع أسعار الذهب في الأسواق المحلية", None),
    ("ar", "الحكومة تعلن خطة جديدة لدعم المزارعين في الصعيد", "en"),
    ("ar", "انطلاق فعاليات معرض الكتاب بمشاركة واسعة من دور النشر", None),
    ("ar", "مصرع شخصين في حادث سير على الطريق الدولي", None),
    ("ar", "أعلنت شركة Apple عن هاتف iPhone الجديد خلال مؤتمرها السنوي في كاليفورنيا بحضور آلاف المطورين", None),
    ("ar", "قال المدير التنفيذي لمنظمة WHO إن الوضع الصحي مستقر", "en-US"),
    ("ar", "البنك المركزي يبقي أسعار الفائدة دون تغيير للمرة الثالثة على التوالي", "fr"),
    ("ar", "عاجل", None),
    ("ar", "٢٠٢٦", "ar"),
    # Persian and Urdu: the same script, other languages
    ("fa", "وزیر امور خارجه گفت که مذاکرات ادامه خواهد داشت", None),
    ("fa", "قیمت دلار در بازار تهران کاهش یافت", "ar"),
    ("fa", "بارش برف در استان‌های شمالی کشور ادامه دارد", None),
    ("fa", "تیم ملی فوتبال ایران به جام جهانی صعود کرد", None),
    ("ur", "وزیر اعظم نے پارلیمنٹ سے خطاب کیا", None),
    ("ur", "کراچی میں بارش سے کئی علاقے زیر آب آ گئے", "ar"),
    ("ur", "حکومت نے نئی تعلیمی پالیسی کا اعلان کر دیا ہے", None),
    # Latin-script languages
    ("en", "Foreign minister says no talks before ceasefire", None),
    ("en", "Government announces new plan to support farmers in the south", "ar"),
    ("en", "The central bank kept interest rates unchanged for the third time in a row", None),
    ("fr", "Le ministre des affaires étrangères refuse toute négociation", None),
    ("fr", "Hausse des prix de l'or sur les marchés locaux", "ar"),
    ("fr", "Le gouvernement annonce un nouveau plan pour les agriculteurs du Sud", None),
    ("es", "El gobierno anuncia un nuevo plan para apoyar a los agricultores", None),
    ("de", "Die Regierung kündigt einen neuen Plan zur Unterstützung der Landwirte an", None),
    ("tr", "Hükümet çiftçilere destek için yeni bir plan açıkladı", None),
    # too little to read: the script, then the declaration
    ("en", "OK", None),
    ("fr", "Oui", "fr-FR"),
    ("ar", "", None),
    ("ar", "123 456", None),
]


@pytest.mark.parametrize(("expected", "text", "declared"), CASES)
def test_language_of_text(expected: str, text: str, declared: str | None) -> None:
    assert detect_language(text, declared) == expected


def test_declared_language_never_overrides_a_readable_text() -> None:
    body = "أكدت وزارة الصحة في بيان اليوم أن حملة التطعيم ستشمل جميع المحافظات خلال الأسبوعين المقبلين. " * 3
    assert detect_language(body, "en") == "ar"
    assert detect_language("The ministry said the vaccination campaign covers every province. " * 3, "ar") == "en"


def test_long_text_is_read_from_a_sample() -> None:
    text = "أكدت وزارة الصحة أن الحملة مستمرة. " * 2000 + "The end."
    assert detect_language(text) == "ar"


def test_a_paragraph_in_the_arabic_alphabet_alone_is_arabic_without_the_model(monkeypatch: pytest.MonkeyPatch) -> None:
    from workers.core.extract import language

    def no_model(text: str, script: str) -> tuple[str, float]:
        raise AssertionError("the model was asked")

    monkeypatch.setattr(language, "_best", no_model)
    body = "أكدت وزارة الصحة في بيان اليوم أن حملة التطعيم ستشمل جميع المحافظات خلال الأسبوعين المقبلين."
    assert detect_language(body * 2) == "ar"


@pytest.mark.parametrize("text", [
    # Persian typed on an Arabic keyboard (ي and ك), no letter outside the Arabic alphabet but its گ
    "وزير امور خارجه گفت كه مذاكرات با طرف مقابل ادامه خواهد داشت و نتيجه آن به زودي اعلام ميشود. " * 2,
    # Persian with an Arabic loanword's ة: still read by the model, its letters say Persian
    "رئيس جمهور در جلسة امروز گفت که دولت برنامه جدیدی برای کمک به کشاورزان در نظر گرفته است. " * 2,
    # Urdu
    "وزیر اعظم نے پارلیمنٹ سے خطاب کرتے ہوئے کہا کہ حکومت نئی تعلیمی پالیسی کا اعلان جلد کرے گی۔ " * 2,
])
def test_other_languages_of_the_script_still_reach_the_model(text: str) -> None:
    assert detect_language(text) in {"fa", "ur"}
