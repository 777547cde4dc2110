"""The quiz service: papers over a scope (mined items, plus LLM-written ones when configured and
they pass the same grounding check), grading, the group's record, each member's 错题本 and its
review papers, and printable exports."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence
from datetime import date
from typing import Any

from regstudy.errors import QuizRequestError
from regstudy.kb.knowledge_base import KnowledgeBase
from regstudy.prompts import Prompts
from regstudy.settings import Settings
from regstudy.study.quiz.book import QuizBook, Weak, coverage
from regstudy.study.quiz.export import key_markdown, paper_markdown
from regstudy.study.quiz.grading import Score, grade
from regstudy.study.quiz.items import BLANK, JUDGE, TYPE_NAMES, TYPES, QuizItem
from regstudy.study.quiz.paper import Paper, QuizSpec, assemble
from regstudy.study.quiz.pool import Pool
from regstudy.study.quiz.review import ReviewBook
from regstudy.study.quiz.scope import resolve_scope
from regstudy.study.quiz.written import ItemWriter, add_written

MAX_ITEMS = 200
MAX_NAME = 40  # characters of a member's name (the page allows as many)


class QuizService:
    def __init__(
        self, kb: KnowledgeBase, prompts: Prompts, settings: Settings, writer: ItemWriter | None = None
    ) -> None:
        self.kb = kb
        self.prompts = prompts
        self.pool = Pool.build(kb.units, prompts)
        self.book = QuizBook(settings.data_dir / "quiz")
        self.review = ReviewBook(settings.data_dir / "quiz" / "review")
        self.writer = writer  # optional LLM item writer
        self.llm_share = settings.quiz_llm_share

    def paper(self, n: int, types: Sequence[str], scope: Sequence[str] = (), seed: int | None = None) -> Paper:
        types = _checked_types(types)
        if not 1 <= n <= MAX_ITEMS:
            raise QuizRequestError(f"题目数量应在 1 到 {MAX_ITEMS} 之间（收到 {n}）。")
        units = resolve_scope(self.kb, scope)
        seed = random.SystemRandom().randrange(10**6) if seed is None else seed
        spec = QuizSpec(n, types, tuple(u.id for u in units) if scope else (), seed)
        items = assemble(self.pool, units, spec)
        if self.writer is not None and self.llm_share > 0:
            items = add_written(self.pool, self.writer, units, spec, items, self.llm_share)
        return Paper(spec, tuple(items), "、".join(scope) if scope else "全部文件")

    def record(self, code: str, score: Score, name: str, today: date | None = None) -> None:
        """A submission: into the group's record of the paper and the member's 错题本."""
        name = member_name(name)
        self.book.record(code, score, name)
        self.review.record(name, score, today or date.today())

    def review_paper(self, name: str, n: int = 10, today: date | None = None) -> Paper:
        """填空 and 判断 items on the articles due in the member's 错题本 today."""
        name = member_name(name)
        due = set(self.review.due(name, today or date.today()))
        if not due:
            raise QuizRequestError(f"「{name.strip()}」的错题本里今天没有要复习的条文。")
        units = [u for u in self.pool.quiz_units if u.id in due]
        spec = QuizSpec(n, (BLANK, JUDGE), tuple(u.id for u in units), random.SystemRandom().randrange(10**6))
        return Paper(spec, tuple(assemble(self.pool, units, spec)), "错题复习")

    def exports(self, paper: Paper, code: str) -> dict[str, str]:
        """The paper and its answer key as Markdown (what the DOCX downloads are made from)."""
        return {"paper": paper_markdown(paper, code, self.prompts), "key": key_markdown(paper, code, self.prompts)}

    def grade(self, items: Sequence[QuizItem], answers: Sequence[Any]) -> Score:
        return grade(items, answers)

    def session_record(self, code: str, day: date | None = None) -> str:
        """The 学习记录 of a session held on one paper, as Markdown (the DOCX is made from it)."""
        paper, code = self.book.paper(code), code.strip().upper()
        submissions = self.book.submissions(code)
        scores = Counter((s["right"], s["total"]) for s in submissions)
        missed = [
            {"citation": w.citation, "wrong": w.wrong, "answered": w.answered, "text": self.kb.by_id[w.unit_id].text}
            for w in self.weakest(code)
            if w.unit_id in self.kb.by_id
        ]
        articles = [
            self.kb.by_id[u].citation
            for u in dict.fromkeys(i.source.unit_id for i in paper.items)
            if u in self.kb.by_id
        ]
        return self.prompts.render(
            "quiz_record",
            day=(day or date.today()).isoformat(),
            code=code,
            scope=paper.scope_label,
            articles=articles,
            people=len(submissions),
            scores=[{"score": r, "total": t, "count": n} for (r, t), n in sorted(scores.items(), reverse=True)],
            missed=missed,
        )

    def handed_out(self) -> list[dict[str, Any]]:
        """Every paper kept, with how many members have submitted it (each name once, blanks not)."""
        return [{"code": c, "people": self.book.people(c)} for c in self.book.codes()]

    def coverage(self) -> list[dict[str, Any]]:
        """Per article across the branch's papers: how often asked, answered and missed."""
        citations = {u.id: u.citation for u in self.kb.units}
        return [{**c.__dict__, "citation": citations.get(c.unit_id, c.unit_id)} for c in coverage(self.book)]

    def weakest(self, code: str) -> list[Weak]:
        return self.book.weakest(code, {u.id: u.citation for u in self.kb.units})


def _checked_types(types: Sequence[str]) -> tuple[str, ...]:
    """Type codes from codes or Chinese names (单选, 单选题); the messages name the types in Chinese."""
    by_name = {name: code for code, name in TYPE_NAMES.items()} | {n[:-1]: c for c, n in TYPE_NAMES.items()}
    chosen = tuple(dict.fromkeys(by_name.get(t.strip(), t.strip()) for t in types if t.strip()))
    if not chosen:
        raise QuizRequestError(f"请至少选择一种题型：{'、'.join(TYPE_NAMES.values())}。")
    unknown = [t for t in chosen if t not in TYPES]
    if unknown:
        offered = "、".join(f"{name}（{code}）" for code, name in TYPE_NAMES.items())
        raise QuizRequestError(f"未知的题型：{'、'.join(unknown)}。可选：{offered}。")
    return chosen


def member_name(name: str) -> str:
    """A member's name as submitted, checked on the server (the page's own limit is only a courtesy)."""
    name = (name or "").strip()
    if not name:
        raise QuizRequestError("请填写姓名：小组统计每人只计一次。")
    if len(name) > MAX_NAME:
        raise QuizRequestError(f"姓名过长（{len(name)} 字），最多 {MAX_NAME} 字。")
    return name
