"""Soft coverage: the IDF-weighted share of the question's words a unit contains, where a word the unit
lacks still counts for its nearest neighbour among the unit's words (word vectors), so an everyday word
(骂人) partly matches the regulation's (侮辱). Scale-free, like exact coverage."""

from __future__ import annotations

from functools import cached_property

import numpy as np

from regstudy.kb.lexical import LexicalIndex
from regstudy.kb.word_vectors import SIMILAR_FROM, WordVectors


class SoftMatcher:
    """Each unit's words (from the BM25 index) and their word-vector rows."""

    def __init__(self, lexical: LexicalIndex, vectors: WordVectors) -> None:
        self.lexical = lexical
        self.vectors = vectors

    @cached_property
    def _by_unit(self):
        from scipy.sparse import csc_matrix

        scores = self.lexical.retriever.scores
        shape = (len(self.lexical.ids), len(scores["indptr"]) - 1)
        return csc_matrix((scores["data"], scores["indices"], scores["indptr"]), shape=shape).tocsr()

    @cached_property
    def _token_rows(self) -> np.ndarray:
        """Word-vector row of every BM25 token id (-1 without a vector)."""
        vocab = self.lexical.retriever.vocab_dict
        words = [""] * len(vocab)
        for word, token_id in vocab.items():
            words[token_id] = word
        return self.vectors.rows(words)

    def coverage(self, tokens: list[str], rows: np.ndarray, exact: np.ndarray) -> np.ndarray:
        """Soft coverage of each unit row; `exact` is the exact coverage (a floor)."""
        unique = list(dict.fromkeys(tokens))
        weights = np.array([self.lexical.idf(t) for t in unique])
        query_rows = self.vectors.rows(unique)
        known = query_rows >= 0
        if not len(rows) or not known.any() or not weights.sum():
            return exact
        matrix = self._by_unit
        starts, ends = matrix.indptr[rows], matrix.indptr[rows + 1]
        word_rows = self._token_rows[np.concatenate([matrix.indices[a:b] for a, b in zip(starts, ends, strict=True)])]
        owners = np.repeat(np.arange(len(rows)), ends - starts)
        owners, word_rows = owners[word_rows >= 0], word_rows[word_rows >= 0]
        if not len(word_rows):
            return exact
        similarity = self.vectors.vectors[query_rows[known]] @ self.vectors.vectors[word_rows].T
        # each unit's words are contiguous (owners ascend): the best per unit is a segment maximum
        present, starts = np.unique(owners, return_index=True)
        best = np.full((int(known.sum()), len(rows)), -1.0, dtype=np.float32)
        best[:, present] = np.maximum.reduceat(similarity, starts, axis=1)
        closeness = np.clip((best - SIMILAR_FROM) / (1 - SIMILAR_FROM), 0.0, 1.0)
        soft = weights[known] @ closeness / weights.sum()
        return np.maximum(soft, exact)
