"""Papers handed out to a group and the group's submissions, kept under `data/quiz/` so that a
branch session can share one paper by its code and see which articles it got wrong most."""

from __future__ import annotations

import hashlib
import json
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from regstudy.errors import QuizRequestError
from regstudy.study.quiz.grading import Score
from regstudy.study.quiz.items import QuizItem
from regstudy.study.quiz.paper import Paper, QuizSpec
from regstudy.study.quiz.results import Results


@dataclass(frozen=True)
class Weak:
    """An article the group got wrong: how often, out of how many answers on it."""

    unit_id: str
    citation: str
    wrong: int
    answered: int


class QuizBook:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.results = Results(folder / "results.sqlite3", folder / "results")

    @staticmethod
    def code_of(paper: Paper) -> str:
        """Six characters naming the paper: the same request gives the same code."""
        spec = paper.spec
        text = json.dumps([spec.n, spec.types, spec.unit_ids, spec.seed, [i.stem for i in paper.items]])
        return hashlib.sha1(text.encode("utf-8")).hexdigest()[:6].upper()

    def keep(self, paper: Paper) -> str:
        code = self.code_of(paper)
        path = self.folder / "papers" / f"{code}.json"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            data = {
                "spec": paper.spec.__dict__,
                "scope": paper.scope_label,
                "items": [i.to_json() for i in paper.items],
            }
            tmp = path.with_suffix(".tmp")
            tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
            tmp.replace(path)
        return code

    def codes(self) -> list[str]:
        """The codes of every paper kept, in order."""
        return sorted(p.stem for p in (self.folder / "papers").glob("*.json"))

    def paper(self, code: str) -> Paper:
        path = self.folder / "papers" / f"{code.strip().upper()}.json"
        if not code.strip() or not path.is_file():
            raise QuizRequestError(f"没有试卷码为「{code.strip()}」的试卷。请向组织者确认试卷码。")
        data = json.loads(path.read_text(encoding="utf-8"))
        spec = data["spec"]
        spec = QuizSpec(spec["n"], tuple(spec["types"]), tuple(spec["unit_ids"]), spec["seed"])
        return Paper(spec, tuple(QuizItem.from_json(i) for i in data["items"]), data.get("scope", ""))

    def record(self, code: str, score: Score, name: str) -> None:
        """Keep one submission. A shared paper needs a name: the group counts one per name (the
        latest), so three taps on 交卷 from one phone are one member."""
        if not name.strip():
            raise QuizRequestError("请先填写姓名再交卷：同一份试卷每人只计一次成绩。")
        asked = [o.item.source.unit_id for o in score.outcomes]
        row = (code, name.strip().casefold(), time.time(), name.strip(), score.right, score.total, score.answered,
               json.dumps(score.wrong_articles, ensure_ascii=False), json.dumps(asked, ensure_ascii=False))  # fmt: skip
        self.results.replace(row)

    def submissions(self, code: str) -> list[dict]:
        """The group's submissions: each name's latest, blank papers left out."""
        return self.results.latest(code)

    def people(self, code: str) -> int:
        """How many members submitted the paper (each name once, blank papers not)."""
        return self.results.people(code)

    def weakest(self, code: str, citations: dict[str, str], limit: int = 5) -> list[Weak]:
        """The articles with the most wrong answers across the group's submissions."""
        rows = self.results.article_counts(code, limit)
        return [Weak(uid, citations.get(uid, uid), wrong, asked) for uid, asked, wrong in rows]


@dataclass(frozen=True)
class Coverage:
    """One article across all the branch's papers: how many papers asked it, how many answers it
    got and how many of them were wrong."""

    unit_id: str
    papers: int
    answered: int
    wrong: int


def coverage(book: QuizBook) -> list[Coverage]:
    """Every article the branch's papers asked, the most missed first."""
    papers: Counter[str] = Counter()
    answered: Counter[str] = Counter()
    wrong: Counter[str] = Counter()
    for code in book.codes():
        papers.update({item.source.unit_id for item in book.paper(code).items})
    for unit_id, asked, missed in book.results.article_counts(None, None):
        answered[unit_id], wrong[unit_id] = asked, missed
    rows = [Coverage(u, papers[u], answered[u], wrong[u]) for u in papers]
    return sorted(rows, key=lambda c: (-c.wrong, -c.papers, c.unit_id))
