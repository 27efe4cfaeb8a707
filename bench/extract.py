"""Benchmark extraction against the shared Arabic corpus: ours vs trafilatura vs readability-lxml; then per page
structure over tests/fixtures/structures (akhbar beside trafilatura in the same run), checked against a stored
per-structure baseline so a rule added for one structure cannot silently lower another.

Usage: .venv/bin/python bench/extract.py [--repeat N] [--quiet] [--structures-only] [--check] [--update-baseline]
The corpus part skips cleanly when ../shared/corpus/extraction is absent. --check exits 1 when any structure is
worse than bench/extract_structures_baseline.json by more than 0.002 (body F1, titles, dates, tags) or leaks more;
--update-baseline rewrites that file from this run.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import unicodedata
import warnings
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from workers.core.arabic import normalize_arabic, strip_marks  # noqa: E402
from workers.core.extract.language import load_model  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus" / "extraction"
STRUCTURES = ROOT / "tests" / "fixtures" / "structures"
BASELINE = Path(__file__).resolve().parent / "extract_structures_baseline.json"
TOLERANCE = 0.002
FIXED_FETCH = datetime.fromisoformat("2026-02-01T00:00:00+00:00")


def tokens(text: str) -> list[str]:
    """Tokens for body F1: NFKC, diacritics and tatweel removed, split on white space."""
    return strip_marks(unicodedata.normalize("NFKC", text or "")).split()


def f1(predicted: list[str], truth: list[str]) -> float:
    """Multiset token F1."""
    if not predicted and not truth:
        return 1.0
    common = sum((Counter(predicted) & Counter(truth)).values())
    if not common:
        return 0.0
    precision, recall = common / len(predicted), common / len(truth)
    return 2 * precision * recall / (precision + recall)


def same_space(text: str | None) -> str:
    return " ".join((text or "").split())


def date_matches(value: Any, truth: str) -> bool:
    """On the day when the truth gives a day; within a minute when it gives a time."""
    if value is None:
        return False
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return False
    if len(truth) <= 10:
        day = value.date() if isinstance(value, datetime) else value
        return day == date.fromisoformat(truth)
    expected = datetime.fromisoformat(truth.replace("Z", "+00:00"))
    if not isinstance(value, datetime):
        return False
    if expected.tzinfo and value.tzinfo:
        return abs((value - expected).total_seconds()) <= 60
    return abs((value.replace(tzinfo=None) - expected.replace(tzinfo=None)).total_seconds()) <= 60


def author_matches(names: list[str], truth: str) -> bool:
    wanted = normalize_arabic(truth)
    folded = [normalize_arabic(n) for n in names]
    return wanted in folded or wanted == " ".join(folded)


def tags_f1(predicted: list[str], truth: list[str]) -> float:
    p = {normalize_arabic(t) for t in predicted if t.strip()}
    t = {normalize_arabic(x) for x in truth}
    if not p and not t:
        return 1.0
    common = len(p & t)
    if not common:
        return 0.0
    return 2 * common / (len(p) + len(t))


@dataclass
class Result:
    """One extractor's output for one page, reduced to what is scored."""

    body: str = ""
    title: str = ""
    published: Any = None
    authors: list[str] = field(default_factory=list)
    tags: list[str] | None = None  # None: the extractor does not report tags
    error: str = ""


def run_ours(raw: bytes, url: str) -> Result:
    from workers.core.arabic import forget_folds
    from workers.core.errors import ExtractError
    from workers.core.extract import extract_article
    from workers.core.urls import canonicalize

    # each timed run starts without the texts and URLs it folded on the run before: the best of N runs must not
    # be a run that found this page's own texts in a cache (what one site's pages share would be fair)
    forget_folds()
    canonicalize.cache_clear()
    try:
        article = extract_article(raw, url, fetched_at=FIXED_FETCH)
    except ExtractError as exc:
        return Result(error=str(exc))
    return Result(article.body, article.title, article.published_at, article.authors, article.tags)


