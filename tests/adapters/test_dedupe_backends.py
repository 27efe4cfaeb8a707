"""Every duplicate index backend (memory, Redis, SQLite, PostgreSQL) is storage only: each gives the core's
decision (`workers.core.dedupe`), on the shared labelled pairs and on the project's own, and atomically."""

from __future__ import annotations

import json
import multiprocessing
import re
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import CORPUS, FIXTURES, REDIS_BASE, needs_postgres, needs_redis
from tests.texts import FIRE, FIRE_CAUSE, TELEGRAM, WEATHER
from workers.adapters.dedupe_memory import MemoryDedupeIndex
from workers.core.dedupe import DedupeItem, decide, fingerprint

REDIS_URL = f"{REDIS_BASE}/15"  # test keys only, each test under its own prefix, deleted afterwards
PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
T0 = datetime(2024, 5, 1, 8, tzinfo=UTC)
STORIES = [
    ("أعلنت وزارة الصحة اليوم عن افتتاح مستشفى جديد للأطفال في المدينة الساحلية بسعة مئتي سرير، "
     "ويضم المستشفى أقساما للطوارئ والعناية المركزة والجراحة، وقال المتحدث باسم الوزارة إن المشروع "
     "استغرق ثلاث سنوات من العمل المتواصل وسيخدم سكان المحافظة والمناطق المجاورة لها."),
    ("قرر الاتحاد المحلي لكرة القدم تأجيل انطلاق الموسم الجديد أسبوعين بسبب أعمال الصيانة في الملاعب "
     "الرئيسية، وأوضح رئيس لجنة المسابقات أن القرار جاء بعد اجتماع مع ممثلي الأندية التي طالبت بمهلة "
     "إضافية لاستكمال تسجيل اللاعبين الجدد وتجهيز المرافق التدريبية."),
    ("كشفت دراسة حديثة أجراها فريق من الباحثين في جامعة العاصمة أن المشي نصف ساعة يوميا يقلل خطر الإصابة "
     "بأمراض القلب بنسبة كبيرة، وشملت الدراسة آلاف المشاركين من مختلف الأعمار على مدى عشر سنوات، "
     "وأوصى الباحثون بإدراج النشاط البدني في برامج الصحة العامة."),
]
TITLES = [("الصحة تفتتح مستشفى للأطفال في المدينة الساحلية", "مستشفى جديد بسعة مئتي سرير لأطفال الساحل"),
          ("تأجيل انطلاق الموسم الكروي أسبوعين", "الاتحاد يؤجل الموسم بسبب صيانة الملاعب"),
          ("دراسة: المشي يوميا يحمي القلب", "نصف ساعة من المشي تقلل أمراض القلب")]


def _items() -> list[DedupeItem]:
    """Three stories, each filed by two outlets under their own headline, plus a title-only echo."""
    items = []
    for n, (body, (title_a, title_b)) in enumerate(zip(STORIES, TITLES, strict=True)):
        at = T0 + timedelta(hours=n)
        items.append(DedupeItem(f"s{n}-a", "outlet-a", title_a, body, at))
        later = at + timedelta(hours=2)
        items.append(DedupeItem(f"s{n}-b", "outlet-b", title_b, body.replace("اليوم ", ""), later))
        items.append(DedupeItem(f"s{n}-c", "outlet-c", title_a + " رسميا", "", at + timedelta(hours=3)))
    return items


def _redis_index(prefix: str) -> Any:
    import redis

    from workers.adapters.dedupe_redis import RedisDedupeIndex
    return RedisDedupeIndex(redis.Redis.from_url(REDIS_URL), window_days=7, prefix=prefix)


def _store_index(url: str, scope: str) -> Any:
    from sqlalchemy import create_engine

    from workers.adapters.dedupe_store import StoreDedupeIndex
    index = StoreDedupeIndex(create_engine(url), window_days=7, scope=scope)
    index.create_tables()
    return index


