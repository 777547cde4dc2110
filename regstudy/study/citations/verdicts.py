"""A verdict on one citation before it becomes a Finding: what was decided and on what evidence, and
the trainer's one-sentence note for it (prompts/citation_note.j2)."""

from __future__ import annotations

from dataclasses import dataclass

from regstudy.prompts import Prompts
from regstudy.records import DocumentInfo, Unit
from regstudy.study.citations.diffing import Segment
from regstudy.study.citations.findings import Claimed
from regstudy.study.citations.meaning import MeaningChange
from regstudy.text import article_label, to_chinese


@dataclass(frozen=True)
class Verdict:
    verdict: str
    found: tuple[Unit, ...] = ()
    similarity: float | None = None
    diff: tuple[Segment, ...] | None = None
    passage: str = ""
    closest: Unit | None = None  # for not_found: the article it resembles most, if at all
    missing_in: DocumentInfo | None = None  # for no_such_article: the document that lacks it
    missing: tuple[tuple[int, int], ...] = ()  # the articles requested that do not exist
    extent: tuple[int, str] = (0, "条")  # how many articles (or points) that document has
    changes: tuple[MeaningChange, ...] = ()
    gaps: tuple[str, ...] = ()
    reordered: bool = False
    older: Unit | None = None  # the quote is this superseded edition's article; `found` is what it became


def note(prompts: Prompts, verdict: Verdict, claimed: Claimed | None, unknown: str) -> str:
    """The trainer's note for a verdict (`unknown`: a cited title the knowledge base lacks)."""
    count, noun = verdict.extent
    return prompts.render(
        "citation_note",
        verdict=verdict.verdict,
        claimed=claimed.citation if claimed else "",
        found="、".join(u.citation for u in verdict.found),
        percent=round((verdict.similarity or 0) * 100),
        closest=verdict.closest.citation if verdict.closest else "",
        unknown=unknown,
        title=verdict.missing_in.title if verdict.missing_in else "",
        count=to_chinese(count),
        noun=noun,
        requested=span_label(verdict.missing, noun) if verdict.missing else "",
        meaning=list(dict.fromkeys(c.name for c in verdict.changes)),
        reordered=verdict.reordered,
        older=verdict.older.label if verdict.older else "",
        current=verdict.found[0].label if verdict.older and verdict.found else "",
        current_text=verdict.found[0].text if verdict.older and verdict.found else "",
    )


def span_label(articles: tuple[tuple[int, int], ...], noun: str = "条") -> str:
    """第十条 · 第九条、第十条 · 第十一条至第十三条 (a run of three or more); 第十二点 in a document
    numbered by points."""
    labels = [article_label(n, s).replace("条", noun) for n, s in articles]
    numbers = [n for n, s in articles if not s]
    if len(numbers) == len(articles) >= 3 and numbers == list(range(numbers[0], numbers[0] + len(numbers))):
        return f"{labels[0]}至{labels[-1]}"
    return "、".join(labels)
