"""Step 5: the reader alone against the first stage, on STARD questions it never trained on (the
seeded tenth that build_data.py held out), over the two documents plus all of corpus-large.

For each question the first stage (the product without the reader) proposes its top `--depth`
candidates; the reader reorders them by its logit alone. Prints R@1, R@5 and MRR@10 of both orders,
side by side, with the paired difference and a bootstrap 95 % interval, and writes them to
training/work/evaluation.json for the model card.

    .venv/bin/python training/evaluate.py --index DATA_DIR [--model models/reader] [--depth 50]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
from regstudy.answering.reader import OnnxReader, passage  # noqa: E402
from regstudy.composition import open_assistant  # noqa: E402
from regstudy.settings import load_settings  # noqa: E402

WORK = REPO / "training" / "work"


def rank_of(keys: set[tuple[str, int]], units: list) -> int | None:
    return next((n for n, u in enumerate(units, 1) if (u.document, u.article) in keys), None)


def figures(ranks: list[int | None]) -> dict[str, np.ndarray]:
    r = np.array([x if x is not None else 10**6 for x in ranks])
    return {"R@1": r <= 1, "R@5": r <= 5, "MRR@10": np.where(r <= 10, 1.0 / r, 0.0)}


def bootstrap(diff: np.ndarray, rounds: int = 2000) -> tuple[float, float]:
    rng = np.random.default_rng(13)
    means = [rng.choice(diff, len(diff)).mean() for _ in range(rounds)]
    return float(np.percentile(means, 2.5)), float(np.percentile(means, 97.5))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--model", type=Path, default=REPO / "models" / "reader")
    parser.add_argument("--questions", type=Path, default=WORK / "stard-heldout.jsonl")
    parser.add_argument("--depth", type=int, default=50)
    args = parser.parse_args()
    assistant = open_assistant(load_settings(data_dir=args.index, llm_base_url="", reader=False))
    reader = OnnxReader(args.model)
    rows = [json.loads(line) for line in args.questions.read_text(encoding="utf-8").splitlines()]
    first, read = [], []
    for row in rows:
        keys = {(d, int(a)) for d, a in row["gold"]}
        units = [h.unit for h in assistant.candidates(row["question"], args.depth)][: args.depth]
        logits = reader.scores(row["question"], [passage(u, row["question"]) for u in units])
        first.append(rank_of(keys, units))
        read.append(rank_of(keys, [units[i] for i in np.argsort(-logits, kind="stable")]))
    a, b = figures(first), figures(read)
    result = {"questions": len(rows), "depth": args.depth}
    for name in a:
        low, high = bootstrap(b[name].astype(float) - a[name].astype(float))
        result[name] = {"first_stage": round(float(a[name].mean()), 3), "reader": round(float(b[name].mean()), 3),
                        "difference_ci95": [round(low, 3), round(high, 3)]}  # fmt: skip
        print(
            f"{name}: first stage {a[name].mean():.3f}  reader {b[name].mean():.3f}  "
            f"(95 % CI of the difference {low:+.3f} … {high:+.3f})"
        )
    (WORK / "evaluation.json").write_text(json.dumps(result, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
