"""Decision benchmark (issue 29): what the product decides on a labelled question set — the cited
article, refusals, near misses (a fact asked for that no article states) and conclusions — at one
index (not a test; it prints figures).

    .venv/bin/python benchmarks/bench_decisions.py --set eval/fresh-reader.jsonl [--data-dir DIR] [--show]

A case is answerable when it has gold articles and is not a near miss (`kind: near_miss`);
out-of-scope when its gold is empty. Prints:
- answerable: hit@1, hit@3 of the answer's citations, false refusals, `direct` share and its precision;
- out of scope: the share refused;
- near misses: how many were answered `direct`, and the share that carry `unstated` or are refused;
- yes/no and duty questions (a `stance` other than none): the share with a conclusion, stance right
  among those drawn, wrong polarity (bench_conclusions.wrong_polarity), false conditions (a condition
  named where the label has none and the stance is not conditional);
- warm `ask` p50 / p95.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np
from bench_conclusions import wrong_polarity
from bench_relevance import gold_keys

from regstudy.answering.answers import Answer
from regstudy.answering.evaluation import Case
from regstudy.composition import open_assistant
from regstudy.settings import load_settings


def share(flags: list[bool]) -> float:
    return sum(flags) / len(flags) if flags else float("nan")


def first_rank(answer: Answer, keys: set[tuple[str, int]]) -> int | None:
    pairs = [(c.unit.doc_id, c.unit.article) for c in answer.citations]
    return next((n for n, p in enumerate(pairs, 1) if p in keys), None)


def false_condition(case: dict, answer: Answer) -> bool:
    conclusion = answer.conclusion
    if conclusion is None or case.get("stance") == "conditional":
        return False
    return any(c not in case.get("conditions", []) for c in conclusion.conditions)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--set", type=Path, action="append", required=True)
    parser.add_argument("--data-dir", type=Path, help="an index (default: the project's own)")
    parser.add_argument("--show", action="store_true", help="print every wrong decision")
    args = parser.parse_args()
    overrides = {"data_dir": args.data_dir} if args.data_dir else {}
    assistant = open_assistant(load_settings(llm_base_url="", **overrides))
    for path in args.set:
        cases = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        for case in cases[:5]:
            assistant.ask(case["question"])  # warm
        measure(assistant, path.name, cases, args.show)
    return 0


def measure(assistant, name: str, cases: list[dict], show: bool) -> None:
    ranks, refused_answerable, direct, direct_right = [], [], [], []
    oos_refused, near_direct, near_flagged, timings = [], [], [], []
    drawn, stance_right, polarity, conditions = [], [], [], []
    for case in cases:
        started = time.perf_counter()
        answer = assistant.ask(case["question"])
        timings.append((time.perf_counter() - started) * 1000)
        keys = gold_keys(assistant, Case(case["id"], case["question"], tuple(map(tuple, case["gold"]))))
        near = case.get("kind") == "near_miss"
        wrong = ""
        if near:
            near_direct.append(answer.confidence == "direct")
            near_flagged.append(answer.refused or answer.unstated is not None)
            wrong = "near miss answered" if not near_flagged[-1] or near_direct[-1] else ""
        elif not case["gold"]:
            oos_refused.append(answer.refused)
            wrong = "" if answer.refused else "out of scope answered"
        else:
            rank = None if answer.refused else first_rank(answer, keys)
            ranks.append(rank)
            refused_answerable.append(answer.refused)
            direct.append(answer.confidence == "direct")
            if direct[-1]:
                direct_right.append(rank == 1)
            wrong = "" if rank == 1 else f"first citation not gold (rank {rank})"
            if case.get("stance") not in (None, "", "none"):
                drawn.append(answer.conclusion is not None)
                if answer.conclusion is not None:
                    stance_right.append(answer.conclusion.stance == case["stance"])
                    polarity.append(wrong_polarity(case, answer.conclusion))
                    conditions.append(false_condition(case, answer))
                    if not stance_right[-1]:
                        wrong = wrong or f"stance {answer.conclusion.stance} ≠ {case['stance']}"
        if show and wrong:
            cited = [c.unit.citation for c in answer.citations[:2]]
            said = answer.conclusion.text if answer.conclusion else ""
            print(
                f"  ✗ {case['id']} {case['question']} | {wrong} | {answer.confidence} {cited} {answer.unstated} {said}"
            )
    p50, p95 = np.percentile(timings, [50, 95])
    print(f"{name}: {len(cases)} questions")
    print(
        f"  answerable {len(ranks)}: hit@1 {share([r == 1 for r in ranks]):.3f} hit@3 "
        f"{share([r is not None and r <= 3 for r in ranks]):.3f} false refusals {sum(refused_answerable)} | "
        f"direct {share(direct):.3f}, right {share(direct_right):.3f}"
    )
    print(f"  out of scope {len(oos_refused)}: refused {share(oos_refused):.3f}")
    print(f"  near misses {len(near_direct)}: direct {sum(near_direct)}, unstated or refused {share(near_flagged):.3f}")
    print(
        f"  yes/no and duty {len(drawn)}: concluded {share(drawn):.3f}, stance right {share(stance_right):.3f} "
        f"of {len(stance_right)}, wrong polarity {sum(polarity)}, false conditions {sum(conditions)}"
    )
    print(f"  ask p50 {p50:.1f} ms p95 {p95:.1f} ms")


if __name__ == "__main__":
    raise SystemExit(main())
