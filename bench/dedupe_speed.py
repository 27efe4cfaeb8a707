"""Duplicate-index speed: assigns/s as the index grows, for memory, Redis (1 and 2 workers) and the SQL store."""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from workers.core.dedupe import DedupeItem, fingerprint  # noqa: E402

T0 = datetime(2024, 5, 1, tzinfo=UTC)
_WORD_TEXT = ("وزارة الصحة التعليم الرياض القاهرة مجلس الوزراء الرئيس اجتماع مشروع جديد برنامج مدينة شركة السوق "
         "النفط الذهب الدولار البنك المركزي الجامعة الطلاب المستشفى المرضى الطقس الأمطار المنتخب المباراة "
         "الدوري النادي اللاعب المدرب الحكومة البرلمان قرار قانون الأمن الشرطة حادث مرور الطريق الجسر الميناء "
         "المطار الرحلات السياحة الفندق المعرض الكتاب الثقافة الفن المسرح السينما المهرجان الجائزة")
WORDS = _WORD_TEXT.split()
# Half the headlines of real news name a listed place (53% of the shared dev items), which keys them by place too.
_PLACE_TEXT = ("الرياض جدة القاهرة الإسكندرية بغداد البصرة دمشق حلب بيروت عمان الكويت الدوحة دبي مسقط صنعاء الخرطوم "
               "طرابلس تونس الجزائر الرباط المغرب مصر السعودية العراق سوريا لبنان الأردن اليمن ليبيا فلسطين غزة القدس "
               "إيران تركيا روسيا الصين أمريكا فرنسا بريطانيا ألمانيا")
PLACES = _PLACE_TEXT.split()
PLACE_SHARE = 0.5


def _vocabulary(size: int = 20000, seed: int = 7) -> list[str]:
    """Synthetic Arabic-looking words (roots x affixes) so random items rarely share a phrase."""
    rng = random.Random(seed)
    letters = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"
    vocab = set(WORDS)
    while len(vocab) < size:
        vocab.add("".join(rng.choice(letters) for _ in range(rng.randint(3, 7))))
    return sorted(vocab)


