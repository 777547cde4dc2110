"""Parallel provisions: for an article, the provisions of other loaded documents that govern the same
conduct (规定第十三条 ↔ 意见第三点: 浏览、访问…网站), with the words of each that do.

Articles are compared clause by clause (a list item is read with the head that governs it: 党员干部
不得参加以下网络活动：浏览、访问非法和反动网站等), because a point of an 意见 covers several conducts.
Two clauses are parallel when their embeddings are close (an absolute cosine: no figure here depends
on how many documents are loaded) and they share at least two conduct words, i.e. words neither
document uses in most of its articles (网络, 党员, 应当 are the documents' vocabulary, not conduct)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from regstudy.kb.knowledge_base import KnowledgeBase
from regstudy.kb.lexical import tokenize
from regstudy.kb.seams import EmbeddingModel
from regstudy.records import SECTION, DocumentInfo, Unit
from regstudy.text import sentences

SIMILAR = 0.78  # cosine of two clauses (normalised bge embeddings) that govern the same conduct
SHARED = 2  # conduct words two parallel clauses must share
CANDIDATES = 4  # provisions of other documents examined per clause, by vector and by wording each
MAX_CLAUSES = 8  # clauses of a long article compared (its head and first items): bounds the work per article
FREQUENT = 0.3  # a word in this share of a document's articles is that document's vocabulary
MAX_DOCUMENTS = 5  # parallels listed per article
# Final and interpretive provisions govern no conduct: 自发布之日起施行, 由…负责解释, 同时废止, 本规定所称…
BOILERPLATE = re.compile(r"自.{0,20}起(?:施行|生效|实施)|负责解释|同时废止|本\w{0,6}所称")


@dataclass(frozen=True)
class Parallel:
    """A provision of another document that governs the same conduct as an article."""

    unit: Unit
    document: DocumentInfo
    clause: str  # its words that do
    own: str  # the article's words they parallel
    shared: tuple[str, ...]  # conduct words both use
    similarity: float


class ParallelProvisions:
    """Finds and caches the parallels of articles in one knowledge base."""

    def __init__(self, kb: KnowledgeBase, embeddings: EmbeddingModel | None) -> None:
        self.kb = kb
        self.embeddings = embeddings
        self._vectors: dict[str, np.ndarray] = {}
        self._found: dict[str, tuple[Parallel, ...]] = {}
        self._rows: dict[str, np.ndarray] = {}  # each document's article rows in the BM25 index

    def of(self, unit: Unit) -> tuple[Parallel, ...]:
        """The parallels of one article, most similar first, at most one per other document."""
        if unit.id not in self._found:
            self._found[unit.id] = tuple(self._find(unit)) if self._comparable(unit) else ()
        return self._found[unit.id]

    def later(self, unit: Unit, parallel: Parallel) -> str:
        """Which of the two is later by issue date ('' when either document states none)."""
        mine, theirs = issue_date(self.kb.document(unit.doc_id)), issue_date(parallel.document)
        if not mine or not theirs or mine == theirs:
            return ""
        return unit.citation if mine > theirs else parallel.unit.citation

    def _find(self, unit: Unit) -> list[Parallel]:
        own = clauses(unit)[:MAX_CLAUSES]
        if not own:
            return []
        own_vectors = self._embed(own)
        best: dict[str, Parallel] = {}
        for other in self._candidates(unit, own, own_vectors):
            theirs = clauses(other)[:MAX_CLAUSES]
            if not theirs:
                continue
            scores = own_vectors @ self._embed(theirs).T
            for i, j in zip(*np.unravel_index(np.argsort(-scores, axis=None), scores.shape), strict=True):
                if scores[i, j] < SIMILAR:
                    break
                shared = self._conduct_words(own[i], theirs[j], unit.doc_id, other.doc_id)
                if len(shared) >= SHARED:
                    found = self._parallel(other, theirs[j], own[i], shared, float(scores[i, j]))
                    if other.doc_id not in best or found.similarity > best[other.doc_id].similarity:
                        best[other.doc_id] = found
                    break
        return sorted(best.values(), key=lambda p: -p.similarity)[:MAX_DOCUMENTS]

    def _parallel(self, other: Unit, clause: str, own: str, shared: tuple[str, ...], score: float) -> Parallel:
        document = self.kb.document(other.doc_id)
        assert document is not None  # every unit's document is in the knowledge base
        return Parallel(other, document, clause, own, shared, round(score, 3))

    def _comparable(self, unit: Unit) -> bool:
        return self.embeddings is not None and unit.kind != SECTION

    @cached_property
    def _ineligible(self) -> np.ndarray:
        """Rows that may not be parallels: headings, notices, and documents no longer in force."""
        return np.array([u.kind == SECTION or u.doc_id in self.kb.superseded for u in self.kb.units], dtype=bool)

    def _candidates(self, unit: Unit, own: list[str], own_vectors: np.ndarray) -> list[Unit]:
        """The provisions of other documents nearest to any of the article's clauses, by meaning (the
        units' vectors) and by wording (BM25): a long point listing several conducts is far from a
        one-clause article by its vector, yet shares that clause's rare words."""
        info = self.kb.document(unit.doc_id)
        picked: dict[str, Unit] = {}
        for rows in self._nearest(own, own_vectors):
            taken = 0
            for n in rows:
                other = self.kb.units[int(n)]
                other_info = self.kb.document(other.doc_id)
                if self._ineligible[n] or other.doc_id == unit.doc_id:
                    continue
                if info and other_info and other_info.title == info.title:
                    continue  # another edition of the same document
                picked.setdefault(other.id, other)
                taken += 1
                if taken == CANDIDATES:
                    break
        return list(picked.values())[: CANDIDATES * 4]

    def _nearest(self, own: list[str], own_vectors: np.ndarray) -> list[np.ndarray]:
        """For each clause, unit rows by vector similarity, then by BM25 (best first, a few dozen)."""
        out = []
        vectors = self.kb.vectors
        if vectors is not None:
            scores = own_vectors @ vectors.T  # no copy of the (possibly large) matrix
            scores[:, self._ineligible] = -np.inf
            out += [np.argsort(-row)[: CANDIDATES * 8] for row in scores]
        rows = self.kb.lexical.rows
        for clause in own:
            hits = self.kb.lexical.search(clause, CANDIDATES * 8, ~self._ineligible)
            out.append(np.array([rows[unit_id] for unit_id, _ in hits], dtype=np.int64))
        return out

    def _embed(self, texts: list[str]) -> np.ndarray:
        missing = [t for t in dict.fromkeys(texts) if t not in self._vectors]
        if missing:
            assert self.embeddings is not None
            for text, vector in zip(missing, self.embeddings.embed_documents(missing), strict=True):
                self._vectors[text] = np.asarray(vector, dtype=np.float32)
        return np.stack([self._vectors[t] for t in texts])

    def _conduct_words(self, own: str, theirs: str, doc_a: str, doc_b: str) -> tuple[str, ...]:
        words = {t for t in tokenize(own) if len(t) >= 2} & set(tokenize(theirs))
        return tuple(sorted(w for w in words if not self._common(w, doc_a) and not self._common(w, doc_b)))

    def _common(self, word: str, doc_id: str) -> bool:
        """Whether the word is the document's vocabulary: in FREQUENT of its articles or more (read off
        the BM25 index's postings, so no document is re-read)."""
        if doc_id not in self._rows:
            found = [self.kb.lexical.rows[u.id] for u in self.kb.units_of(doc_id) if u.kind != SECTION]
            self._rows[doc_id] = np.array(sorted(found), dtype=np.int64)
        rows = self._rows[doc_id]
        if not len(rows):
            return False
        containing = np.intersect1d(self.kb.lexical.containing(word), rows, assume_unique=True)
        return len(containing) >= max(2, FREQUENT * len(rows))


def clauses(unit: Unit) -> list[str]:
    """The article's sentences and list items; an item after a colon carries the head that governs it."""
    out, head = [], ""
    for sentence in sentences(unit.text.replace("\n", "")):
        out.append(head + sentence)
        ends = sentence.endswith(("。", "！", "？"))
        if not head and "：" in sentence and not ends:
            head = sentence.split("：", 1)[0] + "："
        elif ends:
            head = ""
    return [c for c in out if len(c) >= 4 and not BOILERPLATE.search(c)]


def issue_date(document: DocumentInfo | None) -> str:
    """The document's edition or first stated date (ISO), '' when it states none."""
    if document is None:
        return ""
    return document.edition or min((d for d, _ in document.dates), default="")
