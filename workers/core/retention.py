"""What the duplicate index keeps: time buckets, when a bucket expires, and how many items a key holds.

Written once for every backend: the in-process and store indexes drop what `stale` says, Redis sets the
expiry `expire_at` gives, and each drops the key entries `evictions` names.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from workers.core.dedupe import PER_KEY_CAP, bucket_of, reach


@dataclass(frozen=True, slots=True)
class Retention:
    """The index's time window (minutes) and per-key cap, and the rules that follow from them."""

    window: int
    per_key_cap: int = PER_KEY_CAP

    @classmethod
    def of_days(cls, days: float, per_key_cap: int = PER_KEY_CAP) -> Retention:
        return cls(max(1, int(days * 24 * 60)), per_key_cap)

    def bucket(self, at: int) -> int:
        """The bucket an item of time `at` (minutes) is filed in."""
        return bucket_of(at, self.window)

    def reach(self, at: int) -> range:
        """The buckets a lookup at `at` reads."""
        return reach(at, self.window)

    @property
    def files_keys(self) -> bool:
        """A cap of 0 files items under no key (they can be found by id only)."""
        return self.per_key_cap > 0

    def kept_until(self, bucket: int) -> int:
        """Minutes: the last lookup reaching the bucket is at its end plus a window; one more window of
        slack lets an item that arrives late still find it."""
        return (bucket + 1) * 2 * self.window + 2 * self.window

    def stale(self, bucket: int, now: int) -> bool:
        """Whether a bucket may be dropped once the index has seen time `now` (minutes). A bucket far ahead
        of `now` is stale too: rows an older layout numbered by one window, not two."""
        return now >= self.kept_until(bucket) or bucket > self.bucket(now) + 2

    def expire_at(self, bucket: int, now_s: float) -> int:
        """Unix seconds for a store with TTLs (Redis): `kept_until` on the wall clock, and a window from
        now at least, so an item dated long ago is kept long enough for its copies to arrive."""
        return max(self.kept_until(bucket) * 60, int(now_s) + self.window * 60)

    def evictions(self, crowded: Mapping[int, Sequence[int]]) -> list[tuple[int, int]]:
        """(key, seq) entries to drop as one more item is filed under each crowded key: a key keeps its
        newest `per_key_cap` items per bucket (`crowded` lists the earlier ones, oldest first). The newest,
        not the first: a template's keys fill within a day, and a re-post follows its original soon."""
        drops: list[tuple[int, int]] = []
        for key, seqs in crowded.items():
            over = len(seqs) + 1 - self.per_key_cap
            if over > 0:
                drops.extend((key, seq) for seq in sorted(seqs)[:over])
        return drops


class Retained:
    """An index whose window and per-key cap are its `retention`'s (each backend holds one; tests and benches
    set the cap on a built index)."""

    retention: Retention

    @property
    def window(self) -> int:
        return self.retention.window

    @property
    def per_key_cap(self) -> int:
        return self.retention.per_key_cap

    @per_key_cap.setter
    def per_key_cap(self, cap: int) -> None:
        self.retention = Retention(self.retention.window, cap)
