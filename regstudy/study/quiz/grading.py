"""Scoring a member's answers: what counts as the same answer for each type."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from regstudy.quotes import comparable
from regstudy.study.quiz.items import BLANK, JUDGE, LETTERS, MULTIPLE, SINGLE, QuizItem
from regstudy.text import normalize

TRUE_WORDS = {"true", "正确", "对", "是", "√", "✓", "t", "yes", "1"}
FALSE_WORDS = {"false", "错误", "错", "否", "×", "✗", "f", "no", "0"}


@dataclass(frozen=True)
class Outcome:
    item: QuizItem
    given: Any
    correct: bool

    @property
    def answered(self) -> bool:
        return self.given not in (None, "", [], ())


@dataclass(frozen=True)
class Score:
    outcomes: tuple[Outcome, ...]

    @property
    def right(self) -> int:
        return sum(o.correct for o in self.outcomes)

    @property
    def total(self) -> int:
        return len(self.outcomes)

    @property
    def answered(self) -> int:
        """How many items got an answer at all (a blank paper answers none)."""
        return sum(o.answered for o in self.outcomes)

    @property
    def wrong_articles(self) -> list[str]:
        return [o.item.source.unit_id for o in self.outcomes if not o.correct]


def grade(items: Sequence[QuizItem], answers: Sequence[Any]) -> Score:
    """Answers in item order; a missing or empty answer is wrong."""
    padded = list(answers) + [None] * (len(items) - len(answers))
    return Score(tuple(Outcome(i, a, is_correct(i, a)) for i, a in zip(items, padded, strict=False)))


def is_correct(item: QuizItem, given: Any) -> bool:
    if given is None or given == "" or given == []:
        return False
    if item.type == SINGLE:
        return _letters(item, [given]) == {item.answer}
    if item.type == MULTIPLE:
        return _letters(item, given if isinstance(given, list | tuple) else list(str(given))) == set(item.answers())
    if item.type == JUDGE:
        return _truth(given) is item.answer
    if item.type == BLANK:
        parts = given if isinstance(given, list | tuple) else str(given).split("；")
        return [_form(p) for p in parts] == [_form(k) for k in item.blanks()]
    return False


def _letters(item: QuizItem, given: Sequence[Any]) -> set[str]:
    """Letters from letters (B), indexes (1) or option texts."""
    letters = set()
    for value in given:
        text = str(value).strip().rstrip(".．、").upper()
        if isinstance(value, int) and 0 <= value < len(item.options):
            letters.add(LETTERS[value])
        elif len(text) == 1 and text in LETTERS[: len(item.options)]:
            letters.add(text)
        elif str(value) in item.options:
            letters.add(LETTERS[item.options.index(str(value))])
        elif text.strip(" ,，、"):
            letters.add("?")
    return letters


def _truth(given: Any) -> bool | None:
    if isinstance(given, bool):
        return given
    word = str(given).strip().lower()
    return True if word in TRUE_WORDS else False if word in FALSE_WORDS else None


def _form(text: Any) -> str:
    return comparable(normalize(str(text)))