def run_trafilatura(raw: bytes, url: str) -> Result:
    import trafilatura

    doc = trafilatura.bare_extraction(raw, url=url, with_metadata=True)
    if doc is None:
        return Result(error="no result")
    data = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    authors = [a.strip() for a in (data.get("author") or "").replace(";", ",").split(",") if a.strip()]
    raw_tags = data.get("tags") or []
    if isinstance(raw_tags, str):
        raw_tags = raw_tags.split(",")
    tags = [t.strip() for t in raw_tags if t and t.strip()]
    return Result(data.get("text") or "", data.get("title") or "", data.get("date"), authors, tags)


def run_readability(raw: bytes, url: str) -> Result:
    import lxml.html
    from readability import Document

    doc = Document(raw, url=url)
    summary = doc.summary(html_partial=True)
    tree = lxml.html.fragment_fromstring(summary, create_parent="div")
    paragraphs = [same_space(p.text_content()) for p in tree.iter("p", "h2", "h3", "h4", "li", "div")
                  if len(p) == 0 or p.tag == "p"]
    body = "\n\n".join(p for p in paragraphs if p) or same_space(tree.text_content())
    return Result(body, doc.short_title() or "", None, [], None)


def bare_parse(raw: bytes, url: str) -> Result:
    import lxml.html

    lxml.html.document_fromstring(raw)
    return Result()


EXTRACTORS = {"akhbar": run_ours, "trafilatura": run_trafilatura, "readability": run_readability}


@dataclass
class Score:
    body_f1: float
    title: bool
    date: bool | None
    author: bool | None
    tags: float | None
    leaks: list[str]
    missing: list[str]


def score(result: Result, truth: dict[str, Any]) -> Score:
    body = result.body
    flat = same_space(body)
    leaks = [s for s in truth.get("must_not_contain", []) if same_space(s) in flat]
    missing = [s for s in truth.get("must_contain", []) if same_space(s) not in flat]
    author = author_matches(result.authors, truth["author"]) if truth.get("author") else None
    tags = tags_f1(result.tags, truth["tags"]) if truth.get("tags") and result.tags is not None else None
    has_date = result.published is not None or "published" in truth
    return Score(
        body_f1=f1(tokens(body), tokens(truth["body"])),
        title=same_space(result.title) == same_space(truth["title"]),
        date=date_matches(result.published, truth["published"]) if has_date and truth.get("published") else None,
        author=author, tags=tags, leaks=leaks, missing=missing,
    )


def timed(function, raw: bytes, url: str, repeat: int) -> tuple[Result, float]:
    """The function's result and its best CPU time over `repeat` runs. CPU time of this process, not the wall
    clock: the extractors are single-threaded, and other work on a shared machine must not tilt the ratios."""
    best = float("inf")
    result = Result()
    for _ in range(repeat):
        start = time.process_time()
        result = function(raw, url)
        best = min(best, time.process_time() - start)
    return result, best


def mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else float("nan")


def summarise(name: str, scores: list[Score], seconds: float, pages: int) -> str:
    def share(values: list[bool | None]) -> str:
        known = [v for v in values if v is not None]
        return f"{sum(known)}/{len(known)}={mean([float(v) for v in known]):.2f}" if known else "n/a"

    tag_values = [s.tags for s in scores if s.tags is not None]
    return (f"{name:<12} body_f1={mean([s.body_f1 for s in scores]):.4f} "
            f"title={share([s.title for s in scores])} date={share([s.date for s in scores])} "
            f"author={share([s.author for s in scores])} "
            f"tags_f1={mean(tag_values) if tag_values else float('nan'):.3f} "
            f"leaks={sum(len(s.leaks) for s in scores)} missing={sum(len(s.missing) for s in scores)} "
            f"pages/s={pages / seconds if seconds else float('inf'):.1f}")


