"""LLM-written items (optional): proposals from the LLM about articles in scope, turned into
items and kept only if they pass the grounding check; each one kept replaces a mined item of its
type, so the paper keeps its size and its balance."""

from __future__ import annotations

import random
from typing import Any, Protocol

from regstudy.quotes import QuoteGuard
from regstudy.records import Unit
from regstudy.study.quiz.grounding import check
from regstudy.study.quiz.items import QuizItem
from regstudy.study.quiz.paper import QuizSpec
from regstudy.study.quiz.pool import Pool


class ItemWriter(Protocol):
    """Proposes quiz items (raw dicts) of one type about one article: an LLM, when one is configured."""

    def write(self, citation: str, text: str, kind: str) -> list[dict[str, Any]]: ...


def add_written(
    pool: Pool, writer: ItemWriter, units: list[Unit], spec: QuizSpec, items: list[QuizItem], share: float
) -> list[QuizItem]:
    rng = random.Random(f"{spec.seed}:llm")
    wanted = round(len(items) * share)
    keys = {i.key for i in items}
    result = list(items)
    for unit in rng.sample(units, min(wanted, len(units))):
        kind = rng.choice(spec.types)
        for proposal in writer.write(unit.citation, unit.text, kind):
            item = to_item(pool, unit, kind, proposal)
            if item is None or item.key in keys or not check(item, pool).ok:
                continue
            replaced = _last_mined(result, kind)
            if replaced is None:
                break
            result[replaced] = item
            keys.add(item.key)
            break
    return result


def _last_mined(items: list[QuizItem], kind: str) -> int | None:
    return next((n for n in range(len(items) - 1, -1, -1) if items[n].type == kind and items[n].origin == "rule"), None)


def to_item(pool: Pool, unit: Unit, kind: str, proposal: dict[str, Any]) -> QuizItem | None:
    """A proposal as an item, or None when it is malformed or its explanation misquotes."""
    try:
        quote, stem = str(proposal["quote"]), str(proposal["stem"])
        options = tuple(str(o) for o in proposal.get("options") or ())
        answer = _answer(kind, proposal["answer"])
        explanation = str(proposal.get("explanation", ""))
    except (KeyError, TypeError, ValueError):
        return None
    guard = QuoteGuard([unit.text])
    guard.feed(explanation)
    guard.finish()
    if guard.removed or proposal.get("type", kind) != kind:
        return None
    full = pool.explain("written", unit, quote, note=explanation)
    return QuizItem(kind, stem, answer, pool.source(unit, quote), full, options, origin="llm")


def _answer(kind: str, value: Any) -> Any:
    if kind == "single":
        return "ABCDEFGH"[value] if isinstance(value, int) else str(value).strip().upper()
    if kind == "multiple":
        return tuple(sorted(str(v).strip().upper() for v in value))
    if kind == "judge":
        if not isinstance(value, bool):
            raise ValueError("judge answer must be boolean")
        return value
    return str(value) if isinstance(value, str) else tuple(str(v) for v in value)
