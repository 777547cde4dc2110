"""Fakes that implement the real interfaces, for tests that only exercise text handling."""

from __future__ import annotations

import hashlib

import numpy as np

DIMENSION = 64


class HashEmbeddings:
    """A deterministic stand-in for the embedding model (`regstudy.kb.seams.EmbeddingModel`): each
    character pair of a text adds to one of 64 hashed dimensions; vectors have unit length. Texts
    that share wording are close, so an index built with it is real in every respect but meaning."""

    model_id = "fake-hash-64"

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [self.embed_query(text) for text in texts]

    def embed_query(self, text: str) -> list[float]:
        vector = np.zeros(DIMENSION, dtype=np.float32)
        for pair in (text[i : i + 2] for i in range(max(len(text) - 1, 1))):
            vector[int.from_bytes(hashlib.blake2b(pair.encode(), digest_size=2).digest()) % DIMENSION] += 1.0
        norm = float(np.linalg.norm(vector)) or 1.0
        return (vector / norm).tolist()