def _factory(kind: str, tmp: str, tag: str) -> Callable[[], Any]:
    """A picklable way to build the same index again in another process."""
    if kind == "redis":
        return lambda: _redis_index(f"test:dedupe:{tag}:")
    if kind == "sqlite":
        return lambda: _store_index(f"sqlite:///{tmp}/dedupe.db", tag)
    if kind == "postgres":
        return lambda: _store_index(PG_URL, tag)
    return lambda: MemoryDedupeIndex(window_days=7)


@pytest.fixture(params=["memory", "redis", "sqlite", "postgres"])
def backend(request: pytest.FixtureRequest, tmp_path: Any) -> Iterator[tuple[str, str, str, Any]]:
    kind, tag = request.param, uuid.uuid4().hex[:12]
    if kind == "redis":
        needs_redis()  # a missing server skips, or fails under CI=true; any other error is a failure
    if kind == "postgres":
        needs_postgres()
    index = _factory(kind, str(tmp_path), tag)()
    yield kind, str(tmp_path), tag, index
    if hasattr(index, "clear"):
        index.clear()


def test_backends_reach_the_reference_decisions(backend: tuple[str, str, str, Any]) -> None:
    _, _, _, index = backend
    got = {item.article_id: index.assign(item) for item in _items()}
    for n in range(3):
        assert got[f"s{n}-a"].cluster_id == f"s{n}-a" and got[f"s{n}-a"].duplicate_of is None
        assert got[f"s{n}-b"].duplicate_of == f"s{n}-a", n
        assert got[f"s{n}-c"].duplicate_of == f"s{n}-a", n
    reference = MemoryDedupeIndex(window_days=7)
    assert got == {item.article_id: reference.assign(item) for item in _items()}


def test_assign_is_idempotent(backend: tuple[str, str, str, Any]) -> None:
    _, _, _, index = backend
    items = _items()
    first = [index.assign(item) for item in items]
    assert [index.assign(item) for item in items] == first
    fresh = DedupeItem("late", "outlet-d", TITLES[0][0] + " اليوم", STORIES[0], T0 + timedelta(hours=5))
    assert index.assign(fresh).duplicate_of == "s0-a"  # no second entry shadows the first member


def test_window_expiry(backend: tuple[str, str, str, Any]) -> None:
    _, _, _, index = backend
    index.assign(DedupeItem("old", "outlet-a", TITLES[1][0], STORIES[1], T0))
    index.assign(DedupeItem("early", "outlet-a", TITLES[2][0], STORIES[2], T0))
    inside = index.assign(DedupeItem("in", "outlet-b", TITLES[2][1], STORIES[2], T0 + timedelta(days=6)))
    outside = index.assign(DedupeItem("out", "outlet-c", TITLES[1][1], STORIES[1], T0 + timedelta(days=8)))
    assert inside.duplicate_of == "early"
    assert outside.duplicate_of is None and outside.cluster_id == "out"


def _worker(factory: Callable[[], Any], offset: int, barrier: Any, out: Any) -> None:
    index = factory()
    barrier.wait()
    for n in range(40):
        body = STORIES[n % 3] + f" رقم الملف {n}"
        item = DedupeItem(f"w{offset}-{n}", f"outlet-{offset}", f"{TITLES[n % 3][offset]} {n}", body, T0)
        out.put((n, index.assign(item).cluster_id))


def test_two_processes_filing_one_story_share_one_cluster(backend: tuple[str, str, str, Any]) -> None:
    kind, tmp, tag, _ = backend
    if kind == "memory":
        pytest.skip("the in-process index is not shared between processes by design")
    ctx = multiprocessing.get_context("fork")
    barrier, out = ctx.Barrier(2), ctx.Queue()
    procs = [ctx.Process(target=_worker, args=(_factory(kind, tmp, tag), i, barrier, out)) for i in (0, 1)]
    for proc in procs:
        proc.start()
    results = [out.get(timeout=60) for _ in range(80)]
    for proc in procs:
        proc.join(timeout=30)
        assert proc.exitcode == 0
    clusters: dict[int, set[str]] = {}
    for n, cluster in results:
        clusters.setdefault(n, set()).add(cluster)
    assert all(len(found) == 1 for found in clusters.values()), clusters


