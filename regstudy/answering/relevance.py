"""The relevance decision, in two fitted logistic models over scale-free features (`features.py`):

- the candidate model gives each candidate the probability that it answers the question; it ranks them;
- the question model gives the probability that the knowledge base answers the question at all, from
  the ranked pool (the best probability, cosine, coverage…);
- the first-citation model gives the probability that the best-ranked candidate answers it, from the
  same evidence (a candidate's own probability is not calibrated for being first).

They set the answer's confidence tier:

- `direct`: the knowledge base answers it and the first candidate is probable enough to be cited as
  the answer;
- `possible`: the closest articles, shown as possibly related and never as the answer;
- `none`: an honest refusal.

Coefficients and thresholds are fitted by `benchmarks/fit_relevance.py` on labelled training questions
and shipped in `regstudy/resources/relevance_model.json`."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np

from regstudy.answering import features
from regstudy.answering.retrieval import Hit
from regstudy.records import SECTION

DIRECT = "direct"
POSSIBLE = "possible"
NONE = "none"
MODEL_FILE = "relevance_model.json"
CITE_SHARE = 0.5  # further citations need at least this share of the best one's probability
READ_TOP = 5  # candidates the reader reads (about 10 ms each on two cores): where the answer is chosen
Read = Callable[[list[Hit]], list[Hit]]  # gives each hit its reader logit (`Hit.reading`)


@dataclass(frozen=True)
class Logistic:
    """Standardised features → probability."""

    names: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float

    @classmethod
    def from_dict(cls, data: dict[str, Any], names: tuple[str, ...]) -> Logistic:
        if tuple(data["names"]) != names:
            raise ValueError(f"{MODEL_FILE} was fitted on other features: {data['names']}")
        return cls(names, tuple(data["mean"]), tuple(data["scale"]), tuple(data["coef"]), data["intercept"])

    def to_dict(self) -> dict[str, Any]:
        return {f: getattr(self, f) for f in ("names", "mean", "scale", "coef", "intercept")}

    def __call__(self, x: np.ndarray) -> np.ndarray:
        z = (x - np.array(self.mean)) / np.array(self.scale)
        return 1.0 / (1.0 + np.exp(-(z @ np.array(self.coef) + self.intercept)))


@dataclass(frozen=True)
class RelevanceModel:
    """The two models and the tier thresholds."""

    candidate: Logistic
    question: Logistic
    direct_min: float  # the first-citation probability for a direct answer
    answerable_min: float  # the question model's probability below which the answer is a refusal
    first: Logistic | None = None  # the first-citation model (without it, the best candidate's probability)
    read: Logistic | None = None  # the read stage: the first few candidates reordered with the reader

    @classmethod
    def bundled(cls, dense: bool) -> RelevanceModel:
        """The shipped model: `hybrid` with an embedding model, `lexical` without one."""
        return _bundled("hybrid" if dense else "lexical")

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RelevanceModel:
        return cls(
            Logistic.from_dict(data["candidate"], features.NAMES),
            Logistic.from_dict(data["question"], features.QUESTION_NAMES),
            data["direct_min"],
            data["answerable_min"],
            Logistic.from_dict(data["first"], features.QUESTION_NAMES) if "first" in data else None,
            Logistic.from_dict(data["read"], features.READ_NAMES) if "read" in data else None,
        )

    def to_dict(self) -> dict[str, Any]:
        fitted = {
            "candidate": self.candidate.to_dict(),
            "question": self.question.to_dict(),
            "direct_min": self.direct_min,
            "answerable_min": self.answerable_min,
        }
        fitted |= {"first": self.first.to_dict()} if self.first else {}
        return fitted | ({"read": self.read.to_dict()} if self.read else {})

    def rank(self, hits: list[Hit], read: Read | None = None) -> list[Hit]:
        """The hits with their probabilities, in `ordered` order; with a reader, the first
        `READ_TOP` are read and reordered by the read stage, and stay ahead of the rest."""
        if not hits:
            return []
        ranked = ordered([h.scored(float(p)) for h, p in zip(hits, self.candidate(features.matrix(hits)), strict=True)])
        if read is None or self.read is None:
            return ranked
        return self.reread(ranked, read(ranked[:READ_TOP]))

    def reread(self, ranked: list[Hit], read: list[Hit]) -> list[Hit]:
        """`ranked` with its first `len(read)` hits replaced by `read` (the same hits with their
        reader logits), rescored by the read stage."""
        assert self.read is not None
        if not read:
            return ranked
        probabilities = self.read(features.read_matrix(read, list(range(1, len(read) + 1))))
        head = ordered([h.scored(float(p)) for h, p in zip(read, probabilities, strict=True)])
        floor = min(h.score for h in head)
        # the rest were not read: they keep their order, below every read candidate
        rest = [h.scored(min(h.score, floor)) for h in ranked[len(read) :]]
        return head + rest

    def answerable(self, ranked: list[Hit]) -> float:
        return float(self.question(features.question_vector(ranked))) if ranked else 0.0

    def tier(self, ranked: list[Hit]) -> str:
        # the best match holding the regulations' own term for the question's everyday wording
        # (翻墙 → 非法定信道) is in the documents' domain however short the question: never a refusal
        named = bool(ranked) and ranked[0].concept > 0
        if not ranked:
            return NONE
        evidence = features.question_vector(ranked)  # both models read the same evidence
        if float(self.question(evidence)) < self.answerable_min and not named:
            return NONE
        first = float(self.first(evidence)) if self.first else ranked[0].score
        return DIRECT if first >= self.direct_min else POSSIBLE


def ordered(scored: list[Hit]) -> list[Hit]:
    """Most probable first; a notice, imprint or 报送 block after every article, since it answers
    questions about the document (the meta route), not about conduct, yet shares its words."""
    return sorted(scored, key=lambda h: (h.unit.is_paratext, -h.score))


def select(ranked: list[Hit], tier: str, limit: int, max_related: int) -> tuple[list[Hit], list[Hit]]:
    """Cited and related hits. Direct: the best and those nearly as probable; possible: the closest
    few. Related: the next candidates, the best from another document first."""
    if tier == NONE or not ranked:
        return [], []
    ranked = _distinct(ranked)
    top = ranked[0].score
    close = [h for h in ranked[1:] if h.score >= CITE_SHARE * top] if tier == DIRECT else ranked[1:]
    # a whole notice or preamble is quoted only when it is the best match, never beside one
    cited = [ranked[0], *(h for h in close if h.unit.kind != SECTION)][: max(limit, 0)]
    rest = [h for h in ranked[1:] if h not in cited and h.unit.kind != SECTION]  # listed by name, to read on
    other_docs = [h for h in rest if h.unit.doc_id != ranked[0].unit.doc_id]
    related = (other_docs[:1] + [h for h in rest if h not in other_docs[:1]])[:max_related]
    return cited, related


def _distinct(ranked: list[Hit]) -> list[Hit]:
    """Without repeats of a text already ranked higher (the same article filed twice)."""
    seen: set[str] = set()
    kept = []
    for hit in ranked:
        if hit.unit.text not in seen:
            seen.add(hit.unit.text)
            kept.append(hit)
    return kept


@lru_cache(maxsize=2)
def _bundled(kind: str) -> RelevanceModel:
    text = (resources.files("regstudy.resources") / MODEL_FILE).read_text(encoding="utf-8")
    return RelevanceModel.from_dict(json.loads(text)[kind])
