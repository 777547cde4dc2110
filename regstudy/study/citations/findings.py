"""What the checker says about one citation: our own records, with the JSON the CLI prints."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from regstudy.records import Unit
from regstudy.study.citations.diffing import Segment
from regstudy.study.citations.meaning import MeaningChange

EXACT, DIFFERS, MISATTRIBUTED, NOT_FOUND, NO_SUCH_ARTICLE = (
    "exact",
    "differs",
    "misattributed",
    "not_found",
    "no_such_article",
)
VERDICTS = (EXACT, DIFFERS, MISATTRIBUTED, NOT_FOUND, NO_SUCH_ARTICLE)
VERDICT_NAMES = {
    EXACT: "一致",
    DIFFERS: "有出入",
    MISATTRIBUTED: "出处有误",
    NOT_FOUND: "查无此文",
    NO_SUCH_ARTICLE: "无此条",
}
MEANING_NAME = "有实质出入"  # a `differs` whose changes alter what the article means


@dataclass(frozen=True)
class Claimed:
    """The location the text gives: a document (by title) and an article, either may be absent."""

    document: str | None
    article: int | None
    label: str  # 第十条, 第九条、第十条, or "" for the document as a whole

    @property
    def citation(self) -> str:
        return (f"《{self.document}》" if self.document else "") + self.label

    def to_json(self) -> dict[str, Any]:
        return {"document": self.document, "article": self.article, "label": self.label}


@dataclass(frozen=True)
class Finding:
    quote: str  # as written in the text
    start: int  # offsets of the quote (or of the reference, for a quote-less citation) in the text
    end: int
    claimed: Claimed | None
    verdict: str
    found: tuple[Unit, ...]  # where the quote truly is; for `differs`, the closest article
    similarity: float | None  # character-level, quote against the passage it was compared with
    diff: tuple[Segment, ...] | None
    passage: str  # that passage (comparable form), empty when nothing was compared
    note: str  # one sentence for the trainer, in Chinese
    cited: tuple[Unit, ...] = ()  # the existing articles the text names (for showing them in full)
    meaning_changes: tuple[MeaningChange, ...] = ()  # for `differs`: what changes what the article means
    omitted: tuple[str, ...] = ()  # for an abridged quote: the article's words left out at each ……
    reference: tuple[int, int] | None = None  # offsets of the written location (《规定》第十条), if any
    named: bool = False  # that span starts with the document's name
    older_edition: Unit | None = None  # the quote is this superseded edition's wording; `found` is the current

    @property
    def substantive(self) -> bool:
        """A change of meaning, not of wording only: shown red (有实质出入)."""
        return bool(self.meaning_changes)

    @property
    def articles_to_read(self) -> tuple[Unit, ...]:
        """The articles worth reading in full next to the quote: where it is, then what was cited."""
        units = list(self.found[:2]) + [u for u in self.cited if u not in self.found]
        return tuple(units[:3])

    def to_json(self) -> dict[str, Any]:
        return {
            "claimed": self.claimed.to_json() if self.claimed else None,
            "quote": self.quote,
            "verdict": self.verdict,
            "found": [place_json(u) for u in self.found],
            "similarity": self.similarity,
            "diff": [s.to_json() for s in self.diff] if self.diff is not None else None,
            "note": self.note,
            "meaning_changes": [c.to_json() for c in self.meaning_changes],
            "omitted": list(self.omitted),
            "older_edition": place_json(self.older_edition) if self.older_edition else None,
            "start": self.start,
            "end": self.end,
        }


def place_json(unit: Unit) -> dict[str, Any]:
    return {"document": unit.document, "article": unit.article, "label": unit.label, "id": unit.id}


def summary(findings: list[Finding]) -> dict[str, int]:
    """How many findings of each verdict, in the fixed verdict order."""
    return {v: sum(1 for f in findings if f.verdict == v) for v in VERDICTS}
