"""Which PostgreSQL text-search configuration to index Arabic with: 'simple' or the bundled 'arabic'.

A small labelled set (ARTICLES, QUERIES below, written for this: each query lists the articles a reader
means by it, judged by hand: the same word in another inflection counts, a different word sharing letters
does not) is searched on PostgreSQL five ways, and recall and precision are averaged over the queries:

  simple / stemmed     to_tsvector('simple', terms): workers/core/search_terms.py's light stemming (chosen)
  arabic / stemmed     to_tsvector('arabic', terms): Snowball's Arabic stemmer over the same stemmed terms
  arabic / folded      to_tsvector('arabic', folded text): Snowball alone, over normalize_arabic's folding
  arabic / as written  to_tsvector('arabic', text without diacritics): Snowball alone, on its own spelling
  simple / folded      to_tsvector('simple', folded text): no stemming at all (the old LIKE's whole words)

Run: .venv/bin/python bench/search_quality.py [--pg-url URL]   (a temporary schema; nothing is kept)

Measured 2026-12-05 on PostgreSQL 15.20 (21 queries, 24 articles, 35 relevant pairs):

  configuration        recall  precision  F1    missed  wrong
  simple / stemmed       1.00       1.00  1.00       0      0
  arabic / stemmed       1.00       1.00  1.00       0      0
  arabic / folded        0.75       1.00  0.86      10      0
  arabic / as written    0.79       1.00  0.88       8      0
  simple / folded        0.44       1.00  0.61      22      0

Read with care: the set is small and was written by the stemmer's author, so the perfect row says the
stemmer does what it was built for, not that it is perfect. What it does show: PostgreSQL's 'arabic'
configuration (Snowball's light stemmer, no stop words in 15.x) finds nothing more over our terms (over
the 231 words of bench/store_scale.py's vocabulary and 25 look-alikes it merges none of our 220 stems:
identical index), and alone it misses forms ours joins: «والمفاوضات» → «والمفاوضا» (و+ال not taken off,
ات cut to ا), so «مفاوضات» does not find it. 'simple' is kept: the same results, one stemmer (Python) for
both stores and for queries (SQLite's FTS5 has no Arabic stemmer), and a PostgreSQL upgrade that changes
Snowball cannot make stored vectors and new queries disagree.
"""

from __future__ import annotations

import argparse
import os
import sys
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

PG_BASE = os.environ.get("AKHBAR_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")

ARTICLES = {
    1: "استؤنفت المفاوضات بين الطرفين في الدوحة وسط تفاؤل حذر",
    2: "قال الوسيط إن للمفاوضات جولة جديدة الأسبوع المقبل",
    3: "تعثر التفاوض حول الحدود بعد رفض المقترح الأخير",
    4: "وزير التعليم يفتتح مدرسة جديدة في الريف",
    5: "الطلاب يعودون إلى مدارسهم بعد العطلة الصيفية",
    6: "دراسة جديدة عن تلوث المياه في المدينة",
    7: "افتتاح مكتب جديد للسفارة في العاصمة",
    8: "الكاتب الفلسطيني يفوز بجائزة الرواية العربية",
    9: "الفلسطينيون يحيون ذكرى النكبة في غزة والضفة",
    10: "لبنان يستقبل وفدا من البنك الدولي لبحث الأزمة",
    11: "ارتفاع أسعار اللبن والحليب في الأسواق المحلية",
    12: "اللبنانيون ينتظرون تشكيل الحكومة الجديدة",
    13: "الحكومة تقر الموازنة العامة للعام المقبل",
    14: "حكومتها الجديدة تواجه احتجاجات في الشارع",
    15: "الانتخابات البلدية تنطلق غدا في عدة محافظات",
    16: "لجنة الانتخاب تعلن النتائج الأولية",
    17: "المنتخب الوطني يتأهل إلى نهائي البطولة",
    18: "وزراء الخارجية العرب يجتمعون في القاهرة",
    19: "الوزير يزور المستشفى الجديد ويلتقي الأطباء",
    20: "الأمطار الغزيرة تغلق الطرق في الجنوب",
    21: "مطار المدينة يعلق رحلاته بسبب العاصفة",
    22: "اتفاقية تجارية بين البلدين لتعزيز الاستثمار",
    23: "الاتفاق النووي يعود إلى طاولة البحث",
    24: "المتفقون على الخطة يوقعون البيان الختامي",
}
# query → the articles a reader means by it
QUERIES = {
    "مفاوضات": {1, 2},
    "المفاوضات": {1, 2},
    "مدرسة": {4},
    "المدارس": {5},
    "دراسة": {6},
    "مكتب": {7},
    "الكاتب": {8},
    "فلسطيني": {8, 9},
    "لبنان": {10, 12},
    "اللبن": {11},
    "الحكومة": {12, 13, 14},
    "انتخابات": {15, 16},
    "بالانتخابات": {15, 16},
    "الوزير": {4, 19},
    "للحكومة": {12, 13, 14},
    "مدرستهم": {4},
    "الفلسطينيين": {8, 9},
    "والمطار": {21},
    "وزراء": {18},
    "اتفاقية": {22, 23},
    "الاتفاق": {22, 23},
}

