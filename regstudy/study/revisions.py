"""修订对照: two editions of one regulation compared article by article, surviving renumbering. The
articles are paired by `study/alignment.py`; a pair is `unchanged`, `renumbered` (same text, new
number), `changed`, or `moved` (out of the order the other pairs keep); unpaired articles are `added`
or `deleted`. Also what an old edition's article became, for the checker."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from regstudy.kb.editions import SUPERSEDED
from regstudy.quotes import comparable
from regstudy.records import ARTICLE, DocumentInfo, Unit
from regstudy.study.alignment import increasing, pair_articles, unpaired
from regstudy.study.citations.diffing import Segment, full_diff

UNCHANGED, RENUMBERED, CHANGED, MOVED, ADDED, DELETED = (
    "unchanged", "renumbered", "changed", "moved", "added", "deleted",
)  # fmt: skip
KIN = 0.7  # share of an added (deleted) article's character pairs found in one article of the other edition
KIN_MIN = 10  # character pairs an article needs for that to mean anything
KIND_NAMES = {
    UNCHANGED: "未改动",
    RENUMBERED: "仅条号变动",
    CHANGED: "修改",
    MOVED: "移动",
    ADDED: "新增",
    DELETED: "删除",
}


@dataclass(frozen=True)
class Row:
    """One line of the 对照表."""

    kind: str
    old: Unit | None
    new: Unit | None
    similarity: float
    diff: tuple[Segment, ...] = ()
    kin: Unit | None = None  # for an added (deleted) article: the old (new) one holding most of its words

    @property
    def whole(self) -> Unit | None:
        """The article shown in full instead of a diff: an added one, or a deleted one."""
        return self.new if self.kind == ADDED else self.old if self.kind == DELETED else None

    @property
    def labels(self) -> str:
        """原第X条 → 现第Y条 (or one side only; a split or merged article names the article of the other
        edition that holds most of its words: （与原第十四条相近）)."""
        old = f"原{self.old.label}" if self.old else "（无）"
        new = f"现{self.new.label}" if self.new else "（无）"
        if self.kin is not None:
            return f"{old} → {new}（与{'原' if self.kind == ADDED else '现'}{self.kin.label}相近）"
        return f"{old} → {new}"

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "old": self.old.label if self.old else None,
            "new": self.new.label if self.new else None,
            "similarity": self.similarity,
            "diff": [s.to_json() for s in self.diff],
            "kin": self.kin.label if self.kin else None,
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
    pairs = pair_articles(texts_old, texts_new)
    rows = [_row(old[i], new[j], texts_old[i], texts_new[j], pairs[i, j]) for i, j in pairs]
    rows += [
        Row(DELETED, old[i], None, 0.0, (), _kin(texts_old[i], new, texts_new)) for i in unpaired(pairs, len(old), 0)
    ]
    rows += [
        Row(ADDED, None, new[j], 0.0, (), _kin(texts_new[j], old, texts_old)) for j in unpaired(pairs, len(new), 1)
    ]
    _mark_moves(rows)
    return Revision(old_title, new_title, tuple(_ordered(rows)))


def _kin(text: str, others: list[Unit], texts: list[str]) -> Unit | None:
    """The article of the other edition that holds most of this one's character pairs, in any order
    (a split: 原第十四条 → 现第十三条 and 现第三十八条), when it holds at least KIN of them."""
    mine = _bigrams(text)
    if len(mine) < KIN_MIN:
        return None
    shares = [len(mine & _bigrams(t)) / len(mine) for t in texts]
    best = max(range(len(texts)), key=lambda n: shares[n], default=None)
    return others[best] if best is not None and shares[best] >= KIN else None


def _bigrams(text: str) -> set[str]:
    return {text[n : n + 2] for n in range(len(text) - 1)}


def _row(old: Unit, new: Unit, text_old: str, text_new: str, similarity: float) -> Row:
    if text_old == text_new:
        return Row(UNCHANGED if old.label == new.label else RENUMBERED, old, new, 1.0)
    return Row(CHANGED, old, new, similarity, full_diff(text_old, text_new))


def _mark_moves(rows: list[Row]) -> None:
    """A pair out of step with its neighbours (its old position breaks the new order) moved."""
    paired = sorted((r for r in rows if r.old and r.new), key=lambda r: r.new.ordinal if r.new else 0)
    longest = increasing([r.old.ordinal for r in paired if r.old])
    for n, row in enumerate(paired):
        if n not in longest:
            rows[rows.index(row)] = Row(MOVED, row.old, row.new, row.similarity, row.diff)


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
