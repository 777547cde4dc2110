"""Quiz soundness (issue 17): every item the generators offer over the whole knowledge base, for
several seeds, through the grounding and meaning checks — how many each rule rejects, with examples —
and then 100-item papers, re-checked (not a test; it prints figures).

    .venv/bin/python benchmarks/bench_quiz_soundness.py [--seeds 5] [--n 100] [--examples 3]
"""

from __future__ import annotations

import argparse
import random
from collections import Counter, defaultdict

from bench_ingest import REPO_ROOT  # noqa: F401  (puts REPO_ROOT on sys.path)

from regstudy.composition import open_quizzes
from regstudy.settings import load_settings
from regstudy.study.quiz.grounding import check
from regstudy.study.quiz.items import JUDGE
from regstudy.study.quiz.meaning import misstatements
from regstudy.study.quiz.paper import MAKERS


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--n", type=int, default=100)
    parser.add_argument("--examples", type=int, default=3)
    args = parser.parse_args()
    quizzes = open_quizzes(load_settings(llm_base_url=""))
    pool = quizzes.pool
    offered, reasons, examples = 0, Counter(), defaultdict(list)
    for seed in range(1, args.seeds + 1):
        for kind, makers in MAKERS.items():
            for unit in pool.quiz_units:
                for make in makers:
                    for item in make(pool, unit, random.Random(f"{seed}:{kind}:{unit.id}")):
                        offered += 1
                        verdict = check(item, pool)
                        if not verdict.ok:
                            rule = verdict.reason.split(":")[0]
                            reasons[rule] += 1
                            if len(examples[rule]) < args.examples:
                                examples[rule].append(f"{unit.citation} {item.stem} → {verdict.reason}")
    print(f"offered {offered} items over {args.seeds} seeds; rejected {sum(reasons.values())}")
    for rule, count in reasons.most_common():
        print(f"  {rule}: {count}")
        for example in examples[rule]:
            print(f"    e.g. {example}")
    bad = judged = 0
    for seed in range(1, args.seeds + 1):
        for item in quizzes.paper(args.n, ["single", "multiple", "judge", "blank"], seed=seed).items:
            text = quizzes.kb.by_id[item.source.unit_id].text
            bad += bool(misstatements(item, text, pool.scope_texts)) or not check(item, pool).ok
            judged += item.type == JUDGE and "不必" in item.stem
    print(f"{args.seeds} papers of {args.n}: {bad} items fail a check, {judged} 判断 with 不必")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
