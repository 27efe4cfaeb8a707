"""Which member heads a near-duplicate cluster: the earliest published, so a copy never heads its original."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class Member:
    """One stored member of a cluster, as the head rule sees it."""

    id: str
    published_at: datetime | None
    stored_at: datetime
    # its page declared another member's URL as its canonical: by its own words it is that member's copy
    copies_a_member: bool = False


def head_key(member: Member) -> tuple[bool, datetime, datetime, str]:
    """The order of candidacy: own-admitted copies last, then publication time, then stored time, then id.

    A page cannot have been published after it was stored, so a missing or future date counts as the
    time it was stored (a clock or zone error never pushes an original behind its copies). The id makes
    the choice total, so every worker that settles the same members picks the same head.
    """
    published = member.published_at
    effective = member.stored_at if published is None or published > member.stored_at else published
    return (member.copies_a_member, effective, member.stored_at, member.id)


def choose_head(members: Iterable[Member]) -> str | None:
    """The id of the cluster's head, or None for no members."""
    best = min(members, key=head_key, default=None)
    return best.id if best else None


def pointers(members: Iterable[Member]) -> dict[str, str | None]:
    """Every member's duplicate_of under the head rule: None for the head, the head's id for the rest."""
    members = list(members)
    head = choose_head(members)
    return {m.id: (None if m.id == head else head) for m in members}