def make_items(count: int, seed: int, dup_share: float = 0.1, tag: str = "") -> list[DedupeItem]:
    """Fresh stories plus a share of re-headlined copies of earlier ones (the index must find them)."""
    rng, vocab, items = random.Random(seed), _vocabulary(), []
    for n in range(count):
        at = T0 + timedelta(minutes=n // 10)
        if items and rng.random() < dup_share:
            src = rng.choice(items[-500:])
            title = " ".join(rng.sample(vocab, 7))
            items.append(DedupeItem(f"{tag}{seed}-{n}", "copy", title, src.body[:-20], at))
            continue
        title = " ".join(rng.choices(vocab, k=8))
        if rng.random() < PLACE_SHARE:
            title = f"{title} في {rng.choice(PLACES)}"
        if rng.random() < 0.25:  # a quarter of headlines lead with a figure (they get figure keys too)
            title = f"{rng.randint(2, 5000)} {title}"
        body = " ".join(rng.choices(vocab, k=130))
        items.append(DedupeItem(f"{tag}{seed}-{n}", f"src{n % 30}", title, body, at))
    return items


def _filler_fps(count: int, seed: int) -> list:
    """Fingerprints for pre-filling: a few real ones with random keys, so filling costs no text work."""
    rng = random.Random(seed)
    base = [fingerprint(item) for item in make_items(200, seed + 1, 0.0)]
    return [base[i % 200].with_keys(tuple(rng.getrandbits(64) for _ in base[i % 200].keys)) for i in range(count)]


def _warm() -> None:
    """A running worker has met the vocabulary: its word memo is warm (the timed items' words, drawn elsewhere)."""
    for item in make_items(1000, 4242, tag="warm"):
        fingerprint(item)


def _rate(index, items: list[DedupeItem]) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    for item in items:
        index.assign(item)
    return len(items) / (time.perf_counter() - start)


def bench_memory(sizes: list[int], batch: int, baseline: dict[int, float]) -> None:
    from workers.adapters.dedupe_memory import MemoryDedupeIndex
    index, filled = MemoryDedupeIndex(window_days=7), 0
    _warm()
    for size in sizes:
        for n, fp in enumerate(_filler_fps(size - filled, size), start=filled):
            index._assign(f"fill-{n}", fp)
        filled = size
        rate = _rate(index, make_items(batch, size, tag="m"))
        ratio = f"   {rate / baseline[size]:.1f}x datasketch's" if size in baseline else ""
        print(f"memory  index={size:>9,}  {rate:>8,.0f} assigns/s{ratio}")


def _datasketch_item(item: DedupeItem):  # type: ignore[no-untyped-def]
    """The issue's comparison: a plain datasketch MinHash (128 perms) of word 3-shingles of title and body."""
    from datasketch import MinHash

    from workers.core.arabic import normalize_arabic
    words = normalize_arabic(f"{item.title} {item.body[:800]}").split()
    m = MinHash(num_perm=128)
    m.update_batch([" ".join(words[i:i + 3]).encode() for i in range(max(1, len(words) - 2))])
    return m


def bench_datasketch(sizes: list[int], batch: int) -> dict[int, float]:
    """datasketch's in-memory MinHashLSH, query then insert per item, filled with distinct items."""
    from datasketch import MinHashLSH
    lsh, filled, rates = MinHashLSH(threshold=0.5, num_perm=128), 0, {}
    for size in sizes:
        for n, item in enumerate(make_items(size - filled, size, 0.0, tag="f"), start=filled):
            lsh.insert(f"fill-{n}", _datasketch_item(item))
        filled = size
        items = make_items(batch, size, tag="d")
        start = time.perf_counter()
        for item in items:
            m = _datasketch_item(item)
            lsh.query(m)
            lsh.insert(item.article_id, m)
        rates[size] = len(items) / (time.perf_counter() - start)
        print(f"datasketch MinHashLSH index={size:>9,}  {rates[size]:>8,.0f} assigns/s (the baseline)")
    return rates


def templated_items(count: int, seed: int, tag: str) -> list[DedupeItem]:
    """One telegram text to many presidents: every item shares the template's keys (full keys, many candidates)."""
    rng, vocab = random.Random(seed), _vocabulary()
    items = []
    for n in range(count):
        who = " ".join(rng.choices(vocab, k=2))
        items.append(DedupeItem(
            f"{tag}{seed}-{n}", "agency", f"رئيس الدولة يهنئ رئيس {who} باليوم الوطني لبلاده",
            f"بعث رئيس الدولة برقية تهنئة إلى رئيس {who} بمناسبة ذكرى اليوم الوطني لبلاده، أعرب فيها عن أصدق "
            "التهاني وأطيب التمنيات بموفور الصحة والسعادة، ولشعبه الصديق المزيد من التقدم والازدهار في ظل قيادته "
            "الحكيمة، مؤكدا حرص البلدين على تعزيز العلاقات الثنائية في المجالات كافة.",
            T0 + timedelta(minutes=n)))
    return items


# A day of one war or one storm: every headline names one of a few places and draws three words from a small
# topical vocabulary (Zipf-like: a few words in most items), and the bodies share that vocabulary. Title, place
# and body keys are all hot, so each assign compares many kept items that are not its duplicates.
_TOPIC_TEXT = ("قصف غارة شهداء الاحتلال مستشفى مخيم اقتحام جرحى صواريخ مدينة حي منزل عائلة أطفال نازحين مساعدات "
               "معبر الهدنة مفاوضات وفد")
TOPIC_PLACES = ("غزة", "القدس", "جنين", "بيروت", "دمشق")


def _burst_indexes(port: int | None, window_days: float, prefix: str) -> list[tuple[str, object]]:
    """A fresh in-process index, and one in the bench's Redis when it runs."""
    from workers.adapters.dedupe_memory import MemoryDedupeIndex
    indexes: list[tuple[str, object]] = [("memory", MemoryDedupeIndex(window_days=window_days))]
    if port:
        import redis

        from workers.adapters.dedupe_redis import RedisDedupeIndex
        indexes.append(("redis", RedisDedupeIndex(redis.Redis(port=port), window_days=window_days, prefix=prefix)))
    return indexes


def hot_topic_items(count: int, seed: int, tag: str) -> list[DedupeItem]:
    """`count` items over about a day (four a minute) on one topic in a few places (see above)."""
    rng, vocab, topic = random.Random(seed), _vocabulary(), _TOPIC_TEXT.split()

    def topical() -> str:
        return topic[min(int(rng.paretovariate(1.1)) - 1, len(topic) - 1)]

    items = []
    for n in range(count):
        title = " ".join([topical() for _ in range(3)] + rng.choices(vocab, k=5)) + " في " + rng.choice(TOPIC_PLACES)
        body = " ".join([topical() for _ in range(30)] + rng.choices(vocab, k=100))
        items.append(DedupeItem(f"{tag}{seed}-{n}", f"src{n % 30}", title, body, T0 + timedelta(seconds=15 * n)))
    return items


def bench_hot_topic(port: int | None) -> None:
    """4,000 items of one topic filed, then 1,000 more timed: hot keys, many candidates, few duplicates."""
    indexes = _burst_indexes(port, 2, "bench:hot:")
    items = hot_topic_items(5000, 3, "h")
    for item in items:
        fingerprint(item)  # (the vocabulary's first sight is not what is timed)
    for name, index in indexes:
        for item in items[:4000]:
            index.assign(item)  # type: ignore[attr-defined]
        start = time.perf_counter()
        for item in items[4000:]:
            index.assign(item)  # type: ignore[attr-defined]
        rate = 1000 / (time.perf_counter() - start)
        print(f"{name:7} hot topic (4,000 items of one topic filed, 1,000 timed)  {rate:>8,.0f} assigns/s")
    _decision_cost(items[4000:4200])


def _decision_cost(items: list[DedupeItem], candidates: int = 87) -> None:
    """What deciding costs a hot key's candidate: `best_match` over each item after the first `candidates`, against
    the `candidates` filed before it (as many as a hot-topic assign meets), best of five, and the share `may_merge`
    passes by without a comparison."""
    from workers.core.dedupe import best_match, may_merge
    from workers.core.fingerprint import candidate

    fps = [candidate(fingerprint(item).record) for item in items]
    jobs = [(fps[i], [(j, fps[j]) for j in range(i - candidates, i)]) for i in range(candidates, len(fps))]
    compared = sum(len(others) for _, others in jobs)
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        for fp, others in jobs:
            best_match(fp, others, 10**6)
        best = min(best, time.perf_counter() - start)
    passed = sum(not may_merge(fp, other) for fp, others in jobs for _, other in others)
    print(f"        deciding a hot topic's candidate: {best / compared * 1e6:.1f} µs ({passed / compared:.0%} passed by"
          " without a comparison)")


def bench_templated(port: int | None) -> None:
    """The worst case: a burst of one template fills its keys, so each assign compares every kept member."""
    indexes = _burst_indexes(port, 7, "bench:tpl:")
    for name, index in indexes:
        for item in templated_items(2000, 1, "f"):
            index.assign(item)  # type: ignore[attr-defined]
        batch = templated_items(500, 2, "t")
        clusters, joined, reposts = set(), 0, 0
        start = time.perf_counter()
        for n, item in enumerate(batch):
            clusters.add(index.assign(item).cluster_id)  # type: ignore[attr-defined]
            if n >= 10 and n % 10 == 0:  # a paper re-posts the telegram filed ten telegrams ago
                original = batch[n - 10]
                repost = DedupeItem(f"re-{original.article_id}", "paper", f"عاجل: {original.title}",
                                    original.body.replace("أعرب فيها", "وأعرب"), item.at)
                reposts += 1
                joined += index.assign(repost).cluster_id == original.article_id  # type: ignore[attr-defined]
        rate = (len(batch) + reposts) / (time.perf_counter() - start)
        print(f"{name:7} templated burst (2,000 telegrams filed, 500 timed)  {rate:>8,.0f} assigns/s   "
              f"{len(clusters)} clusters for {len(batch)} telegrams, {joined}/{reposts} re-posts joined theirs")


def _redis_fill(client, index, count: int, seed: int) -> None:  # type: ignore[no-untyped-def]
    fps = _filler_fps(count, seed)
    for start in range(0, count, 2000):  # pipelined: file 2,000, decide them, write 2,000 decisions back
        index.assign_many([(f"fill-{seed}-{n}", fps[n]) for n in range(start, min(count, start + 2000))])


def _redis_worker(port: int, prefix: str, items: list[DedupeItem], barrier, out) -> None:  # type: ignore[no-untyped-def]
    import redis

    from workers.adapters.dedupe_redis import RedisDedupeIndex
    _warm()
    index = RedisDedupeIndex(redis.Redis(port=port), window_days=7, prefix=prefix)
    barrier.wait()
    start, cpu = time.perf_counter(), time.process_time()
    for item in items:
        index.assign(item)
    out.put((len(items), time.perf_counter() - start, time.process_time() - cpu))


def _redis_cpu(client) -> float:  # type: ignore[no-untyped-def]
    """CPU seconds the Redis server has used (main thread and the rest)."""
    info = client.info("cpu")
    return float(info["used_cpu_user"]) + float(info["used_cpu_sys"])


def _workers(ctx, client, port: int, prefix: str,  # type: ignore[no-untyped-def]
             work: list[list[DedupeItem]]) -> tuple[float, float, float]:
    """Assigns per second of len(work) worker processes started together, each assigning its own items, and the
    CPU an assign cost in the workers and in Redis (µs)."""
    barrier, out = ctx.Barrier(len(work)), ctx.Queue()
    procs = [ctx.Process(target=_redis_worker, args=(port, prefix, items, barrier, out)) for items in work]
    for p in procs:
        p.start()
    redis_cpu = _redis_cpu(client)  # (the workers warm their memo before the barrier: Redis is idle meanwhile)
    results = [out.get(timeout=600) for _ in procs]
    redis_cpu = _redis_cpu(client) - redis_cpu
    for p in procs:
        p.join()
    assigns = sum(n for n, _, _ in results)
    return (assigns / max(t for _, t, _ in results), 1e6 * sum(c for _, _, c in results) / assigns,
            1e6 * redis_cpu / assigns)


def bench_redis(sizes: list[int], batch: int, port: int) -> None:
    import redis

    from workers.adapters.dedupe_redis import RedisDedupeIndex
    server = shutil.which("redis-server")
    if not server:
        print("redis: skipped (no redis-server binary)")
        return
    data = tempfile.mkdtemp(prefix="akhbar-bench-redis-")
    proc = subprocess.Popen([server, "--port", str(port), "--save", "", "--appendonly", "no",
                             "--dir", data], stdout=subprocess.DEVNULL)
    try:
        client = redis.Redis(port=port)
        for _ in range(50):
            try:
                client.ping()
                break
            except redis.ConnectionError:
                time.sleep(0.1)
        prefix = "bench:dedupe:"
        index, filled = RedisDedupeIndex(client, window_days=7, prefix=prefix), 0
        base_memory = client.info("memory")["used_memory"]
        # Workers are spawned, as Celery's are forked from a small parent: run in this process, or forked from it, after
        # it filled and freed a million items, they ran 16-28 % slower at 1M (copy-on-write faults, most likely).
        ctx = multiprocessing.get_context("spawn")
        for size in sizes:
            _redis_fill(client, index, size - filled, size)
            filled = size
            per_item = (client.info("memory")["used_memory"] - base_memory) / filled
            one, _, _ = _workers(ctx, client, port, prefix, [make_items(batch, size, tag="r1")])
            two, worker_us, redis_us = _workers(ctx, client, port, prefix,
                                                [make_items(batch, size + w, tag=f"r2w{w}") for w in (1, 2)])
            filled += 3 * batch
            # What the cores allow: every assign costs worker CPU and Redis CPU, and here they share the machine.
            ceiling = (os.cpu_count() or 1) * 1e6 / (worker_us + redis_us)
            print(f"redis   index={size:>9,}  1 worker {one:>7,.0f} assigns/s   2 workers {two:>7,.0f} assigns/s"
                  f" ({two / 2:,.0f} per worker)   memory {per_item:,.0f} B/item\n"
                  f"        CPU an assign (2 workers): worker {worker_us:,.0f} µs + Redis {redis_us:,.0f} µs"
                  f" -> at most {ceiling:,.0f} assigns/s on {os.cpu_count()} cores")
        bench_templated(port)
        bench_hot_topic(port)
    finally:
        proc.terminate()
        proc.wait()
        shutil.rmtree(data, ignore_errors=True)


def bench_store(size: int, batch: int) -> None:
    from workers.adapters.dedupe_store import StoreDedupeIndex
    from workers.adapters.store import make_engine
    folder = tempfile.mkdtemp(prefix="akhbar-bench-store-")
    try:
        # the store's own engine: WAL, synchronous=NORMAL, BEGIN IMMEDIATE, as the pipeline runs it
        index = StoreDedupeIndex(make_engine(f"sqlite:///{folder}/dedupe.db"), window_days=7, scope="bench")
        index.create_tables()
        with index._locked() as conn:
            for n, fp in enumerate(_filler_fps(size, 5)):
                index._assign(conn, f"fill-{n}", fp)
        print(f"store   index={size:>9,}  {_rate(index, make_items(batch, 9, tag='s')):>8,.0f} assigns/s "
              "(SQLite file, WAL, BEGIN IMMEDIATE per assign)")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes (1k, 10k) for a smoke run")
    parser.add_argument("--port", type=int, default=6390, help="port for a private redis-server")
    parser.add_argument("--skip", nargs="*", default=[], choices=["datasketch", "memory", "redis", "store"])
    args = parser.parse_args()
    sizes = [1_000, 10_000] if args.quick else [10_000, 100_000, 1_000_000]
    batch = 1_000 if args.quick else 5_000
    print(f"cpus={os.cpu_count()}  load={os.getloadavg()[0]:.2f}  batch={batch} timed assigns "
          "(fingerprint + lookup + insert) per size")
    baseline = {} if "datasketch" in args.skip else bench_datasketch(sizes[:2], batch)
    if "memory" not in args.skip:
        bench_memory(sizes, batch, baseline)
    if "redis" not in args.skip:
        bench_redis(sizes, batch, args.port)
    elif "memory" not in args.skip:
        bench_templated(None)
        bench_hot_topic(None)
    if "store" not in args.skip:
        bench_store(sizes[1] if args.quick else 10_000, 1_000 if args.quick else 2_000)
    print(f"load at the end={os.getloadavg()[0]:.2f} (a busy machine lowers every figure)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
