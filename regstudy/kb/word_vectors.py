"""Word vectors for soft word matching: a question's everyday word (骂人, 泄密, 谣言) counts as partly
found in a unit that uses a near neighbour (侮辱, 泄露, 传言). The vectors are the MIT-licensed Chinese
word2vec (125,796 words × 100, Chinese Wikipedia) shipped inside the `synonyms==3.10.2` sdist on PyPI;
only its data file is read (importing the package would load its own copy and its own jieba)."""

from __future__ import annotations

import importlib.util
import logging
from functools import lru_cache
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)
SIMILAR_FROM = 0.45  # cosine below which a neighbour counts for nothing


class WordVectors:
    """Unit-length vectors by word."""

    def __init__(self, words: list[str], vectors: np.ndarray) -> None:
        self.index = {w: i for i, w in enumerate(words)}
        self.vectors = vectors

    @classmethod
    def read(cls, path: Path) -> WordVectors:
        """The word2vec binary format: a `count dimension` line, then each word, a space and its floats."""
        data = path.read_bytes()
        end = data.index(b"\n")
        count, dimension = map(int, data[:end].split())
        words, vectors, position = [], np.empty((count, dimension), dtype=np.float32), end + 1
        for row in range(count):
            space = data.index(b" ", position)
            words.append(data[position:space].decode("utf-8", errors="replace").strip())
            vectors[row] = np.frombuffer(data, np.float32, dimension, space + 1)
            position = space + 1 + 4 * dimension
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True) + 1e-9
        return cls(words, vectors)

    def rows(self, words: list[str]) -> np.ndarray:
        """Each word's row (-1 when the word has no vector)."""
        return np.array([self.index.get(w, -1) for w in words], dtype=np.int64)

    def closeness(self, query_rows: np.ndarray, unit_rows: np.ndarray) -> np.ndarray:
        """For each query word, its best similarity to any of a unit's words, rescaled so that
        `SIMILAR_FROM` is 0 and identity is 1 (words without vectors: 0)."""
        q, u = query_rows[query_rows >= 0], unit_rows[unit_rows >= 0]
        best = np.zeros(len(query_rows))
        if len(q) and len(u):
            similarity = (self.vectors[q] @ self.vectors[u].T).max(axis=1)
            best[query_rows >= 0] = np.clip((similarity - SIMILAR_FROM) / (1 - SIMILAR_FROM), 0.0, 1.0)
        return best


@lru_cache(maxsize=1)
def bundled() -> WordVectors | None:
    """The packaged vectors, or None when the `synonyms` sdist is not installed."""
    spec = importlib.util.find_spec("synonyms")
    locations = list(spec.submodule_search_locations or []) if spec else []
    path = Path(locations[0]) / "data" / "words.vector" if locations else None
    if path is None or not path.is_file():
        log.info("未安装词向量（synonyms==3.10.2），近义词匹配不可用")
        return None
    return WordVectors.read(path)