def test_long_ids_and_long_headlines_are_kept_whole(backend: tuple[str, str, str, Any]) -> None:
    _, _, _, index = backend
    long_id = "l" * 64  # the widest id the store allows; with this headline Redis keeps it beside the slot
    title = "، ".join([TITLES[0][0], TITLES[1][0], TITLES[2][0], TITLES[0][1]])
    first = index.assign(DedupeItem(long_id, "outlet-a", title, STORIES[0], T0))
    assert first.cluster_id == long_id and first.duplicate_of is None
    assert index.assign(DedupeItem(long_id, "outlet-a", title, STORIES[0], T0)) == first
    copy = index.assign(DedupeItem("copy", "outlet-b", title, STORIES[0].replace("اليوم ", ""), T0))
    assert copy.duplicate_of == long_id


def _growing_items(count: int) -> list[DedupeItem]:
    """Random stories and re-headlined copies in one bucket: enough to split Redis shards many times."""
    import random

    rng = random.Random(11)
    words = ["".join(rng.choice("ابتثجحخدذرزسشصضطظعغفقكلمنهوي") for _ in range(rng.randint(3, 7)))
             for _ in range(3000)]
    items: list[DedupeItem] = []
    for n in range(count):
        at = T0 + timedelta(minutes=n)
        if items and rng.random() < 0.2:
            src = rng.choice(items)
            items.append(DedupeItem(f"g{n}", "copy", src.title + " " + rng.choice(words), src.body[:-15], at))
        else:
            items.append(DedupeItem(f"g{n}", f"src{n % 7}", " ".join(rng.choices(words, k=7)),
                                    " ".join(rng.choices(words, k=60)), at))
    return items


def test_redis_matches_memory_while_its_shards_split() -> None:
    needs_redis()
    index = _redis_index(f"test:dedupe:{uuid.uuid4().hex[:8]}:")
    try:
        items = _growing_items(700)
        reference = MemoryDedupeIndex(window_days=7)
        expected = [reference.assign(item) for item in items]
        assert [index.assign(item) for item in items] == expected
        assert sum(1 for a in expected if a.duplicate_of) > 100
        assert [index.assign(item) for item in items[::50]] == expected[::50]  # ids still found after splits
    finally:
        index.clear()


def test_redis_pipelined_assigns_match_one_by_one() -> None:
    """`assign_many` (filling an index in two round trips per batch) gives `assign`'s answers, copies of items
    of its own batch included (they are undecided when their copies are decided)."""
    needs_redis()
    index = _redis_index(f"test:dedupe:{uuid.uuid4().hex[:8]}:")
    try:
        items = _growing_items(400)
        reference = MemoryDedupeIndex(window_days=7)
        expected = [reference.assign(item) for item in items]
        got = []
        for start in range(0, len(items), 150):
            got += index.assign_many([(item.article_id, fingerprint(item)) for item in items[start:start + 150]])
        assert got == expected
        assert [index.assign(item) for item in items[::40]] == expected[::40]
    finally:
        index.clear()


