"""Relevance benchmark: retrieval recall and the product's answers on question sets, at several
knowledge-base sizes (not a test; it prints figures).

    .venv/bin/python benchmarks/bench_relevance.py --set eval/fresh.jsonl [--set …] \\
        [--large ../shared/corpus-large [--articles 5000] [--all]] [--keep DIR]

Sizes: the two documents (corpus/); with --large, corpus/ plus a seeded sample of corpus-large with at
least N articles; with --all, corpus/ plus all of corpus-large. `--keep DIR` keeps each size's index in
DIR/<size> and reuses it on the next run (a full corpus-large ingest takes several minutes).

Per set and size:
- Recall@1/5/10/100: a gold article among the first k search hits, before the relevance decision
  (answerable questions only; any edition of a gold title counts);
- hit@1 / hit@3 of the answer's citations, false refusals (answerable questions refused), correct
  refusals (unanswerable questions refused), and warm `ask` p50/p95.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from bench_ask import build_kb
from bench_ingest import REPO_ROOT, sample_articles, temp_dir  # also puts REPO_ROOT on sys.path

from regstudy.answering.evaluation import Case, load_cases
from regstudy.answering.service import Assistant
from regstudy.composition import open_assistant
from regstudy.kb.generations import current_generation
from regstudy.settings import load_settings

KS = (1, 5, 10, 100)


@dataclass
class Figures:
    size: str
    set: str
    answerable: int
    unanswerable: int
    recall: dict[int, float]
    hit1: float
    hit3: float
    false_refusals: int
    correct_refusals: float
    possible: int  # answers in the `possible` tier
    wrong_direct: float  # share of `direct` answers whose first citation is not gold
    p50: float
    p95: float


def gold_keys(assistant: Assistant, case: Case) -> set[tuple[str, int]]:
    """(doc id, article) pairs a case accepts: every document (edition) answering to the gold name."""
    keys = set()
    for name, article in case.gold:
        for doc in assistant.kb.documents:
            if name == doc.id or name in doc.names() or (len(name) > 4 and name in doc.title):
                keys.add((doc.id, article))
    return keys


def rank_of(keys: set[tuple[str, int]], pairs: list[tuple[str, int]]) -> int | None:
    return next((n for n, pair in enumerate(pairs, 1) if pair in keys), None)


def measure(assistant: Assistant, size: str, name: str, cases: list[Case]) -> Figures:
    for case in cases[:5]:
        assistant.ask(case.question)  # warm-up
    recall_ranks, answer_ranks, refused, timings, tiers, direct_right = [], [], [], [], [], []
    for case in cases:
        keys = gold_keys(assistant, case)
        started = time.perf_counter()
        answer = assistant.ask(case.question)
        timings.append((time.perf_counter() - started) * 1000)
        refused.append(answer.refused)
        tiers.append(answer.confidence)
        if answer.confidence == "direct" and answer.route in ("search", "follow_up"):
            first = answer.citations[0].unit if answer.citations else None
            direct_right.append(first is not None and (first.doc_id, first.article) in keys)
        if case.gold:
            hits = assistant.candidates(case.question, max(KS))
            recall_ranks.append(rank_of(keys, [(h.unit.doc_id, h.unit.article) for h in hits]))
            answer_ranks.append(rank_of(keys, [(c.unit.doc_id, c.unit.article) for c in answer.citations]))
    answerable = [r for c, r in zip(cases, refused, strict=True) if c.gold]
    unanswerable = [r for c, r in zip(cases, refused, strict=True) if not c.gold]
    p50, p95 = np.percentile(timings, [50, 95])
    return Figures(
        size, name, len(answerable), len(unanswerable),
        {k: _share(r is not None and r <= k for r in recall_ranks) for k in KS},
        _share(r == 1 for r in answer_ranks), _share(r is not None and r <= 3 for r in answer_ranks),
        sum(answerable), _share(unanswerable), tiers.count("possible"),
        1 - _share(direct_right) if direct_right else 0.0, float(p50), float(p95),
    )  # fmt: skip


def _share(flags: Iterable[bool]) -> float:
    values = list(flags)
    return sum(bool(v) for v in values) / len(values) if values else float("nan")


def print_figures(figures: Figures) -> None:
    recall = "  ".join(f"R@{k} {v:.3f}" for k, v in figures.recall.items())
    print(
        f"  {figures.set} ({figures.answerable} answerable, {figures.unanswerable} not): {recall} | "
        f"hit@1 {figures.hit1:.3f} hit@3 {figures.hit3:.3f} | false refusals {figures.false_refusals} | "
        f"refused when out of scope {figures.correct_refusals:.3f} | possible {figures.possible} "
        f"wrong direct {figures.wrong_direct:.3f} | p50 {figures.p50:.1f} ms p95 {figures.p95:.1f} ms"
    )


def index_for(size: str, sources: list[Path], root: Path) -> Path:
    """The data dir holding an index of corpus/ plus `sources` (built now unless kept from a run before)."""
    data_dir = root / size
    if current_generation(data_dir / "index") is None:
        build_kb(data_dir, [REPO_ROOT / "corpus", *sources])
    return data_dir


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--set", action="append", type=Path, required=True, help="a question set (JSONL)")
    parser.add_argument("--large", type=Path, help="corpus-large, for the larger sizes")
    parser.add_argument("--articles", type=int, default=5000, help="articles in the sampled size")
    parser.add_argument("--all", action="store_true", help="also all of corpus-large")
    parser.add_argument("--keep", type=Path, help="keep (and reuse) the indexes in this folder")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    sets = {path.name: load_cases(path) for path in args.set}
    sizes: list[tuple[str, list[Path]]] = [("two-documents", [])]
    if args.large:
        sample = sample_articles(args.large, args.articles, args.seed)
        sizes.append((f"sample-{args.articles}", sample.files))
        if args.all:
            sizes.append(("all", sorted(p for p in args.large.rglob("*.md") if not p.name.startswith("_"))))
    with temp_dir("regstudy-bench-relevance-") as scratch:
        for size, sources in sizes:
            print(f"[{size}]")
            data_dir = index_for(size, sources, args.keep or scratch)
            assistant = open_assistant(load_settings(data_dir=data_dir, llm_base_url=""))
            for name, cases in sets.items():
                print_figures(measure(assistant, size, name, cases))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
