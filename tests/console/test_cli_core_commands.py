"""`akhbar extract` and `akhbar dedupe-pairs`: the interfaces other tools call, through the real console script."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "pages"
AKHBAR = [sys.executable, "-m", "console"]


def akhbar(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([*AKHBAR, *args], input=stdin, capture_output=True, timeout=120)


def test_extract_one_page_prints_the_article_json() -> None:
    page = FIXTURES / "seed_aggregator.html"
    result = akhbar("extract", str(page), "--url", "https://agg.example/news/1")
    assert result.returncode == 0, result.stderr
    article = json.loads(result.stdout)
    assert article["schema_version"] == 1 and article["url"] == "https://agg.example/news/1"
    assert article["title"] and article["body"] and article["original_source"]


def test_extract_reads_stdin() -> None:
    result = akhbar("extract", "-", "--url", "https://agg.example/n/2",
                    stdin=(FIXTURES / "seed_aggregator.html").read_bytes())
    assert result.returncode == 0 and json.loads(result.stdout)["title"]


def test_extract_several_pages_prints_json_lines_with_their_path() -> None:
    pages = sorted(FIXTURES.glob("*.html"))[:3]
    result = akhbar("extract", *map(str, pages))
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["path"] for line in lines] == [str(p) for p in pages]
    assert all("title" in line or "error" in line for line in lines)


def test_dedupe_pairs_prints_the_pipeline_decision(tmp_path: Path) -> None:
    from workers.core.dedupe import decide_pair

    body = ("أعلنت وزارة المياه بدء التشغيل التجريبي لمحطة جديدة لتحلية مياه البحر تنتج ثلاثين ألف متر مكعب "
            "يومياً وتخدم ثلاث بلدات ساحلية يقطنها نحو مئة ألف نسمة، وقال الوزير إن المحطة تعمل بالطاقة الشمسية.")
    pairs = [
        {"a": {"title": "تشغيل محطة تحلية جديدة تخدم ثلاث بلدات", "body": body},
         "b": {"title": "محطة تحلية جديدة تبدأ الضخ لثلاث بلدات على الساحل", "body": body}},
        {"a": {"title": "أسعار الذهب اليوم الأحد", "body": "سجل سعر الذهب عيار 21 اليوم 3100 جنيه للغرام."},
         "b": {"title": "أسعار الذهب اليوم الاثنين", "body": "سجل سعر الذهب عيار 21 اليوم 3185 جنيه للغرام."}},
    ]
    file = tmp_path / "pairs.jsonl"
    file.write_text("\n".join(json.dumps(p, ensure_ascii=False) for p in pairs), encoding="utf-8")
    result = akhbar("dedupe-pairs", str(file))
    assert result.returncode == 0, result.stderr
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["duplicate"] for o in out] == [decide_pair(p["a"], p["b"])[0] for p in pairs]
    assert out[0]["duplicate"] is True and out[1]["duplicate"] is False
    assert all(isinstance(o["score"], float) for o in out)
    assert all(set(o) == {"duplicate", "score"} for o in out)  # DESIGN.md's output, unless asked for more
    explained = [json.loads(line) for line in akhbar("dedupe-pairs", "--explain", str(file)).stdout.splitlines()]
    assert [{k: o[k] for k in ("duplicate", "score")} for o in explained] == out
    assert [o["rule"] for o in explained] == ["shared copy", "headlines differ, no body to compare"]  # (short bodies)


def test_dedupe_pairs_skips_blank_lines(tmp_path: Path) -> None:
    pair = {"a": {"title": "عنوان الخبر الأول", "body": "نص"}, "b": {"title": "عنوان الخبر الأول", "body": "نص"}}
    file = tmp_path / "pairs.jsonl"
    file.write_text("\n" + json.dumps(pair, ensure_ascii=False) + "\n\n", encoding="utf-8")
    result = akhbar("dedupe-pairs", str(file))
    assert result.returncode == 0 and result.stderr == b"", result.stderr
    assert len(result.stdout.splitlines()) == 1


def test_dedupe_pairs_names_the_bad_line(tmp_path: Path) -> None:
    file = tmp_path / "bad.jsonl"
    file.write_text('{"a": {"title": "x", "body": "y"}}\n', encoding="utf-8")
    result = akhbar("dedupe-pairs", str(file))
    assert result.returncode == 1 and b"bad.jsonl:1" in result.stderr
