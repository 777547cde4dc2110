"""Behaviour check for refactors: the command-line outputs of two revisions, byte for byte.

    .venv/bin/python benchmarks/compare_outputs.py --base f1721d1 [--head WORKTREE]

Each revision runs its own code (the base from a temporary `git worktree`) with the same Python, the
same model folder and a fresh data dir of its own: it ingests its `corpus/`, then runs
- `ask --json` (as `ask --file`, one JSON object a line) over every question of `eval/dev.jsonl` and
  `eval/heldout.jsonl`;
- `quiz --seed 7 --json` (20 items, every type) and `quiz --seed 7 --n 40 --json`;
- `check --json` on every case of `eval/citations.jsonl`, and `check --file` on the sample handout;
- `articles --json`.
It prints one line a command (identical, or the first differing line) and exits 1 on any difference.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def commands(root: Path, work: Path) -> dict[str, list[str]]:
    questions = work / "questions.txt"
    lines = []
    for name in ("dev.jsonl", "heldout.jsonl"):
        lines += [json.loads(line)["question"] for line in (REPO / "eval" / name).read_text().splitlines() if line]
    questions.write_text("\n".join(lines) + "\n", encoding="utf-8")
    runs = {
        "ask --json (dev + heldout)": ["ask", "--file", str(questions)],
        "quiz --seed 7 --json": ["quiz", "--seed", "7", "--json"],
        "quiz --seed 7 --n 40 --json": ["quiz", "--seed", "7", "--n", "40", "--json"],
        "check --file handout.txt --json": ["check", "--file", str(REPO / "tests/fixtures/handout.txt"), "--json"],
        "articles --json": ["articles", "--json"],
    }
    for line in (REPO / "eval" / "citations.jsonl").read_text(encoding="utf-8").splitlines():
        case = json.loads(line)
        runs[f"check --json {case['id']}"] = ["check", case["text"], "--json"]
    return runs


def run_revision(root: Path, work: Path) -> dict[str, bytes]:
    env = {
        **os.environ,
        "REGSTUDY_DATA_DIR": str(work / "data"),
        "REGSTUDY_MODEL_DIR": str(REPO / "models"),
        "REGSTUDY_LLM_BASE_URL": "",
        "PYTHONPATH": str(root),
    }
    subprocess.run([sys.executable, "-m", "ingest"], cwd=root, env=env, check=True, capture_output=True)
    outputs = {}
    for name, args in commands(root, work).items():
        done = subprocess.run([sys.executable, "-m", "regstudy", *args], cwd=root, env=env, capture_output=True)
        outputs[name] = done.stdout + f"\n[exit {done.returncode}]".encode()
    return outputs


def first_difference(a: bytes, b: bytes) -> str:
    for number, (left, right) in enumerate(zip(a.splitlines(), b.splitlines(), strict=False), 1):
        if left != right:
            return f"line {number}: {left[:120]!r} → {right[:120]!r}"
    return f"lengths {len(a)} / {len(b)} bytes"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--base", required=True, help="the revision to compare against (e.g. a commit)")
    parser.add_argument("--head", type=Path, default=REPO, help="the checkout to compare (default: this one)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        base_tree = Path(tmp) / "base"
        subprocess.run(["git", "worktree", "add", "--detach", str(base_tree), args.base], cwd=REPO, check=True,
                       capture_output=True)  # fmt: skip
        try:
            base = run_revision(base_tree, Path(tmp) / "base-work")
            head = run_revision(args.head.resolve(), Path(tmp) / "head-work")
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(base_tree)], cwd=REPO, check=False)
    different = 0
    for name, before in base.items():
        after = head.get(name, b"")
        digest = hashlib.sha256(before).hexdigest()[:12]
        if before == after:
            print(f"identical  {name}  ({len(before)} bytes, sha256 {digest})")
        else:
            different += 1
            print(f"DIFFERENT  {name}  {first_difference(before, after)}")
    print(f"{len(base) - different} of {len(base)} outputs byte-identical")
    return 1 if different else 0


if __name__ == "__main__":
    raise SystemExit(main())
