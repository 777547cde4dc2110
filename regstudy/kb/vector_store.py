"""The only module that touches Chroma: one collection of unit vectors per index generation.

Embedded by default (`PersistentClient` in the generation's folder). With `REGSTUDY_CHROMA_HOST` set,
a Chroma server (`HttpClient`) holds every generation's collection, named after the generation, so
app replicas and ingest share it. Vectors always come from our own embedding model, never from
Chroma's default embedding function (it downloads a model). A server that cannot be reached is a
`VectorStoreUnavailableError`; the HTTP client reconnects by itself once the server is back.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from chromadb.errors import NotFoundError

from regstudy.errors import (
    EmbeddingModelMismatchError,
    RegStudyError,
    VectorStoreMissingError,
    VectorStoreUnavailableError,
)
from regstudy.records import Unit
from regstudy.settings import Settings

if TYPE_CHECKING:
    import numpy as np

COLLECTION = "regstudy-units"


def _client(folder: Path, settings: Settings) -> Any:
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if not settings.chroma_host:
        return chromadb.PersistentClient(path=str(folder), settings=chroma_settings)
    try:
        return chromadb.HttpClient(host=settings.chroma_host, port=settings.chroma_port, settings=chroma_settings)
    except Exception as error:  # chromadb raises ValueError or httpx errors when it cannot connect
        raise VectorStoreUnavailableError(settings.chroma_host, settings.chroma_port) from error


def collection_name(folder: Path, settings: Settings) -> str:
    """Embedded: one store per generation folder. Server: one collection per generation."""
    return f"regstudy-{folder.parent.name}" if settings.chroma_host else COLLECTION


def drop_stale(settings: Settings, live: set[str]) -> None:
    """On a server, delete the collections of generations that no longer exist on disk."""
    if not settings.chroma_host:
        return
    client = _client(Path("."), settings)
    for name in _guarded(settings, lambda: [c if isinstance(c, str) else c.name for c in client.list_collections()]):
        if name.startswith("regstudy-g") and name.removeprefix("regstudy-") not in live:
            _guarded(settings, lambda name=name: client.delete_collection(name))


def _guarded(settings: Settings, call: Any) -> Any:
    """Run a call on the server, turning connection failures into a clear error."""
    try:
        return call()
    except (NotFoundError, RegStudyError):
        raise
    except Exception as error:
        if settings.chroma_host and _is_connection_error(error):
            raise VectorStoreUnavailableError(settings.chroma_host, settings.chroma_port) from error
        raise


def _is_connection_error(error: Exception) -> bool:
    import httpx

    return isinstance(error, (httpx.TransportError, ConnectionError)) or "connect" in str(error).lower()


class VectorStore:
    """Unit vectors with their ids, for nearest-neighbour search."""

    def __init__(self, client: Any, collection: Any, settings: Settings) -> None:
        self.client = client
        self.collection = collection
        self.settings = settings
        self._size: int | None = None  # a generation's collection never changes once published

    @classmethod
    def create(cls, folder: Path, model_id: str, dimension: int, settings: Settings) -> VectorStore:
        client = _client(folder, settings)
        name = collection_name(folder, settings)
        if settings.chroma_host:  # a rerun after an interrupted ingest may have left it half-filled
            _guarded(settings, lambda: _delete_if_present(client, name))
        collection = _guarded(
            settings,
            lambda: client.create_collection(
                name,
                embedding_function=None,
                metadata={"embedding_model": model_id, "dimension": dimension},
                configuration={"hnsw": {"space": "cosine"}},
            ),
        )
        return cls(client, collection, settings)

    @classmethod
    def open(cls, folder: Path, model_id: str, settings: Settings) -> VectorStore:
        """Open for querying; the configured model must be the one the index was built with."""
        client = _client(folder, settings)
        name = collection_name(folder, settings)
        try:
            collection = _guarded(settings, lambda: client.get_collection(name, embedding_function=None))
        except NotFoundError as error:
            raise VectorStoreMissingError(name, settings.chroma_host) from error
        indexed = (collection.metadata or {}).get("embedding_model", "?")
        if indexed != model_id:
            raise EmbeddingModelMismatchError(indexed, model_id)
        return cls(client, collection, settings)

    @property
    def model_id(self) -> str:
        return (self.collection.metadata or {}).get("embedding_model", "?")

    def add(self, units: list[Unit], vectors: np.ndarray) -> None:
        batch = _guarded(self.settings, self.client.get_max_batch_size)
        for start in range(0, len(units), batch):
            chunk = units[start : start + batch]
            _guarded(
                self.settings,
                lambda chunk=chunk, start=start: self.collection.add(
                    ids=[u.id for u in chunk],
                    embeddings=vectors[start : start + batch],
                    documents=[u.text for u in chunk],
                    metadatas=[_metadata(u) for u in chunk],
                ),
            )

    def count(self) -> int:
        return _guarded(self.settings, self.collection.count)

    def search(self, vector: list[float], k: int, doc_ids: list[str] | None = None) -> list[tuple[str, float]]:
        """(unit id, cosine similarity) pairs, best first, optionally within some documents."""
        where = {"doc_id": {"$in": doc_ids}} if doc_ids else None
        if self._size is None:
            self._size = self.count()
        k = min(k, self._size)
        if k <= 0:
            return []
        result = _guarded(
            self.settings,
            lambda: self.collection.query(query_embeddings=[vector], n_results=k, where=where, include=["distances"]),
        )
        return [(i, 1.0 - d) for i, d in zip(result["ids"][0], result["distances"][0], strict=False)]

    def vectors(self, ids: list[str]) -> dict[str, list[float]]:
        """The stored vectors of some units (to score candidates the dense search did not return)."""
        if not ids:
            return {}
        result = _guarded(self.settings, lambda: self.collection.get(ids=ids, include=["embeddings"]))
        return {i: list(v) for i, v in zip(result["ids"], result["embeddings"], strict=False)}


def _metadata(unit: Unit) -> dict[str, Any]:
    return {
        "doc_id": unit.doc_id,
        "kind": unit.kind,
        "article": unit.article,
        "label": unit.label,
        "chapter": unit.chapter,
    }


def _delete_if_present(client: Any, name: str) -> None:
    with contextlib.suppress(NotFoundError):
        client.delete_collection(name)
