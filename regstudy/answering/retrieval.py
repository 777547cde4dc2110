"""Candidate retrieval: dense (Chroma, our embedding model), BM25 (jieba tokens), the thesaurus terms
and the documents whose titles the question names each propose units; then every candidate in the
union gets all the evidence (its cosine, its BM25 score, the share of the question's words it
contains, its document's title match), so the relevance model can rank and judge them together."""

from __future__ import annotations

import copy
from dataclasses import dataclass

import numpy as np

from regstudy.answering import asking
from regstudy.answering.dense import DenseSearch
from regstudy.answering.examples import ExampleIndex, Examples
from regstudy.answering.routing import TitleIndex
from regstudy.answering.soft_match import SoftMatcher
from regstudy.kb import word_vectors
from regstudy.kb.knowledge_base import KnowledgeBase
from regstudy.kb.lexical import tokenize, top_rows
from regstudy.kb.seams import EmbeddingModel, VectorIndex
from regstudy.modality import binds_only_cadres
from regstudy.records import Unit
from regstudy.settings import Settings

ROUTED_DOCUMENTS = 8  # documents whose titles the question names, searched on their own
ROUTED_UNITS = 12  # units those documents add to each list
CLOSEST_DOCUMENTS = 3  # documents whose mean vector is closest to the question, searched on their own


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
    soft: float = 0.0  # coverage where a missing word counts for its nearest neighbour in the unit
    doc_cos: float = 0.0  # cosine with its document's mean vector (what the document is about)
    doc_margin: float = 0.0  # that cosine minus the best document's
    chapter_cos: float = 0.0  # cosine with its chapter's mean vector
    chapter_margin: float = 0.0
    example: float = 0.0  # similarity of the nearest answered example question citing this unit
    example_yes: float = 0.0  # the question's similarity to the nearest answerable example
    example_no: float = 0.0  # and to the nearest example the knowledge base cannot answer
    narrower: float = 0.0  # 1 when the unit binds only 党员干部 and the question is not about one
    reader: float = 0.0  # the reader's logit that the unit answers the question (reader.py)
    read: bool = False  # whether the reader read it (only the first few candidates are read)

    def scored(self, score: float) -> Hit:
        return self._with(score=score)

    def reading(self, logit: float) -> Hit:
        return self._with(reader=logit, read=True)

    def _with(self, **values: float | bool) -> Hit:
        copied = copy.copy(self)  # dataclasses.replace re-runs __init__: too slow for every candidate
        for name, value in values.items():
            object.__setattr__(copied, name, value)
        return copied


@dataclass
class _QueryEvidence:
    """What one query measures over the whole index (arrays in BM25 row order)."""

    tokens: list[str]
    mask: np.ndarray  # the units the search may return
    lexical: np.ndarray  # BM25 of the query
    concept: np.ndarray | None  # BM25 of the thesaurus terms
    vector: np.ndarray | None
    dense: dict[int, float]  # row → cosine of the units the dense searches returned
    titles: dict[str, float]  # document id → title share
    groups: tuple[np.ndarray, np.ndarray]  # cosine with every document and every chapter
    closest: list[str]  # the documents in force whose content is closest to the question
    examples: tuple[dict[int, float], float, float] = ({}, 0.0, 0.0)  # see ExampleIndex.evidence (rows)
    cadre: bool = False  # the question is about a 干部


