"""The dense side of retrieval: cosine similarity of units to the question's vector. Chroma's HNSW index
searches a large knowledge base; the unit vectors kept beside it (`vectors.npy`, memory-mapped) serve a
small one by brute force, searches within a few documents, and the cosine of every candidate the other
lists found. All in rows of the BM25 index (the units' order)."""

from __future__ import annotations

import numpy as np

from regstudy.kb.knowledge_base import KnowledgeBase
from regstudy.kb.seams import VectorIndex

BRUTE_FORCE_MAX = 20_000  # units: up to here one matrix product beats an HNSW query


class DenseSearch:
    """Cosines for one knowledge base (its vector store, and its kept vectors when present), and of
    its documents and chapters: each the mean of its units' vectors (what a document is about, for
    routing a question to the right law among thousands)."""

    def __init__(self, kb: KnowledgeBase, store: VectorIndex, shared: bool = False) -> None:
        self.kb = kb
        self.store = store
        self.matrix = kb.vectors
        self.shared = shared  # a Chroma server holds the vectors: whole-corpus searches go to it
        units = [kb.by_id[i] for i in kb.lexical.ids]
        self.doc_of_row, self.doc_ids, self.doc_centroids = _centroids(self.matrix, [u.doc_id for u in units])
        chapters = [f"{u.doc_id}\x00{u.chapter}" for u in units]
        self.chapter_of_row, _, self.chapter_centroids = _centroids(self.matrix, chapters)
        superseded = set(kb.superseded)
        self.current_docs = np.array([n for n, d in enumerate(self.doc_ids) if d not in superseded], dtype=np.int64)

    def groups(self, vector: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The question's cosine with every document and every chapter (empty without kept vectors)."""
        if self.doc_centroids is None or self.chapter_centroids is None:
            return np.zeros(0), np.zeros(0)
        unit = vector / (np.linalg.norm(vector) or 1.0)
        return self.doc_centroids @ unit, self.chapter_centroids @ unit  # centroids are kept unit-length

    def closest_documents(self, doc_cos: np.ndarray, limit: int) -> list[str]:
        """The documents in force whose mean vector is closest to the question."""
        if not len(doc_cos) or not len(self.current_docs):
            return []
        similarity = doc_cos[self.current_docs]
        limit = min(limit, len(similarity))
        best = np.argpartition(-similarity, limit - 1)[:limit]
        return [self.doc_ids[int(self.current_docs[i])] for i in best[np.argsort(-similarity[best])]]

    def top(self, vector: np.ndarray, k: int, mask: np.ndarray, doc_ids: tuple[str, ...] | None) -> dict[int, float]:
        """Row → cosine of the k most similar units allowed by `mask` (`doc_ids`: the documents the
        mask allows, when it narrows them)."""
        small = len(self.matrix) <= BRUTE_FORCE_MAX and not self.shared if self.matrix is not None else False
        if self.matrix is not None and (small or doc_ids):
            return self._brute_force(vector, k, mask)
        rows = self.kb.lexical.rows
        found = self.store.search(vector.tolist(), k, list(doc_ids) if doc_ids else None)
        return {rows[i]: s for i, s in found if i in rows and mask[rows[i]]}

    def cosines(self, rows: list[int], vector: np.ndarray, known: dict[int, float]) -> np.ndarray:
        """The cosine of each row: from the search when it returned the row, else from its vector."""
        missing = [r for r in rows if r not in known]
        computed = dict(zip(missing, self._by_rows(missing, vector), strict=True)) if missing else {}
        return np.array([known[r] if r in known else computed[r] for r in rows])

    def _brute_force(self, vector: np.ndarray, k: int, mask: np.ndarray) -> dict[int, float]:
        allowed = np.flatnonzero(mask)
        if not len(allowed) or self.matrix is None:
            return {}
        similarity = self._similarity(self.matrix[allowed] if len(allowed) < len(mask) else self.matrix, vector)
        k = min(k, len(allowed))
        best = np.argpartition(-similarity, k - 1)[:k]
        return {int(allowed[i]): float(similarity[i]) for i in best}

    def _by_rows(self, rows: list[int], vector: np.ndarray) -> np.ndarray:
        if self.matrix is not None:
            return self._similarity(self.matrix[rows], vector)
        ids = [self.kb.lexical.ids[r] for r in rows]
        stored = self.store.vectors(ids)
        vectors = np.array([stored.get(i, np.zeros(len(vector))) for i in ids], dtype=np.float32)
        return self._similarity(vectors, vector)

    @staticmethod
    def _similarity(vectors: np.ndarray, vector: np.ndarray) -> np.ndarray:
        norms = np.sqrt(np.einsum("ij,ij->i", vectors, vectors)) * (np.linalg.norm(vector) or 1.0)
        return (vectors @ vector) / np.where(norms > 0, norms, 1.0)


def _centroids(matrix: np.ndarray | None, keys: list[str]) -> tuple[np.ndarray, list[str], np.ndarray | None]:
    """Each row's group, the groups in order, and each group's mean vector (None without vectors)."""
    order = list(dict.fromkeys(keys))
    index = {key: n for n, key in enumerate(order)}
    of_row = np.array([index[k] for k in keys], dtype=np.int64)
    if matrix is None or not len(keys):
        return of_row, order, None
    from scipy.sparse import csr_matrix

    counts = np.bincount(of_row, minlength=len(order)).astype(np.float32)
    averaging = csr_matrix((1.0 / counts[of_row], (of_row, np.arange(len(keys)))), shape=(len(order), len(keys)))
    means = np.asarray(averaging @ np.asarray(matrix, dtype=np.float32), dtype=np.float32)
    return of_row, order, means / np.maximum(np.linalg.norm(means, axis=1, keepdims=True), 1e-12)
