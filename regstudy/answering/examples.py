"""Answered examples: labelled training questions (`regstudy/resources/examples.json`, written by
`benchmarks/fit_relevance.py`) with the articles that answer them, or none for a question the
knowledge base cannot answer. A new question close to an example is evidence for that example's
articles (a paraphrase of 翻墙 finds 第十三条 although neither shares a word with it), and a question
close to an unanswerable example is evidence against answering. The examples' vectors ship with
them; they are used only with the embedding model that made them."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from importlib import resources

import numpy as np

from regstudy.records import DocumentInfo, Unit

EXAMPLES_FILE = "examples.json"
SELF_MATCH = 0.985  # an example this similar is the question itself (or a copy): never evidence


@dataclass(frozen=True)
class Examples:
    """Example questions' vectors, whether each is answerable, and the (title, article) it cites."""

    model_id: str
    vectors: np.ndarray  # unit-length rows
    answerable: np.ndarray  # bool per example
    cites: tuple[tuple[tuple[str, int], ...], ...]  # per example
    sources: tuple[str, ...] = ()  # the question set each example comes from

    @classmethod
    def bundled(cls) -> Examples | None:
        return _bundled()

    @classmethod
    def from_dict(cls, data: dict) -> Examples:
        raw = np.frombuffer(base64.b64decode(data["vectors"]), dtype=np.float16).astype(np.float32)
        vectors = raw.reshape(len(data["examples"]), -1)
        vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
        cites = tuple(tuple((t, int(a)) for t, a in e["cites"]) for e in data["examples"])
        sources = tuple(e.get("set", "") for e in data["examples"])
        return cls(data["model_id"], vectors, np.array([bool(c) for c in cites]), cites, sources)

    def similarities(self, vector: np.ndarray) -> np.ndarray:
        """Cosine with every example; the question's own copy (if it is one) counts as 0."""
        similarity = self.vectors @ (vector / (np.linalg.norm(vector) or 1.0))
        return np.where(similarity >= SELF_MATCH, 0.0, similarity)


class ExampleIndex:
    """The examples mapped onto one knowledge base's units."""

    def __init__(self, examples: Examples, documents: list[DocumentInfo], units: list[Unit]) -> None:
        self.examples = examples
        self.ignored: np.ndarray | None = None  # examples left out (fitting: a law no example covers)
        by_title: dict[str, list[str]] = {}
        for info in documents:
            by_title.setdefault(info.title, []).append(info.id)
        by_address = {(u.doc_id, u.article): u.id for u in units if u.article}
        self.units_of: list[list[str]] = [
            [by_address[(d, a)] for t, a in cites for d in by_title.get(t, ()) if (d, a) in by_address]
            for cites in examples.cites
        ]

    def evidence(self, vector: np.ndarray) -> tuple[dict[str, float], float, float]:
        """Unit id → the best similarity of an example citing it; the best similarity to any
        answerable example; and to any unanswerable one."""
        similarity = self.examples.similarities(vector)
        if self.ignored is not None:
            similarity = np.where(self.ignored, 0.0, similarity)
        by_unit: dict[str, float] = {}
        for n in np.argsort(-similarity)[:EXAMPLES_USED]:
            for unit_id in self.units_of[n]:
                by_unit[unit_id] = max(by_unit.get(unit_id, 0.0), float(similarity[n]))
        answerable = self.examples.answerable
        best_yes = float(similarity[answerable].max()) if answerable.any() else 0.0
        best_no = float(similarity[~answerable].max()) if (~answerable).any() else 0.0
        return by_unit, best_yes, best_no


EXAMPLES_USED = 10  # the nearest examples whose articles become candidates


_LOADED: dict[str, Examples] = {}


def _bundled() -> Examples | None:
    """Read once; a missing file is looked for again next time (the fitting script writes it)."""
    path = resources.files("regstudy.resources") / EXAMPLES_FILE
    if EXAMPLES_FILE not in _LOADED and path.is_file():
        _LOADED[EXAMPLES_FILE] = Examples.from_dict(json.loads(path.read_text(encoding="utf-8")))
    return _LOADED.get(EXAMPLES_FILE)


def forget_bundled() -> None:
    """Read the examples file again on next use (after the fitting script rewrote it)."""
    _LOADED.clear()
