"""Printable exports: the paper and, separately, its answer key, as Markdown (from the templates in
prompts/) and as DOCX (`docx_export`, built from that same Markdown)."""

from __future__ import annotations

from typing import Any

from regstudy.prompts import Prompts
from regstudy.study.quiz.items import LETTERS, TYPE_NAMES, QuizItem
from regstudy.study.quiz.paper import Paper
from regstudy.text import to_chinese


def paper_markdown(paper: Paper, code: str, prompts: Prompts) -> str:
    sections: list[dict[str, Any]] = []
    number = 0
    for kind in paper.spec.types:
        items = [i for i in paper.items if i.type == kind]
        if not items:
            continue
        rows = []
        for item in items:
            number += 1
            options = [f"{LETTERS[n]}. {o}" for n, o in enumerate(item.options)]
            rows.append({"number": number, "stem": item.stem, "options": options, "type": item.type})
        numeral = to_chinese(len(sections) + 1)
        sections.append({"numeral": numeral, "name": TYPE_NAMES[kind], "kind": kind, "rows": rows})
    return prompts.render("quiz_paper", scope=paper.scope_label, total=len(paper.items), code=code, sections=sections)


def key_markdown(paper: Paper, code: str, prompts: Prompts) -> str:
    rows = [_key_row(n, item) for n, item in enumerate(paper.items, start=1)]
    return prompts.render("quiz_key", code=code, items=rows)


def _key_row(number: int, item: QuizItem) -> dict:
    answer = "√" if item.answer is True else "×" if item.answer is False else item.answer_text()
    return {
        "number": number,
        "answer": answer,
        "type_name": TYPE_NAMES[item.type],
        "citation": item.source.citation,
        "explanation": item.explanation.splitlines(),
    }
