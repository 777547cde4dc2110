"""修订对照: two editions of one regulation compared article by article, surviving renumbering.

Articles with the same text are paired first; the rest are aligned in order (a dynamic programme over
character similarity, so an article inserted or deleted shifts the numbers without breaking the
pairing), and what is left is paired out of order when still alike (a moved article). A pair is
`changed` when its text differs; unpaired articles are `added` or `deleted`."""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Callable
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

from regstudy.kb.editions import SUPERSEDED
from regstudy.quotes import comparable
from regstudy.records import ARTICLE, DocumentInfo, Unit
from regstudy.study.citations.diffing import Segment, full_diff

UNCHANGED, RENUMBERED, CHANGED, MOVED, ADDED, DELETED = (
    "unchanged", "renumbered", "changed", "moved", "added", "deleted",
)  # fmt: skip
KIND_NAMES = {
    UNCHANGED: "未改动",
    RENUMBERED: "仅条号变动",
    CHANGED: "修改",
    MOVED: "移动",
    ADDED: "新增",
    DELETED: "删除",
}
ALIKE = 0.5  # character similarity above which two articles are one article revised, not two articles
REWRITTEN = 0.4  # the lower bar for a pair inside a gap between pairs that keep their order
GAP_PAIRS = 400  # gaps larger than this (rows × columns) are left alone
STRONG = 0.8  # an in-order pair this alike stands whatever else is alike
BETTER = 0.2  # a weaker one gives way to a partner this much closer elsewhere
CONTAINED_MIN = 12  # characters an article needs before "most of it is in the other one" means anything
CONTAINED_SHARE = 0.8  # and how much of it must be there


@dataclass(frozen=True)
class Row:
    """One line of the 对照表."""

    kind: str
    old: Unit | None
    new: Unit | None
    similarity: float
    diff: tuple[Segment, ...] = ()

    @property
    def labels(self) -> str:
        """原第X条 → 现第Y条 (or one side only)."""
        old = f"原{self.old.label}" if self.old else "（无）"
        new = f"现{self.new.label}" if self.new else "（无）"
        return f"{old} → {new}"

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "old": self.old.label if self.old else None,
            "new": self.new.label if self.new else None,
            "similarity": self.similarity,
            "diff": [s.to_json() for s in self.diff],
        }


@dataclass(frozen=True)
class Revision:
    """The 对照表 of an older and a newer edition, in the newer edition's order (deletions where
    they stood)."""

    old_title: str
    new_title: str
    rows: tuple[Row, ...]

    def counts(self) -> dict[str, int]:
        return {kind: sum(1 for r in self.rows if r.kind == kind) for kind in KIND_NAMES}

    def counterpart(self, old: Unit) -> Row | None:
        """The row of an old edition's article (what it became)."""
        return next((r for r in self.rows if r.old is not None and r.old.id == old.id), None)


def compare_editions(old: list[Unit], new: list[Unit], old_title: str = "", new_title: str = "") -> Revision:
    """The 对照表 of two editions' articles."""
    old = [u for u in old if u.kind == ARTICLE]
    new = [u for u in new if u.kind == ARTICLE]
    texts_old, texts_new = [comparable(u.text) for u in old], [comparable(u.text) for u in new]
    pairs = _identical(texts_old, texts_new)
    pairs |= _without_better(_in_order(texts_old, texts_new, pairs), texts_old, texts_new, pairs)
    pairs |= _out_of_order(texts_old, texts_new, pairs)
    pairs |= _gap_fill(texts_old, texts_new, pairs)
    rows = [_row(old[i], new[j], texts_old[i], texts_new[j], pairs[i, j]) for i, j in pairs]
    rows += [Row(DELETED, old[i], None, 0.0) for i in range(len(old)) if not any(i == p[0] for p in pairs)]
    rows += [Row(ADDED, None, new[j], 0.0) for j in range(len(new)) if not any(j == p[1] for p in pairs)]
    _mark_moves(rows)
    return Revision(old_title, new_title, tuple(_ordered(rows)))


def _identical(old: list[str], new: list[str]) -> dict[tuple[int, int], float]:
    """Same text, paired in order (a text repeated in both pairs its occurrences in turn)."""
    waiting: dict[str, list[int]] = {}
    for j, text in enumerate(new):
        waiting.setdefault(text, []).append(j)
    pairs = {}
    for i, text in enumerate(old):
        if waiting.get(text):
            pairs[i, waiting[text].pop(0)] = 1.0
    return pairs