def same_instant(value: Any, truth: str | None) -> bool:
    """The structure fixtures' rule: the same instant (offset included), or the same day for a date alone."""
    if truth is None:
        return value is None
    if not isinstance(value, datetime):
        return False
    if len(truth) <= 10:
        return value.date().isoformat() == truth
    return value == datetime.fromisoformat(truth)


def run_ours_as_of(raw: bytes, truth: dict[str, Any]) -> Result:
    """akhbar as the structure test runs it: the fixture's fetch time, zone and headers."""
    from workers.core.errors import ExtractError
    from workers.core.extract import extract_article

    fetched = truth.get("fetched_at")
    try:
        article = extract_article(raw, truth["url"], truth.get("headers") or {},
                                  fetched_at=datetime.fromisoformat(fetched) if fetched else FIXED_FETCH,
                                  timezone=truth.get("timezone"))
    except ExtractError as exc:
        return Result(error=str(exc))
    return Result(article.body, article.title, article.published_at, article.authors, article.tags)


@dataclass
class StructureRow:
    """One structure's pages, scored; shares are over the pages that state the field."""

    pages: int = 0
    body_f1: list[float] = field(default_factory=list)
    trafilatura_f1: list[float] = field(default_factory=list)
    title: list[bool] = field(default_factory=list)
    date: list[bool] = field(default_factory=list)
    tags_f1: list[float] = field(default_factory=list)
    leaks: int = 0

    def figures(self) -> dict[str, float | int]:
        return {"pages": self.pages, "body_f1": round(mean(self.body_f1), 4),
                "title": round(mean([float(t) for t in self.title]), 4),
                "date": round(mean([float(d) for d in self.date]), 4),
                "tags_f1": round(mean(self.tags_f1), 4) if self.tags_f1 else 1.0, "leaks": self.leaks}


