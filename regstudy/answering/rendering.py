"""Answer text from the templates in `prompts/`: quotes with the answering sentences marked,
refusals, meta answers. Quotes are always copied from the store, never composed."""

from __future__ import annotations

from typing import Any

from regstudy.answering.answers import Citation, Conclusion
from regstudy.kb.addressing import Missing, extent
from regstudy.prompts import Prompts
from regstudy.records import DocumentInfo, Unit
from regstudy.text import SENTENCE_END, to_chinese


def marked_lines(citation: Citation) -> list[str]:
    """The quote's paragraphs as Markdown, answering sentences in bold.

    The bold run stops before the sentence's final punctuation: CommonMark does not close `**`
    between a full-width punctuation mark and a following Chinese character.
    """
    lines = []
    for paragraph in citation.quote.split("\n"):
        for sentence in citation.highlights:
            core = sentence.rstrip(SENTENCE_END)
            if core.strip() and core in paragraph and f"**{core}" not in paragraph:
                paragraph = paragraph.replace(core, f"**{core.strip()}**", 1)
        lines.append(paragraph)
    return lines


def quote_view(citation: Citation) -> dict[str, Any]:
    unit = citation.unit
    return {"citation": unit.citation, "chapter": unit.chapter, "lines": marked_lines(citation)}


def document_view(info: DocumentInfo, units: list[Unit]) -> dict[str, Any]:
    count, noun = extent(units)
    return {"title": info.title, "count": to_chinese(count), "noun": noun}


def missing_view(missing: Missing) -> dict[str, Any]:
    return {
        "title": missing.document.title,
        "count": to_chinese(missing.count),
        "noun": missing.noun,
        "requested": missing.requested,
    }


class Renderer:
    """Renders every user-facing answer text by template name."""

    def __init__(self, prompts: Prompts) -> None:
        self.prompts = prompts

    def quotes(
        self,
        citations: list[Citation],
        related: list[Citation],
        mode: str = "search",
        heading: str = "",
        conclusion: Conclusion | None = None,
        unstated: str = "",
    ) -> str:
        return self.prompts.render(
            "answer_extractive",
            mode=mode,
            unstated=unstated,
            heading=heading,
            conclusion=conclusion.text if conclusion else "",
            quotes=[quote_view(c) for c in citations],
            related=[c.unit.citation for c in related],
        )

    def refusal(self, name: str, **variables: Any) -> str:
        return self.prompts.render(name, **variables)
