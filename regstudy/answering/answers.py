"""The result of asking a question: our own frozen records, shared by the CLI, the UI and eval."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from regstudy.records import Unit


@dataclass(frozen=True)
class Citation:
    """One cited unit. `quote` is always a verbatim substring of the unit's stored text."""

    unit: Unit
    quote: str
    highlights: tuple[str, ...] = ()  # the sentences of `quote` that answer the question
    score: float = 0.0

    @property
    def document(self) -> str:
        return self.unit.document

    @property
    def article(self) -> int:
        return self.unit.article

    def to_json(self) -> dict[str, Any]:
        return {
            "document": self.unit.document,
            "article": self.unit.article,
            "label": self.unit.label,
            "chapter": self.unit.chapter,
            "quote": self.quote,
            "id": self.unit.id,
            "doc_id": self.unit.doc_id,
            "highlights": list(self.highlights),
        }


@dataclass(frozen=True)
class Conclusion:
    """The one-line answer above the quotes. `clause` is verbatim from the unit `basis` (a list item
    after its head, with …… where items are skipped); `stance` is the clause's own (`applies`), or
    `conditional` when it binds only `subject` or under `conditions` the question did not establish."""

    stance: str  # prohibited | discouraged | required | encouraged | conditional
    text: str
    subject: str
    conditions: tuple[str, ...]
    basis: str  # the unit id
    clause: str
    applies: str  # the stance where the subject and conditions hold

    def to_json(self) -> dict[str, Any]:
        return {
            "stance": self.stance,
            "text": self.text,
            "subject": self.subject,
            "conditions": list(self.conditions),
            "basis": self.basis,
            "clause": self.clause,
            "applies": self.applies,
        }


@dataclass(frozen=True)
class Answer:
    """What the assistant says, and the evidence it rests on."""

    question: str
    answer: str
    refused: bool
    citations: tuple[Citation, ...] = ()
    related: tuple[Citation, ...] = ()  # listed, not quoted
    route: str = (
        "search"  # lookup | chapter | meta | search | nonexistent | out_of_scope | injection | empty | too_long
    )
    notice: str = ""  # e.g. the LLM endpoint was unavailable
    llm: bool = False  # whether an LLM wrote the explanation
    explanation: str = ""  # the LLM's explanation alone (quotes vetted); empty without an LLM
    scope: tuple[str, ...] = field(default=())
    confidence: str = "direct"  # direct | possible (closest articles, not an answer) | none (refused)
    conclusion: Conclusion | None = None  # drawn for yes/no and duty questions answered directly
    unstated: str | None = None  # the kind of fact asked for that no cited article states (unstated.py)

    @property
    def doc_ids(self) -> tuple[str, ...]:
        """The documents this answer is about, most relevant first (the context for a follow-up)."""
        return tuple(dict.fromkeys(c.unit.doc_id for c in self.citations))

    def to_json(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "answer": self.answer,
            "refused": self.refused,
            "citations": [c.to_json() for c in self.citations],
            "related": [c.to_json() for c in self.related],
            "route": self.route,
            "notice": self.notice,
            "llm": self.llm,
            "confidence": self.confidence,
            "conclusion": self.conclusion.to_json() if self.conclusion else None,
            "unstated": self.unstated,
        }
