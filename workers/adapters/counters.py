"""Fleet-wide counters: every worker process adds, the API reads at scrape time (Redis hash or store table)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, Protocol

from sqlalchemy import select

from workers.adapters import schema as t
from workers.adapters.store import Store

REDIS_KEY = "akhbar:metrics"
SEP = "\x1f"  # between a metric's name and its labels in a Redis hash field

Increment = tuple[str, dict[str, str], float]


def labels_key(labels: dict[str, str]) -> str:
    """Labels as one canonical string, so every process adds to the same field or row."""
    return json.dumps(labels, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


class Counters(Protocol):
    def add(self, increments: Iterable[Increment]) -> None: ...

    def read(self) -> list[Increment]: ...


class RedisCounters:
    """One hash; HINCRBYFLOAT is atomic, so any number of processes on any machine can add."""

    def __init__(self, client: Any) -> None:
        self.client = client

    def add(self, increments: Iterable[Increment]) -> None:
        pipe = self.client.pipeline(transaction=False)
        for name, labels, amount in increments:
            pipe.hincrbyfloat(REDIS_KEY, f"{name}{SEP}{labels_key(labels)}", amount)
        pipe.execute()

    def read(self) -> list[Increment]:
        out = []
        for field, value in self.client.hgetall(REDIS_KEY).items():
            name, _, labels = field.decode().partition(SEP)
            out.append((name, json.loads(labels), float(value)))
        return out


class StoreCounters:
    """The embedded mode's counters: one upsert that adds, in the store every process shares."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def add(self, increments: Iterable[Increment]) -> None:
        merged: dict[tuple[str, str], float] = {}
        for name, labels, amount in increments:
            key = (name, labels_key(labels))
            merged[key] = merged.get(key, 0.0) + amount
        if not merged:
            return
        # sorted: two processes upserting the same rows take their locks in the same order
        rows = [{"name": n, "labels": lab, "value": v} for (n, lab), v in sorted(merged.items())]
        stmt = self.store._insert(t.metric_counters).values(rows)
        stmt = stmt.on_conflict_do_update(index_elements=["name", "labels"],
                                          set_={"value": t.metric_counters.c.value + stmt.excluded.value})
        with self.store.engine.begin() as conn:
            conn.execute(stmt)

    def read(self) -> list[Increment]:
        with self.store.engine.connect() as conn:
            rows = conn.execute(select(t.metric_counters.c.name, t.metric_counters.c.labels,
                                       t.metric_counters.c.value)).all()
        return [(name, json.loads(labels), float(value)) for name, labels, value in rows]


def counters_for(rt: Any) -> Counters:
    """Redis when the fleet shares one, else the store."""
    return RedisCounters(rt.redis) if rt.redis is not None else StoreCounters(rt.store)
