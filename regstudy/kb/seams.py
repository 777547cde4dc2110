"""The typed seams of the index read side: what the rest of the code needs from an embedding model
and from a vector store, so that a fake (in tests) or another backend can stand in."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from regstudy.records import Unit

if TYPE_CHECKING:
    import numpy as np


class EmbeddingModel(Protocol):
    """Turns texts into unit-length vectors (LangChain's `Embeddings` interface, plus an id)."""

    model_id: str

    def embed_documents(self, texts: list[str]) -> list[list[float]]: ...

    def embed_query(self, text: str) -> list[float]: ...


class VectorIndex(Protocol):
    """Unit vectors by id, for nearest-neighbour search by cosine similarity."""

    def add(self, units: list[Unit], vectors: np.ndarray) -> None: ...

    def count(self) -> int: ...

    def search(self, vector: list[float], k: int, doc_ids: list[str] | None = None) -> list[tuple[str, float]]: ...

    def vectors(self, ids: list[str]) -> dict[str, list[float]]: ...