VARIANTS = {
    "simple / stemmed": ("simple", "stemmed"),
    "arabic / stemmed": ("arabic", "stemmed"),
    "arabic / folded": ("arabic", "folded"),
    "arabic / as written": ("arabic", "raw"),
    "simple / folded": ("simple", "folded"),
}


def _text(text: str, form: str) -> str:
    from workers.core.arabic import normalize_arabic, strip_marks
    from workers.core.search_terms import terms

    if form == "stemmed":
        return " ".join(terms(text))
    return normalize_arabic(text) if form == "folded" else strip_marks(text)


def measure(pg_url: str) -> dict[str, tuple[float, float, int, int]]:
    """(recall, precision, missed, wrong) averaged over QUERIES, for each variant."""
    import psycopg

    schema = f"akhbar_sq_{uuid.uuid4().hex[:8]}"
    out: dict[str, tuple[float, float, int, int]] = {}
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
        try:
            conn.execute(f"SET search_path TO {schema}")
            conn.execute("CREATE TABLE docs (id int, cfg text, form text, v tsvector)")
            for name, (cfg, form) in VARIANTS.items():
                for doc_id, body in ARTICLES.items():
                    conn.execute("INSERT INTO docs VALUES (%s, %s, %s, to_tsvector(%s::regconfig, %s))",
                                 (doc_id, cfg, form, cfg, _text(body, form)))
                recall = precision = 0.0
                missed = wrong = 0
                for query, relevant in QUERIES.items():
                    words = _text(query, form).split()
                    found = {r[0] for r in conn.execute(  # plainto_tsquery ANDs the words, as the store does
                        "SELECT id FROM docs WHERE cfg = %s AND form = %s AND v @@ "
                        "plainto_tsquery(%s::regconfig, %s)", (cfg, form, cfg, " ".join(words)))}
                    recall += len(found & relevant) / len(relevant)
                    precision += len(found & relevant) / len(found) if found else 1.0
                    missed += len(relevant - found)
                    wrong += len(found - relevant)
                out[name] = (recall / len(QUERIES), precision / len(QUERIES), missed, wrong)
        finally:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pg-url", default=PG_BASE)
    args = ap.parse_args()
    relevant = sum(len(r) for r in QUERIES.values())
    print(f"{len(QUERIES)} queries, {len(ARTICLES)} articles, {relevant} relevant pairs")
    print(f"{'configuration':<20} recall  precision  F1    missed  wrong")
    for name, (recall, precision, missed, wrong) in measure(args.pg_url).items():
        f1 = 2 * recall * precision / (recall + precision) if recall + precision else 0.0
        print(f"{name:<20} {recall:6.2f}  {precision:9.2f}  {f1:4.2f}  {missed:6}  {wrong:5}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
