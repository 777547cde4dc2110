"""Vectors already computed, keyed by model and text hash, so re-ingest costs no embedding work.

SQLite (stdlib) is transactional, so a killed ingest leaves the cache consistent.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable
from pathlib import Path

import numpy as np


def text_key(model_id: str, text: str) -> str:
    return hashlib.sha256(f"{model_id}\n{text}".encode()).hexdigest()


class EmbeddingCache:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(str(path))
        self.db.execute("CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, vector BLOB NOT NULL)")

    def close(self) -> None:
        self.db.close()

    def get_many(self, keys: list[str]) -> dict[str, list[float]]:
        found: dict[str, list[float]] = {}
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for key, blob in self.db.execute(f"SELECT key, vector FROM vectors WHERE key IN ({marks})", chunk):
                found[key] = np.frombuffer(blob, dtype=np.float32).tolist()
        return found

    def put_many(self, items: dict[str, list[float]]) -> None:
        rows = [(k, np.asarray(v, dtype=np.float32).tobytes()) for k, v in items.items()]
        with self.db:
            self.db.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?)", rows)

    def embed(
        self,
        model_id: str,
        texts: list[str],
        compute: Callable[[list[str]], list[list[float]]],
        chunk: int = 256,
        progress: Callable[[int], None] = lambda n: None,
    ) -> tuple[list[list[float]], int]:
        """Vectors for `texts`, computing only the missing ones; returns (vectors, texts found cached)."""
        keys = [text_key(model_id, t) for t in texts]
        known = self.get_many(list(dict.fromkeys(keys)))
        cached = sum(1 for k in keys if k in known)
        missing = list(dict.fromkeys(k for k in keys if k not in known))
        text_of = dict(zip(keys, texts, strict=False))
        # Chunks in length order keep batches of similar length across the whole run.
        missing.sort(key=lambda k: len(text_of[k]))
        for start in range(0, len(missing), chunk):
            batch = missing[start : start + chunk]
            fresh = dict(zip(batch, compute([text_of[k] for k in batch]), strict=False))
            self.put_many(fresh)
            known.update(fresh)
            progress(len(batch))
        return [known[k] for k in keys], cached
