"""Fit the relevance model (logistic regression over `regstudy.answering.features`) and its two tier
thresholds on labelled training questions, at several knowledge-base sizes, and write
`regstudy/resources/relevance_model.json`.

    .venv/bin/python benchmarks/fit_relevance.py --train eval/dev.jsonl --train eval/heldout.jsonl \\
        --train eval/fresh.jsonl --train eval/train-large.jsonl \\
        --index /work/kb-cache/two-documents --index /work/kb-cache/sample-5000 --index /work/kb-cache/all

Each `--index` is a data dir holding an index (see bench_relevance.py --keep). Every candidate of every
search-routed question is one row, labelled by whether it is a gold article (any edition). Questions
whose gold documents the index lacks are skipped there; out-of-scope questions are used at every size.
The frozen evaluation sets (`fresh-colloquial`, `fresh-large`, …) must never be passed as --train.

Thresholds: `possible_min` minimises false refusals + accepted out-of-scope questions (as shares, so
both count equally); `direct_min` is the lowest probability above which at most 3% of the training
questions' first candidates are wrong.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
from bench_ingest import REPO_ROOT  # also puts REPO_ROOT on sys.path
from bench_relevance import gold_keys
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

from regstudy.answering import features
from regstudy.answering.evaluation import load_cases
from regstudy.answering.relevance import MODEL_FILE, RelevanceModel
from regstudy.composition import open_assistant
from regstudy.settings import load_settings

WRONG_DIRECT_MAX = 0.03
SEARCH_ROUTES = ("search", "out_of_scope")


def rows_for(data_dir: Path, paths: list[Path], lexical_only: bool) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Per question: its candidates' feature matrix and 0/1 labels."""
    settings = load_settings(
        data_dir=data_dir, llm_base_url="", **({"embedding_model": "none"} if lexical_only else {})
    )
    assistant = open_assistant(settings)
    matrices, labels = [], []
    for path in paths:
        for case in load_cases(path):
            keys = gold_keys(assistant, case)
            if (case.gold and not keys) or assistant.ask(case.question).route not in SEARCH_ROUTES:
                continue
            pool = assistant.pool(case.question)
            if not pool:
                continue
            matrices.append(features.matrix(pool))
            labels.append(np.array([(h.unit.doc_id, h.unit.article) in keys for h in pool], dtype=float))
    print(f"  {data_dir.name}: {len(matrices)} questions")
    return matrices, labels


def fit(matrices: list[np.ndarray], labels: list[np.ndarray]) -> RelevanceModel:
    x, y = np.vstack(matrices), np.concatenate(labels)
    scaler = StandardScaler().fit(x)
    scale = np.where(scaler.scale_ > 0, scaler.scale_, 1.0)
    model = LogisticRegression(C=1.0, max_iter=2000).fit((x - scaler.mean_) / scale, y)
    fitted = RelevanceModel(
        features.NAMES, tuple(scaler.mean_), tuple(scale), tuple(model.coef_[0]), float(model.intercept_[0]), 1.0, 0.0
    )
    tops = [_top(fitted, m, lab) for m, lab in zip(matrices, labels, strict=True)]
    possible_min = _refusal_threshold(tops)
    direct_min = _direct_threshold(tops, possible_min)
    return RelevanceModel(
        *[getattr(fitted, f) for f in ("names", "mean", "scale", "coef", "intercept")], direct_min, possible_min
    )


def _top(model: RelevanceModel, matrix: np.ndarray, labels: np.ndarray) -> tuple[float, bool, bool]:
    """(best probability, whether the best candidate is gold, whether the question is answerable)."""
    x = (matrix - np.array(model.mean)) / np.array(model.scale)
    p = 1.0 / (1.0 + np.exp(-(x @ np.array(model.coef) + model.intercept)))
    best = int(np.argmax(p))
    return float(p[best]), bool(labels[best]), bool(labels.any())


def _refusal_threshold(tops: list[tuple[float, bool, bool]]) -> float:
    answerable = np.array([p for p, _, a in tops if a])
    unanswerable = np.array([p for p, _, a in tops if not a])
    candidates = np.unique(np.concatenate([answerable, unanswerable]))
    costs = [np.mean(answerable < t) + np.mean(unanswerable >= t) for t in candidates]
    best = int(np.argmin(costs))
    below = candidates[best - 1] if best > 0 else 0.0
    return float((candidates[best] + below) / 2)  # midway to the next lower probability


def _direct_threshold(tops: list[tuple[float, bool, bool]], floor: float) -> float:
    for t in sorted({p for p, _, _ in tops if p >= floor}):
        chosen = [gold for p, gold, _ in tops if p >= t]
        if chosen and 1 - np.mean(chosen) <= WRONG_DIRECT_MAX:
            return float(t)
    return 1.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--train", action="append", type=Path, required=True)
    parser.add_argument("--index", action="append", type=Path, required=True)
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "regstudy" / "resources" / MODEL_FILE)
    args = parser.parse_args()
    if any(p.name.startswith("fresh-") for p in args.train):
        parser.error("the fresh-* sets are frozen evaluation sets, not training data")
    fitted = {}
    for kind, lexical_only in (("hybrid", False), ("lexical", True)):
        print(f"[{kind}]")
        matrices, labels = [], []
        for data_dir in args.index:
            m, lab = rows_for(data_dir, args.train, lexical_only)
            matrices += m
            labels += lab
        model = fit(matrices, labels)
        fitted[kind] = model.to_dict()
        weights = ", ".join(f"{n} {c:+.2f}" for n, c in zip(model.names, model.coef, strict=True))
        print(f"  direct ≥ {model.direct_min:.3f}, possible ≥ {model.possible_min:.3f}; {weights}")
    args.out.write_text(json.dumps(fitted, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
