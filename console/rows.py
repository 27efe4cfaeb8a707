"""The console edge: typed rows (workers/core/rows.py) back into the dicts the API and `--json` have always shown."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import fields
from typing import Any


def row_dict(row: Any) -> dict[str, Any]:
    """A row as a dict, keys in the table's column order (a shallow copy: values are not copied)."""
    return {f.name: getattr(row, f.name) for f in fields(row)}


def row_dicts(rows: Iterable[Any]) -> list[dict[str, Any]]:
    return [row_dict(r) for r in rows]
