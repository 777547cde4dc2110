"""What a refusal suggests asking instead: questions the knowledge base answers near the asked topic."""

from __future__ import annotations

from regstudy.answering.retrieval import Hit
from regstudy.prompts import Prompts
from regstudy.records import SECTION


def suggested_questions(ranked: list[Hit], prompts: Prompts, limit: int = 3) -> list[str]:
    """Questions the knowledge base answers near the asked topic: about the chapters (or articles)
    of the closest candidates, one per chapter."""
    seen, found = set(), []
    for hit in ranked:
        unit = hit.unit
        key = (unit.doc_id, unit.chapter or unit.id)
        if key in seen or unit.kind == SECTION:
            continue
        seen.add(key)
        found.append(
            prompts.render(
                "suggested_question", title=unit.document, chapter=unit.chapter, citation=unit.citation
            ).strip()
        )
        if len(found) == limit:
            break
    return found