def _in_order(old: list[str], new: list[str], fixed: dict[tuple[int, int], float]) -> dict[tuple[int, int], float]:
    """Between consecutive identical pairs that kept their order, the best in-order pairing of the rest."""
    anchors = sorted(fixed)
    kept = _increasing([j for _, j in anchors])
    bounds = [(-1, -1), *[anchors[n] for n in sorted(kept)], (len(old), len(new))]
    taken_old, taken_new = {i for i, _ in fixed}, {j for _, j in fixed}
    pairs: dict[tuple[int, int], float] = {}
    for (i0, j0), (i1, j1) in itertools.pairwise(bounds):
        rows = [i for i in range(i0 + 1, i1) if i not in taken_old]
        cols = [j for j in range(j0 + 1, j1) if j not in taken_new]
        if rows and cols:
            pairs |= _align(old, new, rows, cols)
    return pairs


def _without_better(
    found: dict[tuple[int, int], float], old: list[str], new: list[str], fixed: dict[tuple[int, int], float]
) -> dict[tuple[int, int], float]:
    """In-order pairs, less a weak one out of step with its neighbours whose article has a plainly
    closer partner elsewhere (moved): that one is paired out of order instead."""
    free_old = [i for i in range(len(old)) if not any(i == p[0] for p in fixed)]
    free_new = [j for j in range(len(new)) if not any(j == p[1] for p in fixed)]
    kept, paired = {}, {**fixed, **found}
    for (i, j), score in found.items():
        in_step = (i - 1, j - 1) in paired or (i + 1, j + 1) in paired  # its neighbours pair the same way
        if score < STRONG and not in_step:
            rivals = [_similarity(old[i], new[k]) for k in free_new] + [_similarity(old[k], new[j]) for k in free_old]
            if max(rivals, default=0.0) > score + BETTER:
                continue
        kept[i, j] = score
    return kept


def _align(old: list[str], new: list[str], rows: list[int], cols: list[int]) -> dict[tuple[int, int], float]:
    """Needleman–Wunsch over one stretch: maximise the summed similarity of in-order pairs."""
    sim = {(i, j): _similarity(old[i], new[j]) for i in rows for j in cols}
    n, m = len(rows), len(cols)
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for a in range(1, n + 1):
        for b in range(1, m + 1):
            pair = sim[rows[a - 1], cols[b - 1]]
            best[a][b] = max(best[a - 1][b - 1] + (pair if pair >= ALIKE else -1.0), best[a - 1][b], best[a][b - 1])
    pairs, a, b = {}, n, m
    while a and b:
        pair = sim[rows[a - 1], cols[b - 1]]
        if pair >= ALIKE and best[a][b] == best[a - 1][b - 1] + pair:
            pairs[rows[a - 1], cols[b - 1]] = pair
            a, b = a - 1, b - 1
        elif best[a][b] == best[a - 1][b]:
            a -= 1
        else:
            b -= 1
    return pairs


def _out_of_order(old: list[str], new: list[str], pairs: dict[tuple[int, int], float]) -> dict[tuple[int, int], float]:
    """Articles left over on both sides that are still alike: moved (best pairs first)."""
    left_old = [i for i in range(len(old)) if not any(i == p[0] for p in pairs)]
    left_new = [j for j in range(len(new)) if not any(j == p[1] for p in pairs)]
    scored = sorted(((_similarity(old[i], new[j]), i, j) for i in left_old for j in left_new), reverse=True)
    found: dict[tuple[int, int], float] = {}
    used_old, used_new = set(), set()
    for score, i, j in scored:
        if score < ALIKE:
            break
        if i not in used_old and j not in used_new:
            found[i, j] = score
            used_old.add(i)
            used_new.add(j)
    return found


def _gap_fill(old: list[str], new: list[str], pairs: dict[tuple[int, int], float]) -> dict[tuple[int, int], float]:
    """Between two consecutive old articles paired in order (also inside a moved block), articles
    still unpaired on both sides that are each
    other's closest there (by a lower bar: a rewrite keeps less wording, 国有资产监督管理机构 →
    履行出资人职责的机构) are one article rewritten."""
    found: dict[tuple[int, int], float] = {}
    for (i0, j0), (i1, j1) in itertools.pairwise([(-1, -1), *sorted(pairs), (len(old), len(new))]):
        if j1 <= j0:
            continue  # consecutive old articles that went to places out of order: no gap between them
        rows = [i for i in range(i0 + 1, i1) if not any(i == p[0] for p in pairs)]
        cols = [j for j in range(j0 + 1, j1) if not any(j == p[1] for p in pairs)]
        if not rows or not cols or len(rows) * len(cols) > GAP_PAIRS:
            continue
        ratio = {(i, j): SequenceMatcher(None, old[i], new[j], autojunk=False).ratio() for i in rows for j in cols}
        for (i, j), score in ratio.items():
            best_i = max(ratio[i, k] for k in cols)
            best_j = max(ratio[k, j] for k in rows)
            if score >= REWRITTEN and score == best_i == best_j:
                found[i, j] = round(score, 3)
    return found


