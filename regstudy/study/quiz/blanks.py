"""填空 items: a key phrase of an article sentence is removed — a list item, a quoted term, a
domain term, the modal of a norm, or the subject where the document distinguishes 党员干部 — so
that the stem with the key put back is the article's own text."""

from __future__ import annotations

import random
import re

from regstudy.kb.lexical import words
from regstudy.records import Unit
from regstudy.study.quiz.items import BLANK, BLANK_MARK, QuizItem
from regstudy.study.quiz.material import Piece, context_of
from regstudy.study.quiz.pool import Pool
from regstudy.study.quiz.truefalse import NARROW_SUBJECT

QUOTED = re.compile(r"“([^”]{2,12})”")
GENERIC = frozenset({"有关规定", "有关部门", "有关方面", "相关内容", "本规定", "本意见", "党员干部", "党支部"})
PER_UNIT = 8
CONTEXT_REST = 8  # the stem must say enough around the blank to be answerable
BLANK_MAX = 12  # a longer key is a clause to recite, not a phrase to recall


def blank_items(pool: Pool, unit: Unit, rng: random.Random) -> list[QuizItem]:
    found, seen = [], set()
    for key, reason in _keys(pool, unit, rng):
        context = context_of(key)
        if key.text in seen or context.text.count(key.text) != 1 or _in_title(key):
            continue
        if len(context.text) < len(key.text) + CONTEXT_REST:
            continue
        seen.add(key.text)
        at = key.start - context.start
        stem = context.text[:at] + BLANK_MARK + context.text[at + len(key.text) :]
        explanation = pool.explain(f"blank_{reason}", unit, context.text, key=key.text)
        found.append(QuizItem(BLANK, stem, key.text, pool.source(unit, context.text), explanation))
    return found[:PER_UNIT]


def _keys(pool: Pool, unit: Unit, rng: random.Random) -> list[tuple[Piece, str]]:
    """Candidate spans, the most instructive kinds first (list items and terms shuffled within)."""
    found = pool.material[unit.id]
    items = [
        (i, "item") for e in found.enumerations if not e.semicolon for i in e.items if 2 <= len(i.text) <= BLANK_MAX
    ]
    quoted = [(Piece(unit, m.start(1), m.group(1)), "term") for m in QUOTED.finditer(unit.text)]
    modals = [(Piece(unit, n.action.start - len(n.modal), n.modal), "modal") for n in found.norms]
    subjects = [
        (Piece(unit, unit.text.index(n.lead), n.subject), "subject")
        for n in found.norms
        if n.subject == NARROW_SUBJECT and n.lead.startswith(n.subject) and n.lead in unit.text
    ]
    terms = _terms(pool, unit)
    for group in (items, terms):
        rng.shuffle(group)
        group.sort(key=lambda key: len(key[0].text) < 3)  # two-character keys are the least telling
    return [*quoted, *items, *terms[:4], *subjects[:1], *modals[:1]]


def _in_title(key: Piece) -> bool:
    """Inside 《…》: the title of another document is not this article's content."""
    before = key.unit.text[: key.start]
    return before.rfind("《") > before.rfind("》")


def _terms(pool: Pool, unit: Unit) -> list[tuple[Piece, str]]:
    """Words of three or more characters that few articles use: the article's own vocabulary."""
    found, at = [], 0
    for word in words(unit.text):
        start, at = at, at + len(word)
        if len(word) < 3 or not word.isalnum() or word in GENERIC:
            continue
        if sum(word in u.text for u in pool.quiz_units) <= 2:
            found.append((Piece(unit, start, word), "term"))
    return found
