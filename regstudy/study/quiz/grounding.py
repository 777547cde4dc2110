"""The grounding check every item passes before it reaches a paper — mined or LLM-written alike:
the quote is verbatim in the cited article, the key is supported by a verbatim span of it, and no
option read alone states what the article does not (`meaning`, which knows nothing of how items are
made)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, cast

from regstudy.quotes import comparable
from regstudy.study.quiz.items import BLANK, BLANK_MARK, JUDGE, LETTERS, MULTIPLE, SINGLE, TYPES, QuizItem
from regstudy.study.quiz.meaning import misstatements
from regstudy.study.quiz.pool import Pool


@dataclass(frozen=True)
class Verdict:
    ok: bool
    reason: str = ""


def check(item: QuizItem, pool: Pool) -> Verdict:
    unit = next((u for u in pool.quiz_units if u.id == item.source.unit_id), None)
    if item.type not in TYPES:
        return Verdict(False, "unknown type")
    if unit is None or unit.label != item.source.article:
        return Verdict(False, "no such article")
    article = comparable(unit.text)
    if not item.source.quote or comparable(item.source.quote) not in article:
        return Verdict(False, "quote not verbatim")
    verdict = {SINGLE: _choice, MULTIPLE: _choice, JUDGE: _judge, BLANK: _blank}[item.type](item, pool, article)
    if verdict.ok and (found := misstatements(item, unit.text, pool.scope_texts)):  # verbatim, yet a change of meaning
        return Verdict(False, f"{found[0].rule}: {found[0].option}")
    return verdict


def _choice(item: QuizItem, pool: Pool, article: str) -> Verdict:
    letters: list[Any] = [item.answer] if item.type == SINGLE else list(cast(Iterable[Any], item.answer))
    if not letters or any(not isinstance(x, str) or x not in LETTERS[: len(item.options)] for x in letters):
        return Verdict(False, "answer is not an option")
    if len(set(item.options)) != len(item.options) or len(item.options) < 3:
        return Verdict(False, "options repeat or too few")
    correct = {item.options[LETTERS.index(x)] for x in letters}
    wrong = [o for o in item.options if o not in correct]
    if item.source.article in item.options:  # 出自哪一条: the options are article labels
        return _which_article(item, pool, correct, wrong)
    if not all(comparable(o) in article for o in correct):
        return Verdict(False, "a key is not in the article")
    if any(comparable(o) in article for o in wrong) or not wrong:
        return Verdict(False, "a distractor is also in the article")
    return Verdict(True)


def _which_article(item: QuizItem, pool: Pool, correct: set[str], wrong: list[str]) -> Verdict:
    if correct != {item.source.article}:
        return Verdict(False, "the key is not the cited article")
    statement = item.stem[item.stem.find("“") + 1 : item.stem.rfind("”")]
    holders = {u.label for u in pool.units_containing(statement) if u.doc_id == item.source.doc_id}
    if item.source.article not in holders or holders & set(wrong):
        return Verdict(False, "the passage is not (only) in the cited article")
    return Verdict(True)


def _judge(item: QuizItem, pool: Pool, article: str) -> Verdict:
    statement = item.statement
    if item.answer is True:
        return Verdict(comparable(statement) in article, "true statement not verbatim")
    if item.answer is False:
        return Verdict(pool.in_no_article(statement), "false statement appears in an article")
    return Verdict(False, "judge answer must be true or false")


def _blank(item: QuizItem, pool: Pool, article: str) -> Verdict:
    keys = item.blanks()
    if item.stem.count(BLANK_MARK) != len(keys) or not all(keys):
        return Verdict(False, "blanks and keys differ in number")
    filled = item.stem
    for key in keys:
        filled = filled.replace(BLANK_MARK, key, 1)
    if comparable(filled) not in article:
        return Verdict(False, "stem with the key is not the article text")
    return Verdict(True)