def _similarity(a: str, b: str) -> float:
    """2 × matched / total characters; an article that was expanded (or cut) keeps most of the shorter
    text in line, which counts as well (at three quarters, so a plain match ranks first). Below ALIKE
    the exact figure does not matter: 0."""
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    shorter = min(len(a), len(b))
    bound = matcher.quick_ratio()  # an upper bound of ratio(); the shared characters bound containment
    shared = bound * (len(a) + len(b)) / 2
    if bound < ALIKE and (shorter < CONTAINED_MIN or shared / max(shorter, 1) < CONTAINED_SHARE):
        return 0.0
    matched = sum(block.size for block in matcher.get_matching_blocks() if block.size >= 2)
    contained = matched / shorter if shorter >= CONTAINED_MIN else 0.0
    contained = contained * 0.75 if contained >= CONTAINED_SHARE else 0.0
    return round(max(matcher.ratio(), contained), 3)


def _row(old: Unit, new: Unit, text_old: str, text_new: str, similarity: float) -> Row:
    if text_old == text_new:
        return Row(UNCHANGED if old.label == new.label else RENUMBERED, old, new, 1.0)
    return Row(CHANGED, old, new, similarity, full_diff(text_old, text_new))


def _mark_moves(rows: list[Row]) -> None:
    """A pair out of step with its neighbours (its old position breaks the new order) moved."""
    paired = sorted((r for r in rows if r.old and r.new), key=lambda r: r.new.ordinal if r.new else 0)
    longest = _increasing([r.old.ordinal for r in paired if r.old])
    for n, row in enumerate(paired):
        if n not in longest:
            rows[rows.index(row)] = Row(MOVED, row.old, row.new, row.similarity, row.diff)


def _increasing(values: list[int]) -> set[int]:
    """Indexes of one longest increasing subsequence (the pairs that kept their order)."""
    tails: list[int] = []
    tail_index: list[int] = []
    previous = [-1] * len(values)
    for n, value in enumerate(values):
        at = bisect.bisect_left(tails, value)
        if at == len(tails):
            tails.append(value)
            tail_index.append(n)
        else:
            tails[at], tail_index[at] = value, n
        previous[n] = tail_index[at - 1] if at else -1
    keep, n = set(), tail_index[-1] if tail_index else -1
    while n >= 0:
        keep.add(n)
        n = previous[n]
    return keep


def _ordered(rows: list[Row]) -> list[Row]:
    """The new edition's order; each deleted article right after what the article before it became."""
    kept = sorted((r for r in rows if r.new is not None), key=lambda r: r.new.ordinal if r.new else 0)
    deleted = sorted((r for r in rows if r.new is None), key=lambda r: r.old.ordinal if r.old else 0)
    for row in deleted:
        assert row.old is not None
        before = [n for n, r in enumerate(kept) if r.old is not None and r.old.ordinal < row.old.ordinal]
        kept.insert(max(before) + 1 if before else 0, row)
    return kept


class Successors:
    """What each article of a superseded edition became in the edition in force (for a quote of old
    wording: 这是旧版第X条的表述，现行版第Y条为……)."""

    def __init__(self, documents: list[DocumentInfo], units_of: Callable[[str], list[Unit]]) -> None:
        self.superseded = {d.id: d.superseded_by for d in documents if d.status == SUPERSEDED and d.superseded_by}
        self.units_of = units_of
        self._revisions: dict[tuple[str, str], Revision] = {}

    def in_force(
        self, found: tuple[Unit, ...], cited: tuple[tuple[int, int], ...]
    ) -> tuple[tuple[Unit, ...], Unit | None]:
        """Where a verbatim quote is, in force first; and the old edition's article it is, when that is
        the article cited (第二十二条 of the old edition, now 第二十四条)."""
        current = tuple(u for u in found if u.doc_id not in self.superseded)
        older = next((u for u in found if u.doc_id in self.superseded and (u.article, 0) in cited), None)
        return (current or found), (older if current and older else None)

    def current(self, unit: Unit) -> Unit | None:
        """The in-force article an old edition's article became (None: deleted, or not an old edition)."""
        newer = self.superseded.get(unit.doc_id)
        if not newer:
            return None
        key = (unit.doc_id, newer)
        if key not in self._revisions:
            self._revisions[key] = compare_editions(self.units_of(unit.doc_id), self.units_of(newer))
        row = self._revisions[key].counterpart(unit)
        return row.new if row else None
