"""Each member's 错题本, keyed by article: an article answered wrongly enters it, and 复习 brings it
back on a Leitner schedule — again the same day after a miss, then after 1 and 3 days — until it has
been answered right three times in a row. Kept as one JSON file per member under `data/quiz/review/`,
so it survives a restart."""

from __future__ import annotations

import hashlib
import json
import threading
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from regstudy.errors import QuizRequestError
from regstudy.study.quiz.grading import Score

INTERVALS = (0, 1, 3)  # days until the next review after 0, 1, 2 right answers in a row
RIGHT_TO_LEAVE = 3


@dataclass(frozen=True)
class Entry:
    """One article in a member's 错题本."""

    unit_id: str
    streak: int  # right answers in a row since the last miss
    due: date
    missed: int  # times answered wrongly in all


class ReviewBook:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.lock = threading.Lock()

    def record(self, name: str, score: Score, today: date) -> None:
        """A member's answers: a miss puts the article (back) at the start of the schedule, a paper
        right on an article in the book moves it on, or out after three in a row."""
        entries = {e.unit_id: e for e in self.entries(name)}
        for unit_id, right in _by_article(score).items():
            current = entries.get(unit_id)
            if not right:
                entries[unit_id] = Entry(unit_id, 0, today, (current.missed if current else 0) + 1)
            elif current is not None:
                streak = current.streak + 1
                if streak >= RIGHT_TO_LEAVE:
                    del entries[unit_id]
                else:
                    entries[unit_id] = Entry(unit_id, streak, today + timedelta(INTERVALS[streak]), current.missed)
        self._save(name, list(entries.values()))

    def due(self, name: str, today: date) -> list[str]:
        """The articles to review today, most missed first."""
        due = [e for e in self.entries(name) if e.due <= today]
        return [e.unit_id for e in sorted(due, key=lambda e: (-e.missed, e.due, e.unit_id))]

    def entries(self, name: str) -> list[Entry]:
        path = self._path(name)
        if not path.is_file():
            return []
        rows = json.loads(path.read_text(encoding="utf-8"))["articles"]
        return [Entry(r["unit_id"], r["streak"], date.fromisoformat(r["due"]), r["missed"]) for r in rows]

    def _save(self, name: str, entries: list[Entry]) -> None:
        path = self._path(name)
        rows = [
            {"unit_id": e.unit_id, "streak": e.streak, "due": e.due.isoformat(), "missed": e.missed} for e in entries
        ]
        with self.lock:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".tmp")
            tmp.write_text(json.dumps({"name": name, "articles": rows}, ensure_ascii=False), encoding="utf-8")
            tmp.replace(path)

    def _path(self, name: str) -> Path:
        if not name.strip():
            raise QuizRequestError("请先填写姓名：错题本按姓名保存。")
        digest = hashlib.sha1(name.strip().casefold().encode("utf-8")).hexdigest()[:16]
        return self.folder / f"{digest}.json"


def _by_article(score: Score) -> dict[str, bool]:
    """Per article answered on the paper: whether all its answered items were right (one step on
    the schedule per paper, however many items it had on the article); unanswered items count for
    nothing."""
    found: dict[str, bool] = {}
    for outcome in score.outcomes:
        if not outcome.answered:
            continue
        unit_id = outcome.item.source.unit_id
        found[unit_id] = found.get(unit_id, True) and outcome.correct
    return found
