"""The material of a whole knowledge base, mined once, with what every maker needs: distractor
candidates from other articles, the checks that keep items grounded, and the Chinese templates."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from regstudy.prompts import Prompts
from regstudy.quotes import comparable
from regstudy.records import Unit
from regstudy.study.quiz import lists, material
from regstudy.study.quiz.items import Source
from regstudy.study.quiz.material import Enumeration, Norm, Piece

OVERLAP_MAX = 0.5  # a distractor sharing more of its character pairs with the article may be right
OPTION_MAX = 40
SHORT_DUTY = 16  # a duty short enough to stand among list items


@dataclass
class Material:
    """What one article offers."""

    statements: list[Piece]
    norms: list[Norm]
    enumerations: list[Enumeration]


@dataclass
class Pool:
    units: list[Unit]  # every unit of the knowledge base (the "appears in no article" check)
    prompts: Prompts
    material: dict[str, Material] = field(default_factory=dict)

    @classmethod
    def build(cls, units: list[Unit], prompts: Prompts) -> Pool:
        pool = cls(units, prompts)
        for unit in material.quiz_units(units):
            pool.material[unit.id] = Material(material.statements(unit), material.norms(unit), lists.enumerations(unit))
        return pool

    @cached_property
    def quiz_units(self) -> list[Unit]:
        return material.quiz_units(self.units)

    @cached_property
    def scope_texts(self) -> list[str]:
        """The articles and points, as stored (a distractor must be false in all of them)."""
        return [u.text for u in self.quiz_units]

    @cached_property
    def _texts(self) -> list[str]:
        return [comparable(u.text) for u in self.units]

    def in_no_article(self, text: str) -> bool:
        needle = comparable(text)
        return not any(needle in t for t in self._texts)

    def units_containing(self, text: str) -> list[Unit]:
        needle = comparable(text)
        return [u for u, t in zip(self.units, self._texts, strict=True) if needle in t]

    def foreign(self, unit: Unit, candidates: Iterable[str]) -> list[str]:
        """Candidates that the article neither contains nor nearly paraphrases, deduplicated, in order."""
        seen: set[str] = set()
        kept = []
        for text in candidates:
            if text in seen or not text or len(text) > OPTION_MAX:
                continue
            seen.add(text)
            if comparable(text) not in comparable(unit.text) and overlap(text, unit.text) < OVERLAP_MAX:
                kept.append(text)
        return kept

    def others(self, unit: Unit) -> list[Material]:
        return [m for uid, m in self.material.items() if uid != unit.id]

    def source(self, unit: Unit, quote: str) -> Source:
        return Source(unit.document, unit.label, quote, unit.id, unit.doc_id)

    def stem(self, kind: str, unit: Unit, **variables: Any) -> str:
        return self.prompts.render("quiz_stem", kind=kind, document=unit.document, article=unit.label, **variables)

    def explain(self, reason: str, unit: Unit, quote: str, **variables: Any) -> str:
        return self.prompts.render("quiz_explanation", reason=reason, citation=unit.citation, quote=quote, **variables)


def overlap(text: str, article: str) -> float:
    """Share of the text's character pairs that also occur in the article."""
    pairs = {text[i : i + 2] for i in range(len(text) - 1)}
    if not pairs:
        return 1.0 if text in article else 0.0
    return sum(1 for p in pairs if p in article) / len(pairs)


def items_of(materials: Iterable[Material], polarity: str | None = None, min_len: int = 3) -> list[str]:
    """Items of the named lists (等<head>, 以下<head>) across articles, optionally of one polarity."""
    lists = [e for m in materials for e in m.enumerations if material.is_named(e)]
    return [i.text for e in lists if polarity in (None, e.polarity) for i in e.items if len(i.text) >= min_len]


def contrast_items(materials: list[Material], polarity: str) -> list[str]:
    """Options that cannot belong to a list of this polarity: for a list of what is forbidden, what
    is required (and the other way round); for a neutral list, items of other named lists."""
    if polarity == material.NEUTRAL:
        return items_of(materials)
    opposite = material.POSITIVE if polarity == material.NEGATIVE else material.NEGATIVE
    duties = [
        d.text
        for m in materials
        for n in m.norms
        if n.polarity == opposite
        for d in (n.duties or (n.action,))
        if len(d.text) <= SHORT_DUTY
    ]
    return items_of(materials, opposite) + duties
