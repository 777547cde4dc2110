"""Candidate retrieval: dense (Chroma, our embedding model), BM25 (jieba tokens), the thesaurus terms
and the documents whose titles the question names each propose units; then every candidate in the
union gets all the evidence (its cosine, its BM25 score, the share of the question's words it
contains, its document's title match), so the relevance model can rank and judge them together."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from regstudy.answering.routing import TitleIndex
from regstudy.kb.knowledge_base import KnowledgeBase
from regstudy.kb.lexical import tokenize
from regstudy.kb.seams import EmbeddingModel, VectorIndex
from regstudy.records import Unit
from regstudy.settings import Settings

ROUTED_DOCUMENTS = 8  # documents whose titles the question names, searched on their own
ROUTED_UNITS = 12  # units those documents add to each list


@dataclass(frozen=True)
class Hit:
    """A candidate unit with the evidence about it and (once ranked) its relevance score."""

    unit: Unit
    score: float  # probability of answering the question, from the relevance model (0 before)
    dense: float  # cosine similarity to the question (0.0 without an embedding model)
    lexical: float  # BM25 score of the question's words
    concept: float = 0.0  # BM25 score of the thesaurus terms behind the question's wording
    coverage: float = 0.0  # IDF-weighted share of the question's words found in the unit
    title: float = 0.0  # IDF-weighted share of the question's words found in its document's title

    def scored(self, score: float) -> Hit:
        return replace(self, score=score)


class Retriever:
    """Searches one knowledge base; `embeddings`/`store` may be None (lexical-only)."""

    def __init__(
        self, kb: KnowledgeBase, embeddings: EmbeddingModel | None, store: VectorIndex | None, settings: Settings
    ) -> None:
        self.kb = kb
        self.embeddings = embeddings
        self.store = store
        self.settings = settings
        self.titles = TitleIndex(kb.documents, kb.lexical)
        self._doc_of = np.array([kb.by_id[i].doc_id for i in kb.lexical.ids])
        self._answers = np.array([not i.endswith("/title") for i in kb.lexical.ids])
        self._current = ~np.isin(self._doc_of, list(kb.superseded))

    def search(
        self,
        query: str,
        concepts: str = "",
        doc_ids: tuple[str, ...] | None = None,
        k: int | None = None,
        old_editions: bool = False,
    ) -> list[Hit]:
        """The candidate units for a normalised query, unranked (the relevance model ranks them).
        `concepts` are the regulation terms a thesaurus found behind the query's everyday words.
        Superseded editions are searched only when asked for, or named in `doc_ids`."""
        n = k or self.settings.retrieval_candidates
        mask = self._mask(doc_ids, old_editions)
        tokens = tokenize(query)
        lexical = np.where(mask, self.kb.lexical.scores(tokens), 0.0)
        concept = np.where(mask, self.kb.lexical.scores(tokenize(concepts)), 0.0) if concepts else None
        vector = self._vector(query)
        dense = self._dense(vector, n, doc_ids)
        titles = self.titles.shares(tokens)
        rows = set(_top(lexical, n)) | {self.kb.lexical.rows[i] for i in dense}
        if concept is not None:
            rows |= set(_top(concept, n))
        routed = self.titles.routed(titles, ROUTED_DOCUMENTS, doc_ids)
        if routed and len(routed) < len(self.kb.documents):
            routed_mask = mask & np.isin(self._doc_of, routed)
            rows |= set(_top(np.where(routed_mask, lexical, 0.0), ROUTED_UNITS))
            dense = {**self._dense(vector, ROUTED_UNITS, tuple(routed)), **dense}
        rows = {r for r in rows if mask[r]}
        return self._evidence(sorted(rows), tokens, vector, dense, lexical, concept, titles)

    def embed(self, query: str) -> list[float] | None:
        return self.embeddings.embed_query(query) if self.embeddings else None

    def _vector(self, query: str) -> np.ndarray | None:
        vector = self.embed(query)
        return None if vector is None or self.store is None else np.asarray(vector, dtype=np.float32)

    def _dense(self, vector: np.ndarray | None, k: int, doc_ids: tuple[str, ...] | None) -> dict[str, float]:
        if vector is None or self.store is None:
            return {}
        return dict(self.store.search(vector.tolist(), k, list(doc_ids) if doc_ids else None))

    def _cosines(self, ids: list[str], vector: np.ndarray | None, known: dict[str, float]) -> np.ndarray:
        """Every candidate's cosine: from the dense search when it returned the unit, else from the
        stored vector (a unit found only by BM25 is not treated as dissimilar)."""
        if vector is None or self.store is None:
            return np.zeros(len(ids))
        missing = [i for i in ids if i not in known]
        stored = self.store.vectors(missing) if missing else {}
        norm = float(np.linalg.norm(vector)) or 1.0
        cosines = []
        for unit_id in ids:
            if unit_id in known:
                cosines.append(known[unit_id])
            elif unit_id in stored:
                other = np.asarray(stored[unit_id], dtype=np.float32)
                cosines.append(float(vector @ other) / (norm * (float(np.linalg.norm(other)) or 1.0)))
            else:
                cosines.append(0.0)
        return np.asarray(cosines)

    def _evidence(self, rows, tokens, vector, dense, lexical, concept, titles) -> list[Hit]:
        ids = [self.kb.lexical.ids[r] for r in rows]
        cosines = self._cosines(ids, vector, dense)
        coverage = self.kb.lexical.coverage(tokens, np.asarray(rows, dtype=np.int64))
        hits = []
        for position, (row, unit_id) in enumerate(zip(rows, ids, strict=True)):
            unit = self.kb.by_id[unit_id]
            hits.append(
                Hit(
                    unit,
                    0.0,
                    float(cosines[position]),
                    float(lexical[row]),
                    float(concept[row]) if concept is not None else 0.0,
                    float(coverage[position]),
                    titles.get(unit.doc_id, 0.0),
                )
            )
        return hits

    def _mask(self, doc_ids: tuple[str, ...] | None, old_editions: bool) -> np.ndarray:
        """Titles are never an answer (they match every question that names the document); an
        edition that a newer one replaced only when asked for."""
        if doc_ids:
            return self._answers & np.isin(self._doc_of, list(doc_ids))
        return self._answers if old_editions else self._answers & self._current


def _top(scores: np.ndarray, k: int) -> list[int]:
    """Rows of the k best positive scores."""
    k = min(k, len(scores))
    if k <= 0:
        return []
    top = np.argpartition(-scores, k - 1)[:k]
    return [int(r) for r in top if scores[r] > 0]
