"""The relevance decision: a logistic model over scale-free features (`features.py`) gives each
candidate the probability that it answers the question. It ranks the candidates, and the best one's
probability sets the answer's confidence tier:

- `direct`: the cited articles answer the question;
- `possible`: the closest articles, shown as possibly related and never as the answer;
- `none`: an honest refusal.

The coefficients and the two tier thresholds are fitted by `benchmarks/fit_relevance.py` on
labelled questions and shipped in `regstudy/resources/relevance_model.json`."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np

from regstudy.answering import features
from regstudy.answering.retrieval import Hit

DIRECT = "direct"
POSSIBLE = "possible"
NONE = "none"
MODEL_FILE = "relevance_model.json"
CITE_SHARE = 0.5  # further citations need at least this share of the best one's probability


@dataclass(frozen=True)
class RelevanceModel:
    """Standardised features → logistic probability, plus the tier thresholds."""

    names: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float
    direct_min: float
    possible_min: float

    @classmethod
    def bundled(cls, dense: bool) -> RelevanceModel:
        """The shipped model: `hybrid` with an embedding model, `lexical` without one."""
        return _bundled("hybrid" if dense else "lexical")

    @classmethod
    def from_dict(cls, data: dict) -> RelevanceModel:
        if tuple(data["names"]) != features.NAMES:
            raise ValueError(f"{MODEL_FILE} was fitted on other features: {data['names']}")
        fields = ("mean", "scale", "coef")
        return cls(tuple(data["names"]), *(tuple(data[f]) for f in fields), *(data[f] for f in _SCALARS))

    def to_dict(self) -> dict:
        return {f: getattr(self, f) for f in ("names", "mean", "scale", "coef", *_SCALARS)}

    def probabilities(self, hits: list[Hit]) -> np.ndarray:
        x = (features.matrix(hits) - np.array(self.mean)) / np.array(self.scale)
        return 1.0 / (1.0 + np.exp(-(x @ np.array(self.coef) + self.intercept)))

    def rank(self, hits: list[Hit]) -> list[Hit]:
        """The hits with their probabilities, most probable first."""
        scored = [h.scored(float(p)) for h, p in zip(hits, self.probabilities(hits), strict=True)]
        return sorted(scored, key=lambda h: -h.score)

    def tier(self, ranked: list[Hit]) -> str:
        best = ranked[0].score if ranked else 0.0
        return DIRECT if best >= self.direct_min else POSSIBLE if best >= self.possible_min else NONE


_SCALARS = ("intercept", "direct_min", "possible_min")


def select(ranked: list[Hit], tier: str, limit: int, max_related: int) -> tuple[list[Hit], list[Hit]]:
    """Cited and related hits. Direct: the best and those nearly as probable; possible: the closest
    few. Related: the next candidates above the refusal line, the best from another document first."""
    if tier == NONE or not ranked:
        return [], []
    top = ranked[0].score
    cited = [h for h in ranked if h.score >= CITE_SHARE * top] if tier == DIRECT else ranked
    cited = cited[: max(limit, 0)]
    rest = [h for h in ranked[1:] if h not in cited and h.score >= CITE_SHARE * top * 0.5]
    other_docs = [h for h in rest if h.unit.doc_id != ranked[0].unit.doc_id]
    related = (other_docs[:1] + [h for h in rest if h not in other_docs[:1]])[:max_related]
    return cited, related


@lru_cache(maxsize=2)
def _bundled(kind: str) -> RelevanceModel:
    text = (resources.files("regstudy.resources") / MODEL_FILE).read_text(encoding="utf-8")
    return RelevanceModel.from_dict(json.loads(text)[kind])
