"""Checks each citation found in a text against the stored articles and gives one verdict:
exact, differs, misattributed, not_found or no_such_article. Deterministic; no LLM."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from regstudy.errors import CheckRequestError
from regstudy.kb.addressing import Reference, extent, find_article
from regstudy.kb.knowledge_base import KnowledgeBase
from regstudy.prompts import Prompts
from regstudy.records import SECTION, DocumentInfo, Unit
from regstudy.settings import Settings
from regstudy.study.citations.claims import Claim, Target, check_size, find_claims
from regstudy.study.citations.corrections import corrections
from regstudy.study.citations.diffing import Segment, compare
from regstudy.study.citations.findings import (
    DIFFERS,
    EXACT,
    MISATTRIBUTED,
    NO_SUCH_ARTICLE,
    NOT_FOUND,
    Claimed,
    Finding,
)
from regstudy.study.citations.misquotes import ALIGNED_MIN, aligned_share, keeps_frame, omission_meaning, omitted, read
from regstudy.study.citations.passages import PassageIndex, fragments
from regstudy.study.citations.report import report_markdown
from regstudy.study.citations.verdicts import Verdict, note, span_label
from regstudy.study.revisions import Successors
from regstudy.study.tracked_changes import Outcome, corrected_docx

Reader = Callable[[Path], str]


@dataclass(frozen=True)
class _Located:
    """The units a citation points to, and the article numbers it names that do not exist."""

    document: DocumentInfo | None
    units: tuple[Unit, ...]
    missing: tuple[tuple[int, int], ...] = ()

    @property
    def ids(self) -> set[str]:
        return {u.id for u in self.units}


class CitationChecker:
    @classmethod
    def over(
        cls, kb: KnowledgeBase, prompts: Prompts, settings: Settings, reader: Reader | None = None
    ) -> CitationChecker:
        """Over a knowledge base, with the thresholds from settings and a reader for handout files."""
        thresholds = settings.citation_resemblance_min, settings.citation_cited_margin, settings.citation_similarity_min
        return cls(kb.units, kb.documents, prompts, *thresholds, reader)

    def __init__(
        self,
        units: list[Unit],
        documents: list[DocumentInfo],
        prompts: Prompts,
        resemblance_min: float = 0.45,
        cited_margin: float = 0.1,
        similarity_min: float = 0.6,
        reader: Reader | None = None,
    ) -> None:
        self.units = units
        self.documents = documents
        self.prompts = prompts
        self.resemblance_min = resemblance_min  # share of distinctive wording that makes a quote "differ"
        self.cited_margin = cited_margin  # how much closer another article must be to beat the cited one
        self.similarity_min = similarity_min  # and the characters must line up this well, too
        self.index = PassageIndex(units)
        self.position = {u.id: n for n, u in enumerate(units)}
        self.by_doc = {d.id: [u for u in units if u.doc_id == d.id] for d in documents}
        self.editions = Successors(documents, lambda doc_id: self.by_doc.get(doc_id, []))
        self.reader = reader  # reads a handout file as text (the ingest loaders)

    def check(self, text: str) -> list[Finding]:
        """Every citation in the text with its verdict, in text order."""
        check_size(text)
        return [f for claim in find_claims(text, self.documents) if (f := self.judge(claim, text)) is not None]

    def check_file(self, path: Path) -> tuple[str, list[Finding]]:
        """A handout (.txt, .md, .docx, .pdf) read as text, and its findings."""
        text = self.read_file(path)
        return text, self.check(text)

    def read_file(self, path: Path) -> str:
        """A handout's text, as the checker reads it (the offsets of findings refer to it)."""
        if self.reader is None:
            raise CheckRequestError("没有配置读取文件的方法，请粘贴文字。")
        return self.reader(path)

    def corrected(self, findings: list[Finding], text: str, source: Path | None = None) -> Outcome:
        """The handout with every misquote and wrong location corrected as Word tracked changes, each
        with the verdict as a comment: the trainer's own .docx, or a new one for a .txt / .pdf / text."""
        return corrected_docx(corrections(findings, text), source, text)

    def report(self, findings: list[Finding], source: str) -> str:
        """The Markdown report (what the DOCX download is made from)."""
        return report_markdown(findings, source, self.prompts)

    def judge(self, claim: Claim, text: str) -> Finding | None:
        pieces = fragments(claim.quote)
        located = self._locate(claim.target, pieces)
        if claim.target and claim.target.implicit and located.document:  # the document it was resolved to
            claim = replace(claim, target=replace(claim.target, doc_id=located.document.id, title=None))
        if located.missing and not located.units:
            return self._no_such_article(claim, located, pieces)
        if not pieces:
            return None
        claim = self._extended(claim, text, located)
        return self._verdict(claim, fragments(claim.quote), located)

    def _locate(self, target: Target | None, pieces: list[str]) -> _Located:
        if target is None or (target.doc_id is None and not target.implicit):
            return _Located(None, ())
        if target.implicit and target.articles:
            return self._implicit(target, pieces)
        assert target.doc_id is not None  # only an article reference is resolved implicitly
        if not target.articles:
            return _Located(self._document(target.doc_id), tuple(self.by_doc[target.doc_id]))
        return self._articles(target.doc_id, target.articles)

    def _articles(self, doc_id: str, articles: tuple[tuple[int, int], ...]) -> _Located:
        units, missing = [], []
        for number, sub in articles:
            unit = find_article(self.by_doc[doc_id], Reference("article", number, sub, doc_id, 0))
            units.append(unit) if unit else missing.append((number, sub))
        return _Located(self._document(doc_id), tuple(units), tuple(missing))

    def _implicit(self, target: Target, pieces: list[str]) -> _Located:
        """第N条 with no document beside it: the document last named, unless the quote is verbatim in
        article N of another document, or that document has no article N and another one does."""
        order = [target.doc_id] if target.doc_id else []
        order += [d.id for d in self.documents if d.id != target.doc_id]
        options = [self._articles(doc_id, target.articles) for doc_id in order]
        existing = [o for o in options if o.units]
        verbatim = [o for o in existing if any(self._verbatim_in(pieces, u) for u in o.units)]
        if verbatim or existing:
            return (verbatim or existing)[0]
        return options[0] if target.doc_id else _Located(None, (), target.articles)

    def _extended(self, claim: Claim, text: str, located: _Located) -> Claim:
        """An unmarked quote runs on over the next (or previous) sentences of the same line for as
        long as they are, or closely resemble, text of the same article."""
        if claim.marked or not claim.more:
            return claim
        anchor = self._anchor(fragments(claim.quote), located)
        start, end = claim.start, claim.end
        for s, e in claim.more:
            pieces = fragments(text[s:e])
            coverage = float(self.index.coverage(pieces)[self.position[anchor.id]]) if pieces else 0.0
            if not (self._verbatim_in(pieces, anchor) or coverage >= self.resemblance_min):
                break
            start, end = min(start, s), max(end, e)
        return replace(claim, start=start, end=end, quote=text[start:end], marked=False, more=())

    def _anchor(self, pieces: list[str], located: _Located) -> Unit:
        scores = self.index.coverage(pieces)
        holders = [self.units[n] for n in self.index.holders(pieces, scores)]
        cited = [u for u in holders if u.id in located.ids]
        return (cited or holders or [self._closest(scores, located)])[0]

    def _verdict(self, claim: Claim, pieces: list[str], located: _Located) -> Finding:
        scores = self.index.coverage(pieces)
        holders = self._ranked(self.index.holders(pieces, scores), claim.target)
        if holders:
            return self._finding(claim, self._verbatim(claim, pieces, located, holders))
        if reordered := self._reordered(pieces, scores, located):
            return self._finding(claim, self._differs(pieces, reordered, reordered=True))
        if unit := self._rendered(pieces, scores, located):
            return self._finding(claim, self._differs(pieces, unit))
        closest = self.units[int(scores.argmax())]
        similarity = compare("".join(pieces), self._text(closest)).similarity
        near = closest if scores[self.position[closest.id]] >= self.resemblance_min / 2 else None
        return self._finding(claim, Verdict(NOT_FOUND, (), similarity, closest=near))

    def _differs(self, pieces: list[str], unit: Unit, reordered: bool = False, older: Unit | None = None) -> Verdict:
        reading = read(pieces, self._text(unit))
        comparison = reading.comparison
        changes = () if reordered else reading.changes
        return Verdict(
            DIFFERS, (unit,), comparison.similarity, comparison.segments, comparison.passage,
            changes=changes, reordered=reordered, older=older,
        )  # fmt: skip

    def _verbatim(self, claim: Claim, pieces: list[str], located: _Located, holders: tuple[Unit, ...]) -> Verdict:
        """exact where the text says, misattributed elsewhere; an abridgement that drops the modal
        word of its clause at a …… differs; words of a superseded edition differ from the current one."""
        same = (Segment("equal", "".join(pieces)),)
        cited = tuple(u for u in holders if u.id in located.ids)
        found = cited + tuple(u for u in holders if u not in cited) if cited or claim.target is None else holders
        if all(u.doc_id in self.editions.superseded for u in found):
            current = self.editions.current(found[0])
            if current is not None:
                return self._differs(pieces, current, older=found[0])
        text = self._text(found[0])
        changes, gaps = omission_meaning(pieces, text), tuple(omitted(pieces, text))
        if changes:  # the diff shows the words left out at the …… as deleted
            comparison = read(pieces, text).comparison
            diff, passage = comparison.segments, comparison.passage
            return Verdict(DIFFERS, found[:1], comparison.similarity, diff, passage, changes=changes, gaps=gaps)
        if cited or claim.target is None:
            return Verdict(EXACT, found, 1.0, same, "".join(pieces), gaps=gaps)
        in_force, older = self.editions.in_force(found, claim.target.articles)  # 旧版第X条 cited as such
        return Verdict(MISATTRIBUTED, in_force, 1.0, same, "".join(pieces), gaps=gaps, older=older)

    def _reordered(self, pieces: list[str], scores: np.ndarray, located: _Located) -> Unit | None:
        """An abridged quote whose pieces are each verbatim in one article, but out of its order."""
        if len(pieces) < 2:
            return None
        candidates = [*located.units, self.units[int(scores.argmax())]]
        return next((u for u in candidates if all(p in self._text(u) for p in pieces)), None)

    def _rendered(self, pieces: list[str], scores: np.ndarray, located: _Located) -> Unit | None:
        """The article a non-verbatim quote renders: the claimed one when the quote keeps its frame,
        unless another is plainly closer; else the closest by wording, when close enough."""
        quote = "".join(pieces)
        closest = self._closest(scores, located)
        whole_document = located.document is not None and located.units == tuple(self.by_doc[located.document.id])
        claimed = () if whole_document else located.units  # a document named alone claims no article
        share = {u.id: aligned_share(quote, self._text(u)) for u in claimed}
        framed = [u for u in claimed if share[u.id] >= ALIGNED_MIN or keeps_frame(quote, self._text(u))]
        if framed:
            own = max(framed, key=lambda u: share[u.id])
            other = None if closest in located.units else aligned_share(quote, self._text(closest))
            if other is None or other <= share[own.id] + self.cited_margin:
                return own
        comparison = compare(quote, self._text(closest))
        if scores[self.position[closest.id]] >= self.resemblance_min and comparison.similarity >= self.similarity_min:
            return closest
        return None

    def _ranked(self, positions: list[int], target: Target | None) -> tuple[Unit, ...]:
        """Where a quote is, most telling first: the cited document's units, articles before
        notices and headings, then in document order."""
        doc_id = target.doc_id if target else None
        units = [self.units[n] for n in positions]
        return tuple(sorted(units, key=lambda u: (u.doc_id != doc_id, u.kind == SECTION, self.position[u.id])))

    def _closest(self, scores: np.ndarray, located: _Located) -> Unit:
        """The article the quote resembles most; the cited one when it is nearly as close."""
        best = int(scores.argmax())
        cited = [self.position[u.id] for u in located.units]
        if cited:
            top = max(cited, key=lambda n: scores[n])
            if scores[top] >= self.resemblance_min and scores[top] >= scores[best] - self.cited_margin:
                return self.units[top]
        return self.units[best]

    def _verbatim_in(self, pieces: list[str], unit: Unit) -> bool:
        return bool(pieces) and self.position[unit.id] in self.index.holders(pieces)

    def _no_such_article(self, claim: Claim, located: _Located, pieces: list[str]) -> Finding:
        holders = tuple(self.units[n] for n in self.index.holders(pieces)) if pieces else ()
        size = extent(self.by_doc[located.document.id]) if located.document else (0, "条")
        verdict = Verdict(NO_SUCH_ARTICLE, holders, missing_in=located.document, missing=located.missing, extent=size)
        return self._finding(claim, verdict)

    def _finding(self, claim: Claim, verdict: Verdict) -> Finding:
        claimed = self._claimed(claim.target)
        target = claim.target
        unknown = target.title if target and target.doc_id is None and target.title else ""
        return Finding(
            claim.quote, claim.start, claim.end, claimed, verdict.verdict, verdict.found, verdict.similarity,
            verdict.diff, verdict.passage, note(self.prompts, verdict, claimed, unknown), self._cited(target),
            verdict.changes, verdict.gaps, claim.reference, claim.named, verdict.older,
        )  # fmt: skip

    def _text(self, unit: Unit) -> str:
        """A unit's comparable text."""
        return self.index.texts[self.position[unit.id]]

    def _cited(self, target: Target | None) -> tuple[Unit, ...]:
        if target is None or not target.articles or target.doc_id is None:
            return ()
        return self._articles(target.doc_id, target.articles).units

    def _claimed(self, target: Target | None) -> Claimed | None:
        if target is None:
            return None
        document = self._document(target.doc_id)
        title = document.title if document else target.title
        noun = extent(self.by_doc[document.id])[1] if document else "条"  # 第二条 of the 意见 is its 第二点
        return Claimed(title, target.articles[0][0] if target.articles else None, span_label(target.articles, noun))

    def _document(self, doc_id: str | None) -> DocumentInfo | None:
        return next((d for d in self.documents if d.id == doc_id), None)