class Retriever:
    """Searches one knowledge base; `embeddings`/`store` may be None (lexical-only)."""

    def __init__(
        self,
        kb: KnowledgeBase,
        embeddings: EmbeddingModel | None,
        store: VectorIndex | None,
        settings: Settings,
        thesaurus_titles: tuple[str, ...] = (),
    ) -> None:
        self.kb = kb
        self.embeddings = embeddings
        self.settings = settings
        self.titles = TitleIndex(kb.documents, kb.lexical)
        shared = bool(settings.chroma_host)
        self.dense = DenseSearch(kb, store, shared) if store is not None and embeddings is not None else None
        examples = Examples.bundled()
        usable = examples is not None and embeddings is not None and examples.model_id == embeddings.model_id
        self.examples = ExampleIndex(examples, kb.documents, kb.units) if usable and examples else None
        self.word_vectors = word_vectors.bundled()
        self.soft = SoftMatcher(kb.lexical, self.word_vectors) if self.word_vectors is not None else None
        doc_of = [kb.by_id[i].doc_id for i in kb.lexical.ids]
        self._document_index = {d: n for n, d in enumerate(dict.fromkeys(doc_of))}
        self._doc_number = np.array([self._document_index[d] for d in doc_of], dtype=np.int64)
        self._answers = np.array([not i.endswith("/title") for i in kb.lexical.ids])
        self._current = ~self._of_documents(list(kb.superseded))
        # the thesaurus's terms are matched only in the documents whose vocabulary it was written for
        covered = [d.id for d in kb.documents if not thesaurus_titles or d.title in thesaurus_titles]
        self._thesaurus_doc_ids = frozenset(covered)
        self._thesaurus_documents = self._of_documents(covered)

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
        query_evidence = self._measure(query, concepts, doc_ids, n, old_editions)
        rows = set(_top(query_evidence.lexical, n)) | set(query_evidence.dense)
        if query_evidence.concept is not None:
            rows |= set(_top(query_evidence.concept, n))
        rows |= self._routed_rows(query_evidence, doc_ids)
        rows |= set(query_evidence.examples[0])
        return self._evidence(sorted(r for r in rows if query_evidence.mask[r]), query_evidence)

    def _measure(
        self, query: str, concepts: str, doc_ids: tuple[str, ...] | None, n: int, old_editions: bool
    ) -> _QueryEvidence:
        mask = self._mask(doc_ids, old_editions)
        tokens = tokenize(query)
        lexical = np.where(mask, self.kb.lexical.scores(tokens), 0.0)
        vector = self._vector(query)
        dense, groups, closest = {}, (np.zeros(0), np.zeros(0)), []
        if self.dense is not None and vector is not None:
            dense, groups = self.dense.top(vector, n, mask, doc_ids), self.dense.groups(vector)
            closest = self.dense.closest_documents(groups[0], CLOSEST_DOCUMENTS)
        concept = None
        if concepts and self._about_thesaurus_documents(closest):
            concept_mask = mask & self._thesaurus_documents
            concept = np.where(concept_mask, self.kb.lexical.scores(tokenize(concepts)), 0.0)
        titles = self.titles.shares(tokens)
        evidence = _QueryEvidence(tokens, mask, lexical, concept, vector, dense, titles, groups, closest)
        evidence.cadre = asking.about_cadre(query)
        if self.examples is not None and vector is not None:
            by_unit, yes, no = self.examples.evidence(vector)
            rows = self.kb.lexical.rows
            evidence.examples = ({rows[u]: s for u, s in by_unit.items() if u in rows}, yes, no)
        return evidence

    def _about_thesaurus_documents(self, closest: list[str]) -> bool:
        """Whether the question is about the documents the thesaurus was written for: one of them is
        among those closest to it (always so in a small knowledge base; without vectors, assumed).
        Otherwise its everyday words (赚钱 → 营利活动) would pull those documents' articles above
        another law's answer."""
        return not closest or any(d in self._thesaurus_doc_ids for d in closest)

    def _routed_rows(self, evidence: _QueryEvidence, doc_ids: tuple[str, ...] | None) -> set[int]:
        """Units of the documents the question names or is closest to, searched on their own (their
        cosines join `evidence.dense`)."""
        routed = self.titles.routed(evidence.titles, ROUTED_DOCUMENTS, doc_ids)
        if not doc_ids:
            routed += evidence.closest
        if not routed or len(set(routed)) >= len(self.kb.documents):
            return set()
        routed_mask = evidence.mask & self._of_documents(routed)
        rows = set(_top(np.where(routed_mask, evidence.lexical, 0.0), ROUTED_UNITS))
        if self.dense is not None and evidence.vector is not None:
            found = self.dense.top(evidence.vector, ROUTED_UNITS, routed_mask, tuple(routed))
            evidence.dense.update({r: c for r, c in found.items() if r not in evidence.dense})
            rows |= set(found)
        return rows

    def embed(self, query: str) -> list[float] | None:
        return self.embeddings.embed_query(query) if self.embeddings else None

    def _vector(self, query: str) -> np.ndarray | None:
        vector = self.embed(query)
        return None if vector is None or self.dense is None else np.asarray(vector, dtype=np.float32)

    def _evidence(self, rows: list[int], evidence: _QueryEvidence) -> list[Hit]:
        """Every candidate with all of its evidence."""
        ids = [self.kb.lexical.ids[r] for r in rows]
        vector, tokens, lexical, concept = evidence.vector, evidence.tokens, evidence.lexical, evidence.concept
        cosines = self.dense.cosines(rows, vector, evidence.dense) if self.dense and vector is not None else None
        row_array = np.asarray(rows, dtype=np.int64)
        coverage = self.kb.lexical.coverage(tokens, row_array)
        soft = self.soft.coverage(tokens, row_array, coverage) if self.soft else coverage
        doc_cos, chapter_cos = self._group_cosines(row_array, evidence.groups)
        by_example, example_yes, example_no = evidence.examples
        hits = []
        for position, (row, unit_id) in enumerate(zip(rows, ids, strict=True)):
            unit = self.kb.by_id[unit_id]
            hits.append(
                Hit(
                    unit,
                    0.0,
                    dense=float(cosines[position]) if cosines is not None else 0.0,
                    lexical=float(lexical[row]),
                    concept=float(concept[row]) if concept is not None else 0.0,
                    coverage=float(coverage[position]),
                    title=evidence.titles.get(unit.doc_id, 0.0),
                    soft=float(soft[position]),
                    doc_cos=float(doc_cos[position, 0]),
                    doc_margin=float(doc_cos[position, 1]),
                    chapter_cos=float(chapter_cos[position, 0]),
                    chapter_margin=float(chapter_cos[position, 1]),
                    example=by_example.get(row, 0.0),
                    example_yes=example_yes,
                    example_no=example_no,
                    narrower=float(not evidence.cadre and binds_only_cadres(unit.text)),
                )
            )
        return hits

    def _group_cosines(self, rows: np.ndarray, groups: tuple[np.ndarray, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
        """Per row: (its document's cosine, margin to the best document) and the same for chapters."""
        doc_cos, chapter_cos = groups
        if self.dense is None or not len(doc_cos):
            return np.zeros((len(rows), 2)), np.zeros((len(rows), 2))
        by_doc = doc_cos[self.dense.doc_of_row[rows]]
        by_chapter = chapter_cos[self.dense.chapter_of_row[rows]]
        return (
            np.column_stack([by_doc, by_doc - doc_cos.max()]),
            np.column_stack([by_chapter, by_chapter - chapter_cos.max()]),
        )

    def _of_documents(self, doc_ids: list[str] | tuple[str, ...]) -> np.ndarray:
        """Row mask of some documents (by document index: comparing 60,000 strings is slow)."""
        chosen = np.zeros(len(self._document_index), dtype=bool)
        chosen[[self._document_index[d] for d in doc_ids if d in self._document_index]] = True
        return chosen[self._doc_number]

    def _mask(self, doc_ids: tuple[str, ...] | None, old_editions: bool) -> np.ndarray:
        """Titles are never an answer (they match every question that names the document); an
        edition that a newer one replaced only when asked for."""
        if doc_ids:
            return self._answers & self._of_documents(doc_ids)
        return self._answers if old_editions else self._answers & self._current


def _top(scores: np.ndarray, k: int) -> list[int]:
    return [int(r) for r in top_rows(scores, k)]
