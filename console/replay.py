"""Replaying dead letters: a failed job goes back on the manual lane with its original arguments."""

from __future__ import annotations

from workers.queueing import enqueue_page, enqueue_source
from workers.runtime import Runtime


def retry_failure(rt: Runtime, failure_id: int) -> bool:
    failure = rt.ledger.failure(failure_id)
    if failure is None:
        return False
    args = failure.args or {}
    if failure.task == "akhbar.fetch_source":
        enqueue_source(rt, args["source"], manual=True)
    else:
        enqueue_page(rt, args["url"], args.get("source") or "manual", manual=True, title=args.get("title"))
    rt.ledger.drop_failure(failure_id)
    return True
