"""The relevance model's parts on the real corpus: its shipped files agree with the code, the answered
examples never include a frozen evaluation question and never count as evidence for themselves, and
the evidence is made of scale-free shares and cosines."""

from __future__ import annotations

import json

import numpy as np
from conftest import EVAL

from regstudy.answering import features
from regstudy.answering.examples import ExampleIndex, Examples
from regstudy.answering.relevance import RelevanceModel
from regstudy.answering.service import Assistant
from regstudy.text import normalize

FROZEN = (
    "fresh-colloquial.jsonl",
    "fresh-colloquial-2.jsonl",
    "fresh-stance.jsonl",
    "fresh-large.jsonl",
    "fresh-conversations.jsonl",
)


def _questions(name: str) -> set[str]:
    rows = [json.loads(line) for line in (EVAL / name).read_text().splitlines()]
    turns = [t for r in rows for t in r.get("turns", [r])]
    return {normalize(t["question"]) for t in turns}


def test_the_shipped_model_matches_the_features() -> None:
    for dense in (True, False):
        model = RelevanceModel.bundled(dense)
        assert model.candidate.names == features.NAMES and model.question.names == features.QUESTION_NAMES
        assert model.first is not None and model.first.names == features.QUESTION_NAMES
        assert 0 < model.answerable_min < model.direct_min <= 1


def test_no_frozen_evaluation_question_is_an_example() -> None:
    examples = json.loads((EVAL.parent / "regstudy" / "resources" / "examples.json").read_text())
    shipped = {normalize(e["question"]) for e in examples["examples"]}
    assert len(shipped) > 300
    for name in FROZEN:
        assert not shipped & _questions(name), name


def test_an_example_is_never_evidence_for_itself(assistant: Assistant) -> None:
    examples = Examples.bundled()
    assert examples is not None
    index = ExampleIndex(examples, assistant.kb.documents, assistant.kb.units)
    assert sum(bool(units) for units in index.units_of) >= 150  # the two documents' examples resolve
    own = examples.vectors[int(np.flatnonzero(examples.answerable)[0])]
    assert examples.similarities(own).max() < 0.985


def test_evidence_is_scale_free(assistant: Assistant) -> None:
    hits = assistant.pool("党员可以在朋友圈转发境外网站的文章吗？")
    assert hits and all(0 <= h.coverage <= 1 and 0 <= h.soft <= 1 and 0 <= h.title <= 1 for h in hits)
    matrix = features.matrix(hits)
    assert matrix.shape == (len(hits), len(features.NAMES)) and np.isfinite(matrix).all()
    assert "境外的网站" in max(hits, key=lambda h: h.coverage).unit.text  # the regulation's own words count most
