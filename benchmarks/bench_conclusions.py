"""Conclusion benchmark (issue 16): the one-line conclusions on a stance-labelled question set, over
the two documents (not a test; it prints figures).

    .venv/bin/python benchmarks/bench_conclusions.py [--set eval/fresh-stance.jsonl] [--data-dir DIR] [--show N]

Per question: the answer's tier, its conclusion (or none) and the labelled stance. Prints:
- drawn: questions that got a conclusion; stance accuracy over all questions (none counts as wrong)
  and over those drawn;
- wrong polarity: 可以 where the labelled clause forbids or discourages, 不可以 where it requires or
  encourages (the labelled clause's own modal words decide, read by `regstudy.modality`);
- conditional: of the questions labelled conditional, those whose conclusion names a subject or a
  condition;
- verbatim: every quoted clause (its pieces around ……) is a span of the cited unit;
- the time `conclude` adds per question (p50, p95) and the warm `ask` p50 with it.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from pathlib import Path

import numpy as np
from bench_ingest import REPO_ROOT  # also puts REPO_ROOT on sys.path

from regstudy.answering.answers import Conclusion
from regstudy.composition import open_assistant
from regstudy.modality import DISCOURAGED, ENCOURAGED, PROHIBITED, REQUIRED, clauses
from regstudy.settings import load_settings

FORBIDS = (PROHIBITED, DISCOURAGED)
ALLOWS = (REQUIRED, ENCOURAGED)


def labelled_polarity(case: dict) -> str:
    """prohibited-like or required-like, from the label (or, for conditional, the labelled clause)."""
    if case["stance"] != "conditional":
        return case["stance"]
    found = [c.stance for c in clauses(case["note"]) if c.modal]
    return found[0] if found else ""


def wrong_polarity(case: dict, conclusion: Conclusion) -> bool:
    expected = labelled_polarity(case)
    said = conclusion.applies
    return (expected in FORBIDS and said == ENCOURAGED) or (expected in ALLOWS and said == PROHIBITED)


def verbatim(conclusion: Conclusion, text: str) -> bool:
    return all(piece in text for piece in conclusion.clause.split("……"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--set", type=Path, default=REPO_ROOT / "eval" / "fresh-stance.jsonl")
    parser.add_argument("--data-dir", type=Path, help="an index (default: the project's own)")
    parser.add_argument("--show", type=int, default=0, help="print this many conclusions")
    args = parser.parse_args()
    overrides = {"data_dir": args.data_dir} if args.data_dir else {}
    assistant = open_assistant(load_settings(llm_base_url="", **overrides))
    cases = [json.loads(line) for line in args.set.read_text(encoding="utf-8").splitlines() if line.strip()]
    for case in cases[:5]:
        assistant.ask(case["question"])  # warm
    tiers: Counter[str] = Counter()
    right = drawn = wrong = named = conditional = not_verbatim = 0
    added, asked = [], []
    for case in cases:
        start = time.perf_counter()
        answer = assistant.ask(case["question"])
        asked.append(time.perf_counter() - start)
        tiers[answer.confidence] += 1
        conclusion = answer.conclusion
        if answer.citations and answer.confidence == "direct":
            start = time.perf_counter()
            assistant.concluder.conclude(case["question"], [c.unit for c in (*answer.citations, *answer.related)])
            added.append(time.perf_counter() - start)
        conditional += case["stance"] == "conditional"
        if conclusion is None:
            continue
        drawn += 1
        right += conclusion.stance == case["stance"]
        wrong += wrong_polarity(case, conclusion)
        named += case["stance"] == "conditional" and conclusion.stance == "conditional"
        not_verbatim += not verbatim(conclusion, assistant.kb.by_id[conclusion.basis].text)
        if args.show and drawn <= args.show:
            print(f"{case['id']} [{case['stance']}] {case['question']}\n    → {conclusion.text}")
    n = len(cases)
    print(f"{args.set.name}: {n} questions, tiers {dict(tiers)}")
    accuracy, precision = right / n, right / max(drawn, 1)
    print(f"  drawn {drawn} ({drawn / n:.3f}); stance accuracy {accuracy:.3f} of all, {precision:.3f} of drawn")
    print(f"  wrong polarity {wrong}; conditional named {named}/{conditional}; not verbatim {not_verbatim}")
    ms, ask_ms = np.array(added) * 1000, np.array(asked) * 1000
    p50, p95 = np.percentile(ms, 50), np.percentile(ms, 95)
    print(f"  conclude adds p50 {p50:.2f} ms p95 {p95:.2f} ms; ask p50 {np.percentile(ask_ms, 50):.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
