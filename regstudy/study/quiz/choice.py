"""单选 and 多选 items. Correct options are verbatim spans of the cited article; distractors come
from other articles and are checked not to be in (or nearly paraphrase) the cited one."""

from __future__ import annotations

import random
from dataclasses import replace
from typing import Any

from regstudy.records import Unit
from regstudy.study.quiz.items import MULTIPLE, SINGLE, QuizItem, lettered
from regstudy.study.quiz.material import NEGATIVE, POSITIVE, Enumeration, Piece, is_named, sentences
from regstudy.study.quiz.pool import OPTION_MAX, Pool, contrast_items

WHICH_MAX = 70  # a longer passage makes a 出自哪一条 stem hard to read


def sentence_of(piece: Piece) -> str:
    return next(s.text for s in sentences(piece.unit) if s.start <= piece.start < s.end)


def pick(rng: random.Random, preferred: list[str], fallback: list[str], k: int) -> list[str]:
    """k distinct texts, from `preferred` as far as it goes."""
    first = rng.sample(preferred, min(k, len(preferred)))
    rest = [t for t in fallback if t not in first]
    return first + rng.sample(rest, min(k - len(first), len(rest)))


def which_article(pool: Pool, unit: Unit, rng: random.Random) -> list[QuizItem]:
    """“<statement>”出自哪一条？ Options are articles of the same document, nearest first."""
    siblings = [u for u in pool.quiz_units if u.doc_id == unit.doc_id and u.id != unit.id]
    siblings.sort(key=lambda u: abs(u.ordinal - unit.ordinal))
    found = []
    statements = list(pool.material[unit.id].statements)
    rng.shuffle(statements)
    for statement in statements:
        if len(statement.text) > WHICH_MAX:
            continue
        holders = pool.units_containing(statement.text)
        others = [u for u in siblings[:8] if u not in holders]
        if len(others) < 3:
            continue
        chosen = [unit, *rng.sample(others, 3)]
        chosen.sort(key=lambda u: u.ordinal)
        options, answer = lettered([u.label for u in chosen], {unit.label})
        stem = pool.stem("which_article", unit, statement=statement.text.rstrip("。"))
        quote = sentence_of(statement)
        explanation = pool.explain("which_article", unit, quote)
        found.append(QuizItem(SINGLE, stem, answer[0], pool.source(unit, quote), explanation, options))
    return found


def norm_single(pool: Pool, unit: Unit, rng: random.Random) -> list[QuizItem]:
    """根据第N条，党支部应当（ ）。 Distractors: what other articles forbid (for a ban, what they
    require), of the same subject first — false whatever article one reads, not only in this one."""
    found = []
    norms = list(pool.material[unit.id].norms)
    rng.shuffle(norms)
    for norm in norms:
        if len(norm.action.text) > OPTION_MAX or len(norm.lead) > 60:
            continue
        others = [n for m in pool.others(unit) for n in m.norms if n.polarity == _opposite(norm.polarity)]
        same = pool.foreign(unit, [n.action.text for n in others if n.subject == norm.subject])
        rest = pool.foreign(unit, [n.action.text for n in others])
        distractors = pick(rng, same, rest, 3)
        if len(distractors) < 3:
            continue
        found.append(_choice(pool, unit, rng, norm.action, [norm.action.text], distractors, "norm", lead=norm.lead))
    return found


def list_single(pool: Pool, unit: Unit, rng: random.Random) -> list[QuizItem]:
    """根据第N条，下列属于“不良网络现象”的是（ ）。"""
    found = []
    for listed in _named_lists(pool, unit):
        correct = rng.choice(listed.items)
        distractors = _list_distractors(pool, unit, rng, listed, 3)
        if len(distractors) == 3:
            found.append(_list_item(pool, unit, rng, listed, [correct], distractors, SINGLE))
    return found