def structure_report(args: argparse.Namespace) -> int:
    """Per-structure table over tests/fixtures/structures, the speed figures, and the baseline guard."""
    files = sorted(STRUCTURES.glob("*.json"))
    if not files:
        print(f"no structure fixtures in {STRUCTURES}")
        return 0
    names = ["akhbar", "trafilatura"] if not args.only or "trafilatura" in args.only else ["akhbar"]
    rows: dict[str, StructureRow] = {}
    seconds = {"akhbar": 0.0, "trafilatura": 0.0, "lxml": 0.0}
    first = files[0].with_suffix(".html").read_bytes()
    run_ours_as_of(first, json.loads(files[0].read_text(encoding="utf-8")))  # warm up
    load_model()  # a worker loads it at start; Arabic pages alone may never have needed it in this run
    if "trafilatura" in names:
        # trafilatura (and htmldate under it) initialise lazily over their first pages: warm them on other bytes
        # (corpus pages) so that one-time cost is not charged to these pages
        for warm in [*sorted(CORPUS.glob("*.html"))[:8], files[0].with_suffix(".html")]:
            run_trafilatura(warm.read_bytes(), "https://example.com/")
    for path in files:
        truth = json.loads(path.read_text(encoding="utf-8"))
        raw = path.with_suffix(".html").read_bytes()
        row = rows.setdefault(truth.get("structure") or path.stem.split("__")[0], StructureRow())
        row.pages += 1
        seconds["lxml"] += timed(bare_parse, raw, truth["url"], 1)[1]
        ours, elapsed = timed(lambda r, _u, t=truth: run_ours_as_of(r, t), raw, truth["url"], 1)
        seconds["akhbar"] += elapsed
        expected = tokens(truth["body"])
        row.body_f1.append(f1(tokens(ours.body), expected))
        row.title.append(same_space(ours.title) == same_space(truth["title"]))
        row.date.append(same_instant(ours.published, truth.get("published_at")))
        if "tags" in truth:
            row.tags_f1.append(tags_f1(ours.tags or [], truth["tags"]))
        flat = same_space(ours.body)
        leaks = [s for s in truth.get("must_not_contain", []) if same_space(s) in flat]
        row.leaks += len(leaks)
        line = f"{path.stem[:44]:<44} akhbar f1={row.body_f1[-1]:.3f} title={int(row.title[-1])} " \
               f"date={int(row.date[-1])} leaks={len(leaks)}"
        if "trafilatura" in names:
            theirs, elapsed = timed(run_trafilatura, raw, truth["url"], 1)  # see the speed line below
            seconds["trafilatura"] += elapsed
            row.trafilatura_f1.append(f1(tokens(theirs.body), expected))
            line += f" | trafilatura f1={row.trafilatura_f1[-1]:.3f}"
        if not args.quiet:
            print(line + (f" ERROR {ours.error}" if ours.error else ""))
    print(f"\n== per structure ({len(files)} pages in {len(rows)} structures, {STRUCTURES.relative_to(ROOT)}) ==")
    print(f"{'structure':<14} {'pages':>5} {'akhbar_f1':>9} {'traf_f1':>8} {'title':>6} {'date':>6} {'tags_f1':>7} "
          f"{'leaks':>5}")
    for name, row in sorted(rows.items()):
        traf = f"{mean(row.trafilatura_f1):.4f}" if row.trafilatura_f1 else "-"
        fig = row.figures()
        print(f"{name:<14} {row.pages:>5} {fig['body_f1']:>9.4f} {traf:>8} {sum(row.title)}/{len(row.title):<4} "
              f"{sum(row.date)}/{len(row.date):<4} {fig['tags_f1']:>7.3f} {row.leaks:>5}"
              f"{'  < trafilatura' if row.trafilatura_f1 and mean(row.body_f1) < mean(row.trafilatura_f1) else ''}")
    everything = StructureRow(pages=len(files), body_f1=[v for r in rows.values() for v in r.body_f1],
                              trafilatura_f1=[v for r in rows.values() for v in r.trafilatura_f1],
                              title=[v for r in rows.values() for v in r.title],
                              date=[v for r in rows.values() for v in r.date],
                              tags_f1=[v for r in rows.values() for v in r.tags_f1],
                              leaks=sum(r.leaks for r in rows.values()))
    fig = everything.figures()
    traf = f"{mean(everything.trafilatura_f1):.4f}" if everything.trafilatura_f1 else "-"
    print(f"{'ALL':<14} {everything.pages:>5} {fig['body_f1']:>9.4f} {traf:>8} {sum(everything.title)}/"
          f"{len(everything.title):<4} {sum(everything.date)}/{len(everything.date):<4} {fig['tags_f1']:>7.3f} "
          f"{everything.leaks:>5}")
    if seconds["trafilatura"]:
        # each page's first run for both: trafilatura caches work on text it has seen, so a best-of-N on the same
        # bytes flatters it (about 7x faster on a repeat); a crawler never sees the same bytes twice
        print(f"speed on structure pages (first run per page): akhbar "
              f"{seconds['trafilatura'] / seconds['akhbar']:.1f}x trafilatura's")
    per_page = {name: value / len(files) * 1000 for name, value in seconds.items()}
    print(f"time per page: akhbar {per_page['akhbar']:.1f} ms = {seconds['akhbar'] / seconds['lxml']:.1f}x "
          f"a bare lxml parse ({per_page['lxml']:.2f} ms)")
    current = {name: row.figures() for name, row in sorted(rows.items())}
    if args.update_baseline:
        BASELINE.write_text(json.dumps(current, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print(f"baseline written: {BASELINE.relative_to(ROOT)}")
        return 0
    return 1 if regressions(current) and args.check else 0


def regressions(current: dict[str, dict[str, float | int]]) -> list[str]:
    """Leave-one-structure-out guard: every structure against its stored figures; print what got worse."""
    if not BASELINE.is_file():
        print(f"no baseline at {BASELINE.relative_to(ROOT)}; run with --update-baseline")
        return []
    stored = json.loads(BASELINE.read_text(encoding="utf-8"))
    found: list[str] = []
    for name, figures in current.items():
        before = stored.get(name)
        if before is None:
            print(f"new structure (not in the baseline): {name}")
            continue
        for key in ("body_f1", "title", "date", "tags_f1"):
            if float(figures[key]) < float(before.get(key, 0.0)) - TOLERANCE:
                found.append(f"{name} {key} {before[key]} -> {figures[key]}")
        if int(figures["leaks"]) > int(before.get("leaks", 0)):
            found.append(f"{name} leaks {before.get('leaks', 0)} -> {figures['leaks']}")
    for name in stored.keys() - current.keys():
        found.append(f"{name} has no pages any more")
    for line in found:
        print(f"REGRESSED: {line}")
    if not found:
        print(f"baseline check: no structure worse than {BASELINE.relative_to(ROOT)} by more than {TOLERANCE}")
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3, help="timing runs per page (best is kept)")
    parser.add_argument("--quiet", action="store_true", help="totals only")
    parser.add_argument("--only", default="", help="comma-separated extractors to run")
    parser.add_argument("--structures-only", action="store_true", help="only the per-structure report")
    parser.add_argument("--check", action="store_true", help="exit 1 when a structure regressed")
    parser.add_argument("--update-baseline", action="store_true", help="store this run's per-structure figures")
    args = parser.parse_args()
    warnings.filterwarnings("ignore")
    status = 0 if args.structures_only else corpus_report(args)
    print()
    return structure_report(args) or status


def corpus_report(args: argparse.Namespace) -> int:
    if not CORPUS.is_dir():
        print(f"corpus not found at {CORPUS}; skipping the corpus benchmark")
        return 0
    names = [n for n in EXTRACTORS if not args.only or n in args.only.split(",")]
    files = sorted(CORPUS.glob("*.json"))
    scores: dict[str, dict[str, list[Score]]] = {n: {"real": [], "variant": []} for n in names}
    seconds: dict[str, float] = {n: 0.0 for n in [*names, "lxml"]}
    for name in names:  # warm up: imports and lazy initialisation are not per-page costs
        EXTRACTORS[name](files[0].with_suffix(".html").read_bytes(), "https://example.com/")
    load_model()
    for path in files:
        truth = json.loads(path.read_text(encoding="utf-8"))
        raw = path.with_suffix(".html").read_bytes()
        group = "variant" if truth.get("variant") else "real"
        seconds["lxml"] += timed(bare_parse, raw, truth["url"], args.repeat)[1]
        for name in names:
            result, elapsed = timed(EXTRACTORS[name], raw, truth["url"], args.repeat)
            seconds[name] += elapsed
            page_score = score(result, truth)
            scores[name][group].append(page_score)
            if not args.quiet:
                print(f"{path.stem[:44]:<44} {name:<12} f1={page_score.body_f1:.3f} "
                      f"title={int(page_score.title)} date={page_score.date} author={page_score.author} "
                      f"tags={'-' if page_score.tags is None else f'{page_score.tags:.2f}'} "
                      f"leaks={len(page_score.leaks)} missing={len(page_score.missing)} "
                      f"ms={elapsed * 1000:.1f}{' ERROR ' + result.error if result.error else ''}")
                for leak in page_score.leaks:
                    print(f"{'':>57}leak: {leak[:70]}")
    pages = len(files)
    print("\n== totals (real pages) ==")
    for name in names:
        print(summarise(name, scores[name]["real"], seconds[name], pages))
    print("== totals (encoding variants) ==")
    for name in names:
        print(summarise(name, scores[name]["variant"], seconds[name], pages))
    print("== totals (all pages) ==")
    for name in names:
        print(summarise(name, scores[name]["real"] + scores[name]["variant"], seconds[name], pages))
    print(f"\nbare lxml parse: {pages / seconds['lxml']:.1f} pages/s")
    for name in names:
        print(f"{name:<12} time / bare lxml parse = {seconds[name] / seconds['lxml']:.1f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
