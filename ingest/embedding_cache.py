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

    def get_many(self, keys: list[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for key, blob in self.db.execute(f"SELECT key, vector FROM vectors WHERE key IN ({marks})", chunk):
                found[key] = np.frombuffer(blob, dtype=np.float32)
        return found

    def put_many(self, items: dict[str, np.ndarray]) -> None:
        rows = [(k, np.asarray(v, dtype=np.float32).tobytes()) for k, v in items.items()]
        with self.db:
            self.db.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?)", rows)

    def embed_chunk(
        self, model_id: str, texts: list[str], compute: Callable[[list[str]], list[list[float]]]
    ) -> tuple[np.ndarray, int]:
        """Vectors for one chunk of texts (float32 rows), computing only the missing ones; returns
        (vectors, texts found cached). The caller walks the corpus chunk by chunk, so only one
        chunk's vectors are ever in memory."""
        keys = [text_key(model_id, t) for t in texts]
        known = self.get_many(list(dict.fromkeys(keys)))
        cached = sum(1 for k in keys if k in known)
        text_of = dict(zip(keys, texts, strict=False))
        # In length order, the model's batches hold texts of similar length (little padding).
        missing = sorted(dict.fromkeys(k for k in keys if k not in known), key=lambda k: len(text_of[k]))
        if missing:
            fresh = {k: np.asarray(v, dtype=np.float32) for k, v in
                     zip(missing, compute([text_of[k] for k in missing]), strict=True)}  # fmt: skip
            self.put_many(fresh)
            known.update(fresh)
        return np.stack([known[k] for k in keys]), cached