def test_redis_answers_after_its_script_is_flushed_and_its_connection_killed(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The index calls EVALSHA on a pooled connection of its own: a Redis that lost the script (restarted,
    SCRIPT FLUSH) gets it loaded again, a connection the server dropped is opened again, and a reply lost
    mid-call raises the client's ConnectionError (retried as the client's retry policy says: here none), after
    which the task's retry files the item again and gets the one answer (filing is idempotent). The answers are
    the reference's."""
    import redis
    from redis.connection import Connection

    needs_redis()
    read, lost = Connection.read_response, []

    def lose_one_reply(self: Connection, *args: Any, **kwargs: Any) -> Any:
        if not lost:  # the first reply after the patch: the script ran, its answer never arrives
            lost.append(self)
            raise redis.ConnectionError("reply lost (test)")
        return read(self, *args, **kwargs)

    index = _redis_index(f"test:dedupe:{uuid.uuid4().hex[:8]}:")
    admin = redis.Redis.from_url(REDIS_URL)
    try:
        items = _growing_items(60)
        reference = MemoryDedupeIndex(window_days=7)
        expected = [reference.assign(item) for item in items]
        got = [index.assign(item) for item in items[:20]]
        admin.script_flush()
        got += [index.assign(item) for item in items[20:40]]
        killed = admin.client_kill_filter(_id=index.client.client_id())
        assert killed == 1
        got += [index.assign(item) for item in items[40:50]]
        monkeypatch.setattr(Connection, "read_response", lose_one_reply)
        with pytest.raises(redis.ConnectionError, match="reply lost"):
            index.assign(items[50])
        got += [index.assign(item) for item in items[50:]]
        assert got == expected
        assert sum(1 for a in expected if a.duplicate_of) >= 5
    finally:
        index.clear()
        admin.close()


COUNTRIES = ["بوليفيا", "الأوروغواي", "السنغال", "بنغلاديش", "الغابون", "تشاد", "النيجر", "مالي"]


def test_a_full_key_keeps_its_newest_items(backend: tuple[str, str, str, Any]) -> None:
    """One template's telegrams fill its keys; each one's re-post, minutes later, must still find it."""
    _, _, _, index = backend
    index.per_key_cap = 2
    got = {}
    for n, country in enumerate(COUNTRIES):
        at = T0 + timedelta(hours=n)
        title = f"رئيس الدولة يهنئ رئيس {country} بذكرى استقلال بلاده"
        body = TELEGRAM.format(name="فلان الفلاني", country=country)
        index.assign(DedupeItem(f"t{n}", "agency", title, body, at))
        repost = DedupeItem(f"r{n}", "paper", f"عاجل: {title}", body.replace("أعرب فيها", "وأعرب"),
                            at + timedelta(minutes=20))
        got[n] = index.assign(repost).duplicate_of
    assert got == {n: f"t{n}" for n in range(len(COUNTRIES))}


# ---- every backend gives the core's decision, pair by pair ----------------------------------------------

PAIR_T0 = datetime(2001, 1, 1, 8, tzinfo=UTC)  # pairs are spread over years; keys of the past expire soon
PAIR_GAP = timedelta(days=21)  # three windows: no pair reaches another


def _jsonl_pairs(path: Path) -> list[tuple[str, DedupeItem, DedupeItem]]:
    pairs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            pair = json.loads(line)
            a, b = (DedupeItem(f"{pair['id']}-{s}", f"outlet-{s}", pair[s]["title"], pair[s].get("body") or "", T0)
                    for s in "ab")
            pairs.append((pair["id"], a, b))
    return pairs


