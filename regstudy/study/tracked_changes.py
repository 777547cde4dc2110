"""A corrected handout as a Word file with tracked changes: each correction is a deletion (w:del) and an
insertion (w:ins) of only the characters that differ, under a Word comment giving the verdict, so the
trainer accepts or rejects each one in Word. The trainer's own .docx keeps its formatting elsewhere;
a .txt or .pdf handout becomes a new .docx with one paragraph per line."""

from __future__ import annotations

import bisect
import copy
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from docx import Document
from docx.comments import Comment
from docx.document import Document as WordDocument
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Pt
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from regstudy.study.citations.corrections import Correction
from regstudy.study.citations.diffing import full_diff

AUTHOR, INITIALS = "规章学习助手", "GZ"


@dataclass(frozen=True)
class Outcome:
    """The corrected file, and how many corrections went in as revisions and as comments only."""

    data: bytes
    revised: int
    commented: int
    unplaced: int  # corrections whose text could not be found in the .docx (e.g. split across paragraphs)


def corrected_docx(corrections: list[Correction], original: Path | None = None, text: str = "") -> Outcome:
    """The trainer's .docx (`original`) with the corrections as tracked changes; without one, a new
    document made of `text` (the checked text, one paragraph per line)."""
    if original is not None and original.suffix.lower() == ".docx":
        document = Document(str(original))
        placed = _place_by_search(document, corrections)
    else:
        document = _new_document(text)
        placed = _place_by_line(document, text, corrections)
    editor = _Editor(document)
    for paragraph, start, correction in reversed(placed):
        editor.apply(paragraph, start, correction)
    buffer = io.BytesIO()
    document.save(buffer)
    revised = sum(1 for _, _, c in placed if c.changes_text)
    return Outcome(buffer.getvalue(), revised, len(placed) - revised, len(corrections) - len(placed))


def _new_document(text: str) -> WordDocument:
    document = Document()
    style = document.styles["Normal"]
    style.font.size = Pt(12)
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "宋体")
    for line in text.split("\n"):
        document.add_paragraph(line)
    return document


def _place_by_line(
    document: WordDocument, text: str, corrections: list[Correction]
) -> list[tuple[Paragraph, int, Correction]]:
    """Offsets in the text → (paragraph, offset in it): the text's lines are the paragraphs."""
    starts, pos = [], 0
    for line in text.split("\n"):
        starts.append(pos)
        pos += len(line) + 1
    paragraphs = document.paragraphs
    placed = []
    for correction in corrections:
        n = bisect.bisect_right(starts, correction.start) - 1
        if correction.end <= starts[n] + len(paragraphs[n].text):
            placed.append((paragraphs[n], correction.start - starts[n], correction))
    return placed


def _place_by_search(document: WordDocument, corrections: list[Correction]) -> list[tuple[Paragraph, int, Correction]]:
    """Each correction's original words found in the document's paragraphs, in order (the checked
    text was read from this file, so they are there unless a quote runs across paragraphs)."""
    paragraphs = list(_all_paragraphs(document))
    placed, at, offset = [], 0, 0
    for correction in corrections:
        for n in range(at, len(paragraphs)):
            found = _text(paragraphs[n]).find(correction.original, offset if n == at else 0)
            if found >= 0:
                placed.append((paragraphs[n], found, correction))
                at, offset = n, found + len(correction.original)
                break
    # corrections in one paragraph are applied right to left so earlier offsets stay valid
    return sorted(placed, key=lambda p: (paragraphs.index(p[0]), p[1]))


def _all_paragraphs(document: WordDocument) -> Iterator[Paragraph]:
    yield from document.paragraphs
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                yield from cell.paragraphs


def _runs(paragraph: Paragraph) -> list[Run]:
    """The paragraph's text runs in order (hyperlinks included; deleted text excluded)."""
    return [Run(r, paragraph) for r in paragraph._p.iter(qn("w:r")) if r.getparent().tag != qn("w:del")]


def _text(paragraph: Paragraph) -> str:
    return "".join(run.text for run in _runs(paragraph))


