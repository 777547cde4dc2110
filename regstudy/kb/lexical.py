"""BM25 over jieba tokens (bm25s): the lexical half of hybrid search, and the fallback when no
embedding model is available."""

from __future__ import annotations

import logging
import re
from functools import cached_property, lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import bm25s

logging.getLogger("bm25s").setLevel(logging.WARNING)  # it logs every index build at DEBUG
PUNCT_OR_SPACE = re.compile(r"^[\W_]+$", re.UNICODE)


@lru_cache(maxsize=1)
def _tokenizer():
    import jieba

    jieba.setLogLevel(60)
    tokenizer = jieba.Tokenizer()
    with resources.as_file(resources.files("regstudy.resources") / "jieba_userdict.txt") as userdict:
        tokenizer.load_userdict(str(userdict))
    return tokenizer


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    text = (resources.files("regstudy.resources") / "stopwords.txt").read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip())


def tokenize(text: str) -> list[str]:
    """Search-mode jieba tokens without punctuation and stopwords (lower-cased Latin)."""
    return list(_tokens(text))


@lru_cache(maxsize=4096)  # one question is tokenized for search, coverage, titles and highlighting
def _tokens(text: str) -> tuple[str, ...]:
    stop = _stopwords()
    tokens = _tokenizer().lcut_for_search(text.lower())
    return tuple(t for t in tokens if t.strip() and t not in stop and not PUNCT_OR_SPACE.match(t))


class LexicalIndex:
    """A BM25 index over unit ids, persisted in a directory."""

    def __init__(self, retriever: bm25s.BM25, ids: list[str]) -> None:
        self.retriever = retriever
        self.ids = ids

    @classmethod
    def build(cls, ids: list[str], token_lists: list[list[str]]) -> LexicalIndex:
        import bm25s

        retriever = bm25s.BM25()
        retriever.index(token_lists, show_progress=False)
        return cls(retriever, list(ids))

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.retriever.save(str(folder))
        (folder / "ids.txt").write_text("\n".join(self.ids), encoding="utf-8")

    @classmethod
    def load(cls, folder: Path) -> LexicalIndex:
        import bm25s

        retriever = bm25s.BM25.load(str(folder))
        ids = (folder / "ids.txt").read_text(encoding="utf-8").split("\n")
        return cls(retriever, ids)

    def scores(self, tokens: list[str]) -> np.ndarray:
        """BM25 score of every unit (in `ids` order) for query tokens; unknown tokens score nothing."""
        vocab = self.retriever.vocab_dict
        known = [t for t in tokens if t in vocab]
        if not known:
            return np.zeros(len(self.ids), dtype=np.float32)
        return self.retriever.get_scores(known)

    @cached_property
    def rows(self) -> dict[str, int]:
        """Each unit id's row in `ids` (and in every score array)."""
        return {unit_id: row for row, unit_id in enumerate(self.ids)}

    def idf(self, token: str) -> float:
        """BM25 (Lucene) inverse document frequency; a token the corpus never uses gets the highest."""
        n, df = len(self.ids), self.document_frequency(token)
        return float(np.log(1.0 + (n - df + 0.5) / (df + 0.5)))

    def containing(self, token: str) -> np.ndarray:
        """The rows of the units that contain the token (sorted)."""
        token_id = self.retriever.vocab_dict.get(token)
        if token_id is None:
            return np.zeros(0, dtype=np.int64)
        indptr = self.retriever.scores["indptr"]
        return self.retriever.scores["indices"][indptr[token_id] : indptr[token_id + 1]]

    def coverage(self, tokens: list[str], rows: np.ndarray) -> np.ndarray:
        """For each unit row, the IDF-weighted share of the query tokens it contains: a scale-free
        measure (a word the corpus never uses counts fully against every unit)."""
        unique = list(dict.fromkeys(tokens))
        weights = [self.idf(t) for t in unique]
        total = sum(weights)
        covered = np.zeros(len(rows))
        if not total:
            return covered
        for token, weight in zip(unique, weights, strict=True):
            covered += weight * _members(rows, self.containing(token))
        return covered / total

    def document_frequency(self, token: str) -> int:
        """How many units contain the token (0 when the corpus never uses it)."""
        token_id = self.retriever.vocab_dict.get(token)
        if token_id is None:
            return 0
        indptr = self.retriever.scores["indptr"]
        return int(indptr[token_id + 1] - indptr[token_id])

    def search(self, query: str, k: int = 10, mask: np.ndarray | None = None) -> list[tuple[str, float]]:
        """(unit id, BM25 score) pairs, best first; only units sharing a token with the query.
        `mask` (one bool per unit) restricts the search to some units."""
        scores = self.scores(tokenize(query))
        if mask is not None:
            scores = np.where(mask, scores, 0.0)
        return [(self.ids[int(i)], float(scores[i])) for i in top_rows(scores, k)]


def top_rows(scores: np.ndarray, k: int) -> np.ndarray:
    """Rows of the k best positive scores, best first."""
    k = min(k, len(scores))
    if k <= 0:
        return np.zeros(0, dtype=np.int64)
    top = np.argpartition(-scores, k - 1)[:k]
    top = top[np.argsort(-scores[top])]
    return top[scores[top] > 0]


def _members(rows: np.ndarray, sorted_rows: np.ndarray) -> np.ndarray:
    """Whether each row occurs in a sorted array (a binary search each: the arrays of common tokens
    hold most of a large corpus)."""
    if not len(sorted_rows):
        return np.zeros(len(rows), dtype=bool)
    at = np.minimum(np.searchsorted(sorted_rows, rows), len(sorted_rows) - 1)
    return sorted_rows[at] == rows


def words(text: str) -> list[str]:
    """Precise-mode jieba words (with the domain dictionary), punctuation included, in order."""
    return _tokenizer().lcut(text)
