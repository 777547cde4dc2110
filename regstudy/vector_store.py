"""The only module that touches Chroma: one collection of unit vectors per index generation.

Embedded by default (`PersistentClient` in the generation's folder); vectors always come from our
own embedding model, never from Chroma's default embedding function (it downloads a model).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from regstudy.errors import EmbeddingModelMismatchError
from regstudy.records import Unit

COLLECTION = "regstudy-units"


def _client(folder: Path) -> Any:
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    return chromadb.PersistentClient(
        path=str(folder), settings=ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    )


class VectorStore:
    """Unit vectors with their ids, for nearest-neighbour search."""

    def __init__(self, client: Any, collection: Any) -> None:
        self.client = client
        self.collection = collection

    @classmethod
    def create(cls, folder: Path, model_id: str, dimension: int) -> VectorStore:
        client = _client(folder)
        collection = client.create_collection(
            COLLECTION,
            embedding_function=None,
            metadata={"embedding_model": model_id, "dimension": dimension},
            configuration={"hnsw": {"space": "cosine"}},
        )
        return cls(client, collection)

    @classmethod
    def open(cls, folder: Path, model_id: str) -> VectorStore:
        """Open for querying; the configured model must be the one the index was built with."""
        client = _client(folder)
        collection = client.get_collection(COLLECTION, embedding_function=None)
        indexed = (collection.metadata or {}).get("embedding_model", "?")
        if indexed != model_id:
            raise EmbeddingModelMismatchError(indexed, model_id)
        return cls(client, collection)

    @property
    def model_id(self) -> str:
        return (self.collection.metadata or {}).get("embedding_model", "?")

    def add(self, units: list[Unit], vectors: list[list[float]]) -> None:
        batch = self.client.get_max_batch_size()
        for start in range(0, len(units), batch):
            chunk = units[start : start + batch]
            self.collection.add(
                ids=[u.id for u in chunk],
                embeddings=vectors[start : start + batch],
                documents=[u.text for u in chunk],
                metadatas=[_metadata(u) for u in chunk],
            )

    def count(self) -> int:
        return self.collection.count()

    def search(self, vector: list[float], k: int, doc_ids: list[str] | None = None) -> list[tuple[str, float]]:
        """(unit id, cosine similarity) pairs, best first, optionally within some documents."""
        where = {"doc_id": {"$in": doc_ids}} if doc_ids else None
        k = min(k, self.count())
        if k <= 0:
            return []
        result = self.collection.query(query_embeddings=[vector], n_results=k, where=where, include=["distances"])
        return [(i, 1.0 - d) for i, d in zip(result["ids"][0], result["distances"][0], strict=False)]


def _metadata(unit: Unit) -> dict[str, Any]:
    return {
        "doc_id": unit.doc_id,
        "kind": unit.kind,
        "article": unit.article,
        "label": unit.label,
        "chapter": unit.chapter,
    }