def _own_pairs() -> list[tuple[str, DedupeItem, DedupeItem]]:
    """Pairs written for these tests: figures, a dropped word, an outlet's name, a template, a follow-up,
    a daily report, and the stories above under two outlets' headlines."""
    def item(name: str, title: str, body: str = "", source: str = "s", hours: float = 0) -> DedupeItem:
        return DedupeItem(name, source, title, body, T0 + timedelta(hours=hours))

    pairs = [
        ("dollar", item("x", "سعر الدولار يرتفع إلى 48.25 جنيه"), item("y", "سعر الدولار يرتفع إلى 48.60 جنيه")),
        ("dropped-word", item("w1", "برنامج وطني مكثف لتدريب الحكام الشباب"),
         item("w2", "برنامج وطني لتدريب الحكام الشباب")),
        ("outlet-name", item("o1", "ضبط 40 طنا من الدقيق المدعم"),
         item("o2", "ضبط 40 طنا من الدقيق المدعم - اليوم السابع")),
        ("template", *(item(c, f"رئيس الدولة يهنئ رئيس {c} بذكرى استقلال بلاده",
                            TELEGRAM.format(name="فلان", country=c)) for c in ("بوليفيا", "أوروغواي"))),
        ("follow-up", item("f1", "حريق ضخم يلتهم مستودعا للأخشاب في المنطقة الصناعية بمدينة الزرقاء", FIRE),
         item("f2", "الدفاع المدني يكشف سبب حريق مستودع الأخشاب في الزرقاء", FIRE_CAUSE, hours=16)),
    ]
    weather = "الأرصاد: أجواء حارة ورياح مثيرة للأتربة على المناطق الداخلية"
    for source, hours in (("met", 24), ("met", 20), ("paper", 24), ("paper", 2)):
        title = weather if hours != 24 else "طقس اليوم"
        pairs.append((f"weather-{source}-{hours}", item("w0", weather, WEATHER, "met"),
                      item("wx", title, WEATHER, source, hours)))
    items = _items()
    for n, a in enumerate(items):
        for b in items[n + 1:]:
            pairs.append((f"{a.article_id}/{b.article_id}", a, b))
    return pairs


def _differences(index: Any, pairs: list[tuple[str, DedupeItem, DedupeItem]]) -> list[str]:
    """Assign each pair's two items (a first), each pair in its own stretch of time; the pairs whose outcome
    is not the core's `decide` (shared index key and `compare`) on the same two items."""
    differ = []
    for n, (name, a, b) in enumerate(pairs):
        shift = PAIR_T0 + n * PAIR_GAP - T0
        a = DedupeItem(f"{n}:{a.article_id}", a.source, a.title, a.body, a.at + shift)
        b = DedupeItem(f"{n}:{b.article_id}", b.source, b.title, b.body, b.at + shift)
        expected = decide(fingerprint(a), fingerprint(b))
        first, second = index.assign(a), index.assign(b)
        want = (a.article_id, round(expected.score, 4)) if expected.duplicate else (b.article_id, 0.0)
        if first.duplicate_of is not None or (second.cluster_id, second.score) != want:
            differ.append(f"{name}: index {second}, core {expected}")
    return differ


def test_backends_decide_as_the_core_on_the_shared_pairs(backend: tuple[str, str, str, Any]) -> None:
    if not (CORPUS / "dedupe" / "pairs-dev.jsonl").exists():
        pytest.skip("../shared/corpus is not here (a fresh clone has none)")
    pairs = _jsonl_pairs(CORPUS / "dedupe" / "pairs-dev.jsonl")
    assert not _differences(backend[3], pairs)
    dups = sum(decide(fingerprint(a), fingerprint(b)).duplicate for _, a, b in pairs)
    assert 0 < dups < len(pairs)  # both outcomes are exercised


def test_backends_decide_as_the_core_on_the_project_pairs(backend: tuple[str, str, str, Any]) -> None:
    pairs = _own_pairs()
    for path in sorted((FIXTURES / "dedupe_pairs").glob("*.jsonl")):
        pairs += _jsonl_pairs(path)
    assert not _differences(backend[3], pairs)
    dups = sum(decide(fingerprint(a), fingerprint(b)).duplicate for _, a, b in pairs)
    assert 0 < dups < len(pairs)


def test_the_redis_script_holds_no_decision() -> None:
    """The decision has one home: the Lua script files, finds and writes back, and compares nothing."""
    lua = (Path(__file__).resolve().parents[2] / "workers" / "adapters" / "dedupe.lua").read_text(encoding="utf-8")
    code = "\n".join(line.split("--")[0] for line in lua.splitlines())
    assert not re.findall(r"\d+\.\d+", code)  # no threshold
    assert not re.search(r"compare|jaccard|containment|similar", code, re.IGNORECASE)


def test_a_missing_server_fails_under_ci_and_skips_elsewhere(monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.conftest import missing_server

    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception):
        missing_server("Redis is not running")
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception):
        missing_server("Redis is not running")
