"""What to change in a handout so every citation is right: each misquote replaced by the article's
verbatim text, each wrong location by the true one, each with the trainer's note as a comment. Offsets
refer to the checked text; the corrected .docx (study/tracked_changes.py) applies them as revisions."""

from __future__ import annotations

from dataclasses import dataclass

from regstudy.records import Unit
from regstudy.study.citations.findings import (
    DIFFERS,
    EXACT,
    MEANING_NAME,
    MISATTRIBUTED,
    NO_SUCH_ARTICLE,
    VERDICT_NAMES,
    Finding,
)
from regstudy.study.citations.passages import original_span


@dataclass(frozen=True)
class Correction:
    """Replace text[start:end] (as `original`) by `replacement`; a comment-only note when they agree."""

    start: int
    end: int
    original: str
    replacement: str
    comment: str

    @property
    def changes_text(self) -> bool:
        return self.replacement != self.original


def corrections(findings: list[Finding], text: str) -> list[Correction]:
    """The corrections for every finding that is not exact, in text order, none overlapping."""
    out: list[Correction] = []
    for finding in findings:
        if finding.verdict != EXACT:
            out += _for_finding(finding, text)
    out.sort(key=lambda c: c.start)
    kept: list[Correction] = []
    for correction in out:
        if not kept or correction.start >= kept[-1].end:
            kept.append(correction)
    return kept


def _for_finding(finding: Finding, text: str) -> list[Correction]:
    name = MEANING_NAME if finding.substantive else VERDICT_NAMES[finding.verdict]
    comment = f"【{name}】{finding.note}"
    source = finding.found[0] if finding.found else None
    fixes: list[Correction] = []
    if finding.verdict == DIFFERS and source is not None and finding.quote:
        fixes.append(_verbatim(finding, text, source, comment))
    relocated = finding.verdict in (MISATTRIBUTED, NO_SUCH_ARTICLE, DIFFERS) and source is not None
    if relocated and finding.reference and source is not None and not _cites(finding, source):
        fixes.append(_location(finding, text, source, "" if fixes else comment))
    if not fixes:
        start, end = (finding.start, finding.end) if finding.quote else finding.reference or (0, 0)
        fixes.append(Correction(start, end, text[start:end], text[start:end], comment))
    return [f for f in fixes if f.end > f.start]


def _verbatim(finding: Finding, text: str, unit: Unit, comment: str) -> Correction:
    """The quote replaced by the stretch of the article it renders, as the article writes it."""
    span = original_span(unit.text, finding.passage) if finding.passage else None
    replacement = unit.text[span[0] : span[1]] if span else unit.text
    replacement = replacement.replace("\n", "")
    written = text[finding.start : finding.end]
    if written.rstrip().endswith("。") and not replacement.endswith("。"):
        replacement += "。"
    return Correction(finding.start, finding.end, written, replacement, comment)


def _cites(finding: Finding, unit: Unit) -> bool:
    claimed = finding.claimed
    return claimed is not None and claimed.document == unit.document and claimed.article == unit.article


def _location(finding: Finding, text: str, unit: Unit, comment: str) -> Correction:
    """第十条 → 第十一条; with the document's name too when the quote is in another document."""
    assert finding.reference is not None
    start, end = finding.reference
    same_document = finding.claimed is not None and finding.claimed.document == unit.document
    if finding.named and same_document:
        written = text[start:end]
        number_at = written.find("第")
        start = start + number_at if number_at >= 0 else start
    replacement = unit.label if same_document or not finding.named else unit.citation
    return Correction(start, end, text[start:end], replacement, comment or f"【出处更正】应为{unit.citation}。")
