"""Assembling a paper: the requested number of items over a scope, the types balanced, the articles
covered evenly, no duplicates, every item re-checked against the stored text, deterministic for a
seed."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from itertools import zip_longest

from regstudy.records import Unit
from regstudy.study.quiz import blanks, choice, truefalse
from regstudy.study.quiz.grounding import check
from regstudy.study.quiz.items import BLANK, JUDGE, MULTIPLE, SINGLE, TYPES, QuizItem
from regstudy.study.quiz.pool import Pool

Maker = Callable[[Pool, Unit, random.Random], list[QuizItem]]
MAKERS: dict[str, tuple[Maker, ...]] = {
    SINGLE: (choice.which_article, choice.norm_single, choice.list_single),
    MULTIPLE: (choice.list_multiple, choice.duties_multiple),
    JUDGE: (truefalse.judge_items,),
    BLANK: (blanks.blank_items,),
}


@dataclass(frozen=True)
class QuizSpec:
    """What the organiser asked for. `unit_ids` empty = the whole knowledge base."""

    n: int = 20
    types: tuple[str, ...] = TYPES
    unit_ids: tuple[str, ...] = ()
    seed: int = 0


@dataclass(frozen=True)
class Paper:
    spec: QuizSpec
    items: tuple[QuizItem, ...]
    scope_label: str = ""

    @property
    def articles(self) -> Counter[str]:
        return Counter(item.source.unit_id for item in self.items)


def quotas(n: int, types: tuple[str, ...]) -> dict[str, int]:
    """n items shared as evenly as possible among the types, in the order given."""
    base, extra = divmod(n, len(types))
    return {t: base + (1 if i < extra else 0) for i, t in enumerate(types)}


def interleave(lists: list[list[QuizItem]]) -> list[QuizItem]:
    """One from each list in turn: every kind of question gets its chance at the front."""
    merged = []
    for row in zip_longest(*lists):
        merged += [item for item in row if item is not None]
    return merged


class Candidates:
    """The items each article can offer, per type: generated on first need, in a seeded order, and
    kept only when they pass the grounding check."""

    def __init__(self, pool: Pool, seed: int) -> None:
        self.pool = pool
        self.seed = seed
        self.cache: dict[tuple[str, str], list[QuizItem]] = {}

    def of(self, kind: str, unit: Unit) -> list[QuizItem]:
        if (kind, unit.id) not in self.cache:
            rng = random.Random(f"{self.seed}:{kind}:{unit.id}")
            makers = list(MAKERS[kind])
            rng.shuffle(makers)
            items = interleave([make(self.pool, unit, rng) for make in makers])
            self.cache[kind, unit.id] = [item for item in items if check(item, self.pool).ok]
        return self.cache[kind, unit.id]


class Assembler:
    """Fills each type's quota from the least-used articles first; a type that runs out hands its
    remaining places to the others."""

    def __init__(self, pool: Pool, units: list[Unit], spec: QuizSpec) -> None:
        self.spec = spec
        self.candidates = Candidates(pool, spec.seed)
        self.units = list(units)
        random.Random(f"{spec.seed}:order").shuffle(self.units)
        self.used: Counter[str] = Counter()
        self.keys: set[str] = set()
        self.quotes: set[tuple[str, str]] = set()
        self.chosen: list[QuizItem] = []
        self.exhausted: set[str] = set()

    def run(self) -> list[QuizItem]:
        wanted = quotas(self.spec.n, self.spec.types)
        while len(self.chosen) < self.spec.n:
            for kind in self.spec.types:
                if wanted[kind] > 0 and kind not in self.exhausted and len(self.chosen) < self.spec.n:
                    wanted[kind] -= self._add(kind)
            alive = tuple(t for t in self.spec.types if t not in self.exhausted)
            if not alive:
                break
            if not any(wanted[t] > 0 for t in alive):
                for kind, count in quotas(self.spec.n - len(self.chosen), alive).items():
                    wanted[kind] += count
        return sorted(self.chosen, key=lambda item: self.spec.types.index(item.type))

    def _add(self, kind: str) -> int:
        item = self._next(kind)
        if item is None:
            self.exhausted.add(kind)
            return 0
        self.chosen.append(item)
        self.used[item.source.unit_id] += 1
        self.keys.add(item.key)
        self.quotes.add((item.type, item.source.quote))
        return 1

    def _next(self, kind: str) -> QuizItem | None:
        """The first fresh item of the least-used article that has one: a passage not yet asked
        about in this type first, and judge items alternating true and false."""
        want_true = sum(1 for i in self.chosen if i.type == JUDGE) % 2 == 0
        fallback = None
        for unit in sorted(self.units, key=lambda u: self.used[u.id]):
            fresh = [i for i in self.candidates.of(kind, unit) if i.key not in self.keys]
            if not fresh:
                continue
            unseen = [i for i in fresh if (i.type, i.source.quote) not in self.quotes] or fresh
            liked = [i for i in unseen if kind != JUDGE or i.answer is want_true]
            if liked:
                return liked[0]
            fallback = fallback or unseen[0]  # no item of the wanted truth here: look at the next article
        return fallback


def assemble(pool: Pool, units: list[Unit], spec: QuizSpec) -> list[QuizItem]:
    return Assembler(pool, units, spec).run()
