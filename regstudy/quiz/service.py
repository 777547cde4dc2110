"""The quiz service: papers over a scope (mined items, plus LLM-written ones when configured and
they pass the same grounding check), grading, the group's record, and printable exports."""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Any

from regstudy.errors import QuizRequestError
from regstudy.knowledge_base import KnowledgeBase
from regstudy.prompts import Prompts
from regstudy.quiz.book import QuizBook, Weak
from regstudy.quiz.grading import Score, grade
from regstudy.quiz.items import TYPES, QuizItem
from regstudy.quiz.paper import Paper, QuizSpec, assemble
from regstudy.quiz.pool import Pool
from regstudy.quiz.scope import resolve_scope
from regstudy.settings import Settings

MAX_ITEMS = 200


class QuizService:
    def __init__(self, kb: KnowledgeBase, prompts: Prompts, settings: Settings, writer: object | None = None) -> None:
        self.kb = kb
        self.prompts = prompts
        self.pool = Pool.build(kb.units, prompts)
        self.book = QuizBook(settings.data_dir / "quiz")
        self.writer = writer  # optional LLM item writer (regstudy.llm.QuizWriter)
        self.llm_share = settings.quiz_llm_share

    @classmethod
    def open(cls, settings: Settings, kb: KnowledgeBase | None = None, prompts: Prompts | None = None) -> QuizService:
        """Over the given knowledge base (shared with the answering service), or the current index."""
        from regstudy.components import open_quiz_writer

        prompts = prompts or Prompts(settings.prompts_dir)
        kb = kb or KnowledgeBase.open(settings)
        return cls(kb, prompts, settings, open_quiz_writer(settings, prompts))

    def paper(self, n: int, types: Sequence[str], scope: Sequence[str] = (), seed: int | None = None) -> Paper:
        types = _checked_types(types)
        if not 1 <= n <= MAX_ITEMS:
            raise QuizRequestError(f"题目数量应在 1 到 {MAX_ITEMS} 之间（收到 {n}）。")
        units = resolve_scope(self.kb, scope)
        seed = random.SystemRandom().randrange(10**6) if seed is None else seed
        spec = QuizSpec(n, types, tuple(u.id for u in units) if scope else (), seed)
        items = assemble(self.pool, units, spec)
        if self.writer is not None and self.llm_share > 0:
            from regstudy.quiz.written import add_written

            items = add_written(self.pool, self.writer, units, spec, items, self.llm_share)
        return Paper(spec, tuple(items), "、".join(scope) if scope else "全部文件")

    def grade(self, items: Sequence[QuizItem], answers: Sequence[Any]) -> Score:
        return grade(items, answers)

    def weakest(self, code: str) -> list[Weak]:
        return self.book.weakest(code, {u.id: u.citation for u in self.kb.units})


def _checked_types(types: Sequence[str]) -> tuple[str, ...]:
    chosen = tuple(dict.fromkeys(t.strip() for t in types if t.strip()))
    unknown = [t for t in chosen if t not in TYPES]
    if unknown or not chosen:
        raise QuizRequestError(f"未知的题型：{'、'.join(unknown) or '（空）'}。可选：single、multiple、judge、blank。")
    return chosen
