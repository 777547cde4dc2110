"""Hybrid retrieval: dense (Chroma, our embedding model) and BM25 (jieba tokens) over the same
units, fused by reciprocal rank fusion or by a weighted sum of normalised scores."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from regstudy.kb.knowledge_base import KnowledgeBase
from regstudy.kb.seams import EmbeddingModel, VectorIndex
from regstudy.records import SECTION, Unit
from regstudy.settings import Settings


@dataclass(frozen=True)
class Hit:
    """A retrieved unit with its fused score and the evidence behind it."""

    unit: Unit
    score: float
    dense: float  # cosine similarity to the query (0.0 when dense search did not return it)
    lexical: float  # BM25 score (0.0 when no query token occurs in it)
    concept: float = 0.0  # BM25 score of the thesaurus terms behind the question's wording


class Retriever:
    """Searches one knowledge base; `embeddings`/`store` may be None (lexical-only)."""

    def __init__(
        self, kb: KnowledgeBase, embeddings: EmbeddingModel | None, store: VectorIndex | None, settings: Settings
    ) -> None:
        self.kb = kb
        self.embeddings = embeddings
        self.store = store
        self.settings = settings
        self._doc_of = np.array([kb.by_id[i].doc_id for i in kb.lexical.ids])
        self._searchable = np.array([_searchable(kb.by_id[i]) for i in kb.lexical.ids])

    def search(
        self, query: str, concepts: str = "", doc_ids: tuple[str, ...] | None = None, k: int | None = None
    ) -> list[Hit]:
        """The best units for a normalised query, best first. `concepts` are the regulation terms a
        thesaurus found behind the query's everyday words: a third ranked list in the fusion, and a
        second dense query (a unit's similarity is the better of the two)."""
        n = k or self.settings.retrieval_candidates
        mask = self._mask(doc_ids)
        dense = self._dense(query, n, doc_ids)
        lexical = dict(self.kb.lexical.search(query, n, mask))
        concept = dict(self.kb.lexical.search(concepts, n, mask)) if concepts else {}
        if concepts:
            for unit_id, similarity in self._dense(concepts, n, doc_ids).items():
                dense[unit_id] = max(similarity, dense.get(unit_id, 0.0))
        fused = self._fuse(
            [
                (dense, self.settings.dense_weight),
                (lexical, 1.0 - self.settings.dense_weight),
                (concept, self.settings.concept_weight),
            ]
        )
        hits = []
        for unit_id, score in fused.items():
            unit = self.kb.by_id[unit_id]
            if _searchable(unit):
                weight = self.settings.section_weight if unit.kind == SECTION else 1.0
                evidence = (dense.get(unit_id, 0.0), lexical.get(unit_id, 0.0), concept.get(unit_id, 0.0))
                hits.append(Hit(unit, score * weight, *evidence))
        return sorted(hits, key=lambda h: -h.score)

    def embed(self, query: str) -> list[float] | None:
        return self.embeddings.embed_query(query) if self.embeddings else None

    def _dense(self, query: str, k: int, doc_ids: tuple[str, ...] | None) -> dict[str, float]:
        vector = self.embed(query)
        if vector is None or self.store is None:
            return {}
        return dict(self.store.search(vector, k, list(doc_ids) if doc_ids else None))

    def _mask(self, doc_ids: tuple[str, ...] | None) -> np.ndarray:
        if not doc_ids:
            return self._searchable
        return self._searchable & np.isin(self._doc_of, list(doc_ids))

    def _fuse(self, ranked: list[tuple[dict[str, float], float]]) -> dict[str, float]:
        if self.settings.fusion == "weighted":
            return _weighted(ranked)
        return _rrf(ranked, self.settings.rrf_k)


def _searchable(unit: Unit) -> bool:
    """Titles are never an answer; they match every question that names the document."""
    return not unit.id.endswith("/title")


def _ranks(scores: dict[str, float]) -> dict[str, int]:
    return {unit_id: rank for rank, (unit_id, _) in enumerate(sorted(scores.items(), key=lambda kv: -kv[1]), 1)}


def _rrf(ranked: list[tuple[dict[str, float], float]], k: int) -> dict[str, float]:
    """Reciprocal rank fusion: each list adds weight / (k + rank)."""
    fused: dict[str, float] = {}
    for scores, weight in ranked:
        for unit_id, rank in _ranks(scores).items():
            fused[unit_id] = fused.get(unit_id, 0.0) + weight / (k + rank)
    return fused


def _weighted(ranked: list[tuple[dict[str, float], float]]) -> dict[str, float]:
    """Weighted sum of scores, each list scaled so its best is 1."""
    fused: dict[str, float] = {}
    for scores, weight in ranked:
        top = max(scores.values(), default=0.0) or 1.0
        for unit_id, score in scores.items():
            fused[unit_id] = fused.get(unit_id, 0.0) + weight * score / top
    return fused
