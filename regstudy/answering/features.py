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
    "soft",  # coverage counting a missing word's nearest neighbour in the unit (word vectors)
    "soft_margin",  # soft coverage minus the best in the pool
    "doc_cos",  # cosine with the unit's document (mean of its units' vectors)
    "doc_margin",  # minus the best document's cosine
    "chapter_cos",  # cosine with the unit's chapter
    "chapter_margin",  # minus the best chapter's cosine
    "example",  # similarity of the nearest answered example question citing the unit
    "example_margin",  # minus the similarity of the nearest answerable example
    "narrower",  # the unit binds only 党员干部 and the question is not about one
    # the same evidence weighs differently where answered examples lie near the question (the
    # documents users ask about most) and where none do: each of these is one of the above times
    # the similarity of the question's nearest answerable example
    "near",
    "near_cos_margin",
    "near_bm25_share",
    "near_soft_margin",
    "near_doc_margin",
    "near_example",
)
POOL_HEAD = 10  # candidates per list that vote for their document
QUESTION_NAMES = (
    "best",  # the best candidate's probability
    "best_gap",  # its lead over the second
    "best_cos",  # the best candidate's cosine
    "max_cos",  # the best cosine in the pool
    "best_coverage",  # the best candidate's coverage
    "max_coverage",
    "best_soft",
    "max_soft",
    "max_title",  # how well the question names some document's title
    "example_yes",  # similarity to the nearest answerable example question
    "example_no",  # similarity to the nearest unanswerable example question
    "concept",  # whether the thesaurus found the regulations' term for the question's wording
    "best_example",  # the best candidate's nearest answered example citing it
    "agree",  # share of the evidence lists (cosine, BM25, examples) whose own best is the best candidate
    "best_reader",  # the reader's logit for the best candidate (it reads the first few; reader.py)
    "max_reader",  # the best logit of any candidate it read
    "reader_gap",  # the best candidate's logit minus the best of the others it read
)
READ_NAMES = (  # the read stage: the first few candidates, reordered with the reader's logit
    "stage",  # the first stage's logit (the candidate model's probability)
    "stage_margin",  # minus the best of the candidates read
    "stage_rank",  # log2(1 + rank) in the first stage's order
    "reader",  # the reader's logit
    "reader_margin",  # minus the best reader logit among the candidates read
)


def matrix(hits: list[Hit]) -> np.ndarray:
    """One row of features per hit, in `NAMES` order."""
    if not hits:
        return np.zeros((0, len(NAMES)))
    cos = np.array([h.dense for h in hits])
    bm25 = np.array([h.lexical for h in hits])
    coverage = np.array([h.coverage for h in hits])
    concept = np.array([h.concept for h in hits])
    soft = np.array([h.soft for h in hits])
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
        soft,
        soft - soft.max(),
        np.array([h.doc_cos for h in hits]),
        np.array([h.doc_margin for h in hits]),
        np.array([h.chapter_cos for h in hits]),
        np.array([h.chapter_margin for h in hits]),
        np.array([h.example for h in hits]),
        np.array([h.example - h.example_yes if h.example else -1.0 for h in hits]),
        np.array([h.narrower for h in hits]),
    ]
    near = max(h.example_yes for h in hits)
    named = dict(zip(NAMES, columns, strict=False))
    interacting = ("cos_margin", "bm25_share", "soft_margin", "doc_margin", "example")
    columns += [np.full(len(hits), near), *(near * named[n] for n in interacting)]
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


def question_vector(ranked: list[Hit]) -> np.ndarray:
    """Evidence that the knowledge base answers the question at all, in `QUESTION_NAMES` order, from
    candidates ranked by their probability (`Hit.score`)."""
    if not ranked:
        return np.zeros(len(QUESTION_NAMES))
    best = ranked[0]
    second = ranked[1].score if len(ranked) > 1 else 0.0
    return np.array(
        [
            best.score,
            best.score - second,
            best.dense,
            max(h.dense for h in ranked),
            best.coverage,
            max(h.coverage for h in ranked),
            best.soft,
            max(h.soft for h in ranked),
            max(h.title for h in ranked),
            best.example_yes,
            best.example_no,
            float(any(h.concept > 0 for h in ranked)),
            best.example,
            _agreement(ranked),
            *_reader_evidence(ranked),
        ]
    )


def _reader_evidence(ranked: list[Hit]) -> tuple[float, float, float]:
    read = [h.reader for h in ranked if h.read]
    if not read:
        return 0.0, 0.0, 0.0
    best = ranked[0].reader if ranked[0].read else min(read)
    others = [h.reader for h in ranked[1:] if h.read]
    return best, max(read), best - max(others, default=best - 1.0)


def read_matrix(read: list[Hit], stage_ranks: list[int]) -> np.ndarray:
    """One row per candidate the reader read, in `READ_NAMES` order; `Hit.score` is still the first
    stage's probability."""
    stage = np.log(np.clip([h.score for h in read], 1e-6, 1 - 1e-6))
    stage = stage - np.log1p(-np.exp(stage))  # probability → logit
    reader = np.array([h.reader for h in read])
    return np.column_stack(
        [stage, stage - stage.max(), np.log2(1 + np.array(stage_ranks, dtype=float)), reader, reader - reader.max()]
    )


def _agreement(ranked: list[Hit]) -> float:
    best = ranked[0]
    lists = (
        best.dense >= max(h.dense for h in ranked),
        best.lexical > 0 and best.lexical >= max(h.lexical for h in ranked),
        best.example > 0 and best.example >= max(h.example for h in ranked),
    )
    return sum(lists) / len(lists)
