"""判断 items. True statements are verbatim; false ones change one thing a learner should notice —
the modal (不得 → 可以), a list item (swapped in from another article), or the subject (党员干部 →
党员, in documents that make that distinction) — and are checked to appear in no article."""

from __future__ import annotations

import random
from dataclasses import dataclass

from regstudy.records import Unit
from regstudy.study.quiz.choice import sentence_of
from regstudy.study.quiz.items import JUDGE, QuizItem
from regstudy.study.quiz.material import Piece, is_named
from regstudy.study.quiz.pool import Pool, items_of

# flips that read naturally: a ban becomes a permission, a duty an option (应当 → 不必 did not:
# 不必敢于斗争)
FLIPS = {"不得": "可以", "不准": "可以", "严禁": "可以", "应当": "可以不", "必须": "可以不", "要": "可以不"}
NARROW_SUBJECT, WIDE_SUBJECT = "党员干部", "党员"


@dataclass(frozen=True)
class Falsehood:
    text: str
    reason: str  # modal | item | subject
    original: str
    changed: str


def judge_items(pool: Pool, unit: Unit, rng: random.Random) -> list[QuizItem]:
    found = []
    statements = list(pool.material[unit.id].statements)
    rng.shuffle(statements)
    for statement in statements:
        quote = sentence_of(statement)
        found.append(_item(pool, unit, statement.text, True, quote, "judge_true"))
        for false in _falsehoods(pool, unit, statement, rng):
            extra = {"original": false.original, "changed": false.changed}
            found.append(_item(pool, unit, false.text, False, quote, f"judge_{false.reason}", **extra))
    return found


def _item(pool: Pool, unit: Unit, text: str, truth: bool, quote: str, reason: str, **extra: str) -> QuizItem:
    stem = pool.stem("judge", unit, statement=text.rstrip("。"))
    explanation = pool.explain(reason, unit, quote, **extra)
    return QuizItem(JUDGE, stem, truth, pool.source(unit, quote), explanation)


def _falsehoods(pool: Pool, unit: Unit, statement: Piece, rng: random.Random) -> list[Falsehood]:
    candidates = [*_modal_flips(pool, unit, statement), *_item_swaps(pool, unit, statement, rng)]
    candidates += _subject_swaps(pool, unit, statement)
    return [c for c in candidates if pool.in_no_article(c.text)]


def _replace(statement: Piece, start: int, old: str, new: str) -> str:
    at = start - statement.start
    return statement.text[:at] + new + statement.text[at + len(old) :]


def _modal_flips(pool: Pool, unit: Unit, statement: Piece) -> list[Falsehood]:
    found = []
    for norm in pool.material[unit.id].norms:
        at = norm.action.start - len(norm.modal)
        within = statement.start <= at and norm.action.start <= statement.end
        # the modal must stand right before its action (应当积极通过网络，广泛宣传: it does not)
        adjacent = (
            within and statement.text[at - statement.start : at - statement.start + len(norm.modal)] == norm.modal
        )
        if adjacent and norm.modal in FLIPS:
            flipped = FLIPS[norm.modal]
            found.append(Falsehood(_replace(statement, at, norm.modal, flipped), "modal", norm.modal, flipped))
    return found[:1]


def _item_swaps(pool: Pool, unit: Unit, statement: Piece, rng: random.Random) -> list[Falsehood]:
    """One item of a named list replaced by an item of another article's list of the same polarity:
    a plausible slip, and false for this article."""
    for listed in pool.material[unit.id].enumerations:
        inside = [i for i in listed.items if statement.start <= i.start and i.end <= statement.end]
        inside = [i for i in inside if len(i.text) >= 3]
        if not inside or not is_named(listed):
            continue
        item = rng.choice(inside)
        same = [t for t in items_of(pool.others(unit), listed.polarity) if abs(len(t) - len(item.text)) <= 2]
        swaps = pool.foreign(unit, same)
        if swaps:
            swap = rng.choice(swaps)
            return [Falsehood(_replace(statement, item.start, item.text, swap), "item", item.text, swap)]
    return []


def _subject_swaps(pool: Pool, unit: Unit, statement: Piece) -> list[Falsehood]:
    """党员干部 → 党员 only where the same document also addresses 党员 as such."""
    if not statement.text.startswith(NARROW_SUBJECT):
        return []
    wide = any(
        n.subject == WIDE_SUBJECT for u in pool.quiz_units if u.doc_id == unit.doc_id for n in pool.material[u.id].norms
    )
    if not wide:
        return []
    text = WIDE_SUBJECT + statement.text[len(NARROW_SUBJECT) :]
    return [Falsehood(text, "subject", NARROW_SUBJECT, WIDE_SUBJECT)]
