"""The semantic stage's pure rules: which headline pairs it judges, and which neighbours it links."""

from __future__ import annotations

import numpy as np
import pytest

from workers.core import semantic
from workers.core.semantic import Candidate, comparable, same_story


@pytest.mark.parametrize(("a", "b", "expected"), [
    # headlines in other words: the stage's to judge
    ("الكويت تسجل أعلى درجة حرارة في العالم هذا الصيف", "الكويت الأشد حرارة عالميا خلال الصيف الحالي", True),
    # the same words in another order (a role swap) or near-identical wording: the lexical stage's
    ("مصر تستدعي سفير إثيوبيا", "إثيوبيا تستدعي سفير مصر", False),
    ("هذا اليوم في التاريخ", "هذا اليوم في التاريخ", False),
    ("تطبيقات الأسبوع", "تطبيقات الاسبوع", False),  # identical once folded
    # figures both state disagree: another day's report
    ("مؤشر البورصة يغلق مرتفعا 0.5 بالمئة", "البورصة ترتفع 1.2 في المئة عند الإغلاق", False),
    ("حصيلة قتلى سيول السودان تصل إلى ٨٠", "ارتفاع عدد ضحايا الفيضانات في السودان إلى 80 قتيلا", True),
    ("", "خبر", False),
])
def test_comparable_headlines(a: str, b: str, expected: bool) -> None:
    assert comparable(a, b) is expected
    assert comparable(b, a) is expected


@pytest.mark.parametrize(("a", "b"), [
    ("الدولار يقفز أمام اليورو في تعاملات الصباح", "العملة الأمريكية تهبط مقابل اليورو صباحا"),  # direction
    ("افتتاح معرض الكتاب بمشاركة ناشرين من عشرين دولة", "اختتام فعاليات معرض الكتاب وسط إقبال الزوار"),  # phase
    ("الوزارة تنفي إغلاق المدارس بسبب موجة البرد", "إغلاق المدارس بسبب موجة البرد القارسة غدا"),  # a denial
    ("تراجع معدل التضخم السنوي خلال مايو", "معدل التضخم السنوي يتراجع في يونيو"),  # another month
])
def test_what_the_lexical_stage_tells_apart_is_not_linked(a: str, b: str) -> None:
    """An embedding scores up and down, opening and closing, a denial and the event alike: the signals the lexical
    decision tells headlines apart by keep such pairs from the stage (and only they do, here)."""
    assert not comparable(a, b) and not comparable(b, a)
    assert comparable(a, b, lexical=False) and comparable(b, a, lexical=False)


def unit(*values: float) -> np.ndarray:
    v = np.array(values, dtype=np.float32)
    return v / np.linalg.norm(v)


def test_same_story_links_close_neighbours_outside_its_cluster_closest_first() -> None:
    me = unit(1, 0, 0)
    candidates = [
        Candidate("near", "c1", "الأشد حرارة عالميا خلال الصيف", unit(1, 0.05, 0)),
        Candidate("nearer", "c2", "درجات حرارة قياسية في الكويت", unit(1, 0.01, 0)),
        Candidate("far", "c3", "مباراة كرة قدم في الدوري", unit(1, 1, 0)),
        Candidate("clustered", "mine", "الكويت أعلى حرارة هذا الصيف عالميا", unit(1, 0, 0)),
        Candidate("swap", "c4", "الكويت تسجل أعلى درجة حرارة في العالم هذا الصيف", unit(1, 0, 0)),
    ]
    found = same_story("الكويت تسجل أعلى درجة حرارة في العالم هذا الصيف", me, "mine", candidates)
    assert [i for i, _ in found] == ["nearer", "near"]  # not far, not its own cluster, not the same wording
    assert all(score >= semantic.THRESHOLD for _, score in found)
    assert same_story("x y", me, None, []) == []


def test_vectors_round_trip_exactly() -> None:
    v = unit(0.3, -0.2, 0.9)
    assert np.array_equal(semantic.unpack(semantic.pack(v)), v)