class _Editor:
    """Writes revisions into paragraphs: runs are split at the edges of each change."""

    def __init__(self, document: WordDocument) -> None:
        self.document = document
        self.next_id = 9000  # revision ids, clear of the ids Word and python-docx give comments
        self.moment = datetime.now(UTC)
        self.date = self.moment.strftime("%Y-%m-%dT%H:%M:%SZ")
        self.comment_id: int | None = None

    def apply(self, paragraph: Paragraph, start: int, correction: Correction) -> None:
        end = start + len(correction.original)
        edits = _edits(correction.original, correction.replacement)
        cuts = {start, end} | {start + i for i1, i2, _ in edits for i in (i1, i2)}
        for cut in sorted(cuts, reverse=True):
            self._split_at(paragraph, cut)
        covered = self._covering(paragraph, start, end)
        if covered:
            self._comment(covered, correction.comment)
        for i1, i2, inserted in reversed(edits):
            self._revise(paragraph, start + i1, start + i2, inserted, covered)

    def _comment(self, runs: list[Run], text: str) -> None:
        """A Word comment on `runs`, as python-docx's `Document.add_comment` writes it, but numbered
        here: python-docx reads every existing comment's id to pick the next one, which made a handout
        with hundreds of corrections quadratic."""
        comments = self.document.comments
        if self.comment_id is None:
            self.comment_id = max((c.comment_id for c in comments), default=-1) + 1
        element = parse_xml(
            f'<w:comment {nsdecls("w")} w:id="{self.comment_id}" w:author="">'
            '<w:p><w:pPr><w:pStyle w:val="CommentText"/></w:pPr>'
            '<w:r><w:rPr><w:rStyle w:val="CommentReference"/></w:rPr><w:annotationRef/></w:r></w:p></w:comment>'
        )
        comments._comments_elm.append(element)  # python-docx 1.2 has no public way to choose the id
        element.author, element.initials, element.date = AUTHOR, INITIALS, self.moment
        first, *more = text.split("\n")
        comment = Comment(element, comments._comments_part)
        comment.paragraphs[0].add_run(first)
        for line in more:
            comment.add_paragraph(text=line)
        runs[0].mark_comment_range(runs[-1], self.comment_id)
        self.comment_id += 1

    def _split_at(self, paragraph: Paragraph, offset: int) -> None:
        pos = 0
        for run in _runs(paragraph):
            text = run.text
            if pos < offset < pos + len(text):
                right = copy.deepcopy(run._r)
                run._r.addnext(right)
                run.text, Run(right, paragraph).text = text[: offset - pos], text[offset - pos :]
                return
            pos += len(text)

    def _covering(self, paragraph: Paragraph, start: int, end: int) -> list[Run]:
        pos, out = 0, []
        for run in _runs(paragraph):
            length = len(run.text)
            if start <= pos and pos + length <= end and length:
                out.append(run)
            pos += length
        return out

    def _revise(self, paragraph: Paragraph, start: int, end: int, inserted: str, covered: list[Run]) -> None:
        """Delete text[start:end] (whole runs after the splits) and insert `inserted` in its place."""
        runs = self._covering(paragraph, start, end) if end > start else []
        anchor = runs[-1]._r if runs else self._run_before(paragraph, start)
        if runs:
            deletion = self._mark("w:del")
            runs[0]._r.addprevious(deletion)
            for run in runs:
                deletion.append(run._r)
                for t in run._r.findall(qn("w:t")):
                    t.tag = qn("w:delText")
            anchor = deletion
        if inserted:
            insertion = self._mark("w:ins")
            template = runs[0]._r if runs else (covered[0]._r if covered else None)
            insertion.append(_new_run(template, inserted))
            anchor.addnext(insertion) if anchor is not None else paragraph._p.append(insertion)

    def _run_before(self, paragraph: Paragraph, offset: int) -> BaseOxmlElement | None:
        pos, before = 0, None
        for run in _runs(paragraph):
            if pos + len(run.text) > offset:
                break
            pos += len(run.text)
            before = run._r
        return before

    def _mark(self, tag: str) -> BaseOxmlElement:
        element = OxmlElement(tag)
        element.set(qn("w:id"), str(self.next_id))
        element.set(qn("w:author"), AUTHOR)
        element.set(qn("w:date"), self.date)
        self.next_id += 1
        return element


def _new_run(template: BaseOxmlElement | None, text: str) -> BaseOxmlElement:
    """A run with the formatting of `template` (the text it replaces) and `text`."""
    run = OxmlElement("w:r")
    if template is not None and (props := template.find(qn("w:rPr"))) is not None:
        run.append(copy.deepcopy(props))
    t = OxmlElement("w:t")
    t.set(qn("xml:space"), "preserve")
    t.text = text
    run.append(t)
    return run


def _edits(original: str, replacement: str) -> list[tuple[int, int, str]]:
    """The character edits as (start, end, inserted) in `original`, read off the checker's own diff
    (where a lone shared character inside a change, 公安机关 / 有关部门, is part of the change)."""
    edits: list[tuple[int, int, str]] = []
    pos = 0
    for segment in full_diff(original, replacement):
        if segment.op == "insert" and edits and edits[-1][1] == pos:  # what replaces the deletion before
            edits[-1] = (edits[-1][0], pos, segment.text)
        elif segment.op == "insert":
            edits.append((pos, pos, segment.text))
        elif segment.op == "delete":
            edits.append((pos, pos + len(segment.text), ""))
        pos += 0 if segment.op == "insert" else len(segment.text)
    return edits