def list_multiple(pool: Pool, unit: Unit, rng: random.Random) -> list[QuizItem]:
    """根据第N条，下列属于“不良网络现象”的有（ ）。 2–3 items of the list, the rest from elsewhere."""
    found = []
    for listed in _named_lists(pool, unit):
        if len(listed.items) < 2:
            continue
        correct = rng.sample(listed.items, min(len(listed.items), rng.choice((2, 3))))
        distractors = _list_distractors(pool, unit, rng, listed, 5 - len(correct) if len(correct) == 3 else 2)
        if len(distractors) >= 2:
            found.append(_list_item(pool, unit, rng, listed, correct, distractors, MULTIPLE))
    return found


def duties_multiple(pool: Pool, unit: Unit, rng: random.Random) -> list[QuizItem]:
    """根据第N条，党支部应当（ ）。 Several duties of the article, plus what other articles forbid."""
    found = []
    for norm in pool.material[unit.id].norms:
        if not norm.duties or len(norm.lead) > 60:
            continue
        correct = rng.sample(list(norm.duties), rng.choice((2, 3)))
        others = [n for m in pool.others(unit) for n in m.norms if n.polarity == _opposite(norm.polarity)]
        same = pool.foreign(
            unit, [d.text for n in others if n.subject == norm.subject for d in n.duties or (n.action,)]
        )
        rest = pool.foreign(unit, [d.text for n in others for d in n.duties or (n.action,)])
        distractors = pick(rng, same, rest, 2)
        if len(distractors) == 2:
            texts = [c.text for c in correct]
            found.append(
                _choice(pool, unit, rng, norm.action, texts, distractors, "duties", lead=norm.lead, kind=MULTIPLE)
            )
    return found


def _named_lists(pool: Pool, unit: Unit) -> list[Enumeration]:
    """Lists a stem can name, with the items short enough to be options."""
    named = []
    for listed in pool.material[unit.id].enumerations:
        items = tuple(i for i in listed.items if len(i.text) <= OPTION_MAX)
        if is_named(listed) and items:
            named.append(replace(listed, items=items))
    return named


def _list_distractors(pool: Pool, unit: Unit, rng: random.Random, listed: Enumeration, k: int) -> list[str]:
    """Options that are not in the list and cannot belong to it (see `contrast_items`), those of
    about the same length as the list's items first."""
    candidates = pool.foreign(unit, contrast_items(pool.others(unit), listed.polarity))
    size = sum(len(i.text) for i in listed.items) / len(listed.items)
    alike = [c for c in candidates if abs(len(c) - size) <= max(3, size / 2)]
    return pick(rng, alike, candidates, k)


def _list_item(
    pool: Pool,
    unit: Unit,
    rng: random.Random,
    listed: Enumeration,
    correct: list[Piece],
    distractors: list[str],
    kind: str,
) -> QuizItem:
    before, _, after = listed.lead.partition("以下")
    variables = {"head": listed.head, "before": before, "after": after, "semicolon": listed.semicolon}
    stem_kind = "list_single" if kind == SINGLE else "list_multiple"
    texts = [c.text for c in correct]
    return _choice(pool, unit, rng, correct[0], texts, distractors, stem_kind, kind=kind, **variables)


def _choice(
    pool: Pool,
    unit: Unit,
    rng: random.Random,
    anchor: Piece,
    correct: list[str],
    distractors: list[str],
    stem_kind: str,
    kind: str = SINGLE,
    **variables: Any,
) -> QuizItem:
    options = [*correct, *distractors]
    rng.shuffle(options)
    options_t, letters = lettered(options, set(correct))
    quote = sentence_of(anchor)
    stem = pool.stem(stem_kind, unit, **variables)
    explanation = pool.explain(stem_kind, unit, quote, answers=correct)
    answer = letters[0] if kind == SINGLE else letters
    return QuizItem(kind, stem, answer, pool.source(unit, quote), explanation, options_t)


def _opposite(polarity: str) -> str:
    return NEGATIVE if polarity == POSITIVE else POSITIVE
