"""The relevance model's features for a pool of candidates. Each is scale-free: a share, a cosine, or
a value relative to the best in the pool, so that one model holds at 2 documents and at 60,000
articles (absolute BM25 scores grow with the corpus; shares and margins do not)."""

from __future__ import annotations

import math

import numpy as np

from regstudy.answering.retrieval import Hit
from regstudy.records import SECTION

NAMES = (
    "cos",  # cosine similarity to the question
    "cos_margin",  # cosine minus the best cosine in the pool
    "bm25_share",  # BM25 relative to the best BM25 in the pool
    "coverage",  # IDF-weighted share of the question's words in the unit
    "coverage_margin",  # coverage minus the best coverage in the pool
    "dense_rank",  # log2(1 + rank by cosine)
    "lexical_rank",  # log2(1 + rank by BM25)
    "title",  # share of the question's words in its document's title
    "doc_share",  # share of the pool's best candidates that come from the same document
    "concept_share",  # thesaurus-term BM25 relative to the best in the pool
    "section",  # a notice, preamble or signature block rather than an article or point
    "length",  # log of the unit's length in characters
)
POOL_HEAD = 10  # candidates per list that vote for their document


def matrix(hits: list[Hit]) -> np.ndarray:
    """One row of features per hit, in `NAMES` order."""
    if not hits:
        return np.zeros((0, len(NAMES)))
    cos = np.array([h.dense for h in hits])
    bm25 = np.array([h.lexical for h in hits])
    coverage = np.array([h.coverage for h in hits])
    concept = np.array([h.concept for h in hits])
    columns = [
        cos,
        cos - cos.max(),
        _share(bm25),
        coverage,
        coverage - coverage.max(),
        np.log2(1 + _ranks(cos)),
        np.log2(1 + _ranks(bm25)),
        np.array([h.title for h in hits]),
        _doc_share(hits, cos, bm25),
        _share(concept),
        np.array([float(h.unit.kind == SECTION) for h in hits]),
        np.array([math.log(1 + len(h.unit.text)) for h in hits]),
    ]
    return np.column_stack(columns)


def _share(values: np.ndarray) -> np.ndarray:
    top = values.max()
    return values / top if top > 0 else np.zeros_like(values)


def _ranks(values: np.ndarray) -> np.ndarray:
    """1 for the best value, 2 for the next…; units with nothing (0) share the last rank."""
    order = np.argsort(-values, kind="stable")
    ranks = np.empty(len(values))
    ranks[order] = np.arange(1, len(values) + 1)
    return np.where(values > 0, ranks, len(values))


def _doc_share(hits: list[Hit], cos: np.ndarray, bm25: np.ndarray) -> np.ndarray:
    head = set(np.argsort(-cos)[:POOL_HEAD]) | {i for i in np.argsort(-bm25)[:POOL_HEAD] if bm25[i] > 0}
    votes: dict[str, int] = {}
    for i in head:
        votes[hits[i].unit.doc_id] = votes.get(hits[i].unit.doc_id, 0) + 1
    return np.array([votes.get(h.unit.doc_id, 0) / len(head) for h in hits])
