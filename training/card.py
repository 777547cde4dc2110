"""Step 6: the model card. Gathers what steps 1–5 recorded in training/work/ (data counts, training
run, int8 fidelity, held-out figures) and the shipped file's sha256 into models/reader/model_card.json
(which `make setup` checks the file against) and a readable models/reader/README.md.

    .venv/bin/python training/card.py [--stage training/work --stage training/work2]

Each `--stage` is the work folder of one training run (its data_counts.json, reader/training.json), in
the order they ran (the second continues from the first's model); fidelity and evaluation come from
the first folder."""

from __future__ import annotations

import argparse
import hashlib
import json
import platform
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
from regstudy.answering.reader import CARD_FILE, MAX_TOKENS, ONNX_FILE, WINDOW_CHARS  # noqa: E402
from regstudy.kb.model_fetch import NPM_PACKAGE, ONNX_SHA256  # noqa: E402

WORK = REPO / "training" / "work"
OUT = REPO / "models" / "reader"


def read(name: str, folder: Path = WORK) -> dict:
    path = folder / name
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--stage", type=Path, action="append", help="work folders of the runs, in order")
    stages = parser.parse_args().stage or [WORK]
    digest = hashlib.sha256((OUT / ONNX_FILE).read_bytes()).hexdigest()
    card = {
        "name": "regstudy-reader",
        "task": "cross-encoder: does this article (a window of it) answer this question? one logit",
        "base": f"BAAI/bge-small-zh-v1.5, float weights rebuilt from the int8 ONNX of npm {NPM_PACKAGE} "
        f"(sha256 {ONNX_SHA256}) by training/rebuild_base.py",
        "files": {ONNX_FILE: digest},
        "max_tokens": MAX_TOKENS,
        "window_chars": WINDOW_CHARS,
        "quantization": "onnxruntime dynamic int8, per tensor, full range",
        "stages": [{"data": read("data_counts.json", s), "training": read("reader/training.json", s)} for s in stages],
        "fidelity_int8_vs_fp32": read("fidelity.json"),
        "heldout_stard": read("evaluation.json"),
        "machine": f"{platform.machine()}, {platform.processor() or 'cpu'}, python {platform.python_version()}",
        "recipe": "training/README.md",
    }
    (OUT / CARD_FILE).write_text(json.dumps(card, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    (OUT / "README.md").write_text(readme(card), encoding="utf-8")
    print(json.dumps(card, ensure_ascii=False, indent=1))
    return 0


def readme(card: dict) -> str:
    held = card["heldout_stard"]
    runs = "\n".join(
        f"- Run {n}: {s['data'].get('pairs_total')} pairs ({int(s['data'].get('positives', 0))} positive) from "
        f"{json.dumps(s['data'].get('questions', {}), ensure_ascii=False)} questions; {s['training'].get('epochs')} "
        f"epoch(s), batch {s['training'].get('batch')}, learning rate {s['training'].get('learning_rate')}, seed "
        f"{s['training'].get('seed')}, {s['training'].get('seconds')} s on {s['training'].get('threads')} threads."
        for n, s in enumerate(card["stages"], 1)
    )
    rows = "\n".join(
        f"| {k} | {v['first_stage']} | {v['reader']} | {v['difference_ci95']} |"
        for k, v in held.items()
        if isinstance(v, dict)
    )
    return f"""# The reader (RegStudy's own cross-encoder)

Scores whether an article answers a question. Trained here, on 2 CPU cores, by the scripts in
`training/` (see `training/README.md`); run at answer time by onnxruntime (`regstudy/answering/reader.py`).

- Base: {card["base"]}.
- File: `{ONNX_FILE}`, sha256 `{card["files"][ONNX_FILE]}` (checked by `make setup`).
- Input: question + 《title》 and a window of at most {card["window_chars"]} characters of the article
  around the sentences that share most with the question; {card["max_tokens"]} tokens at most.
- Quantization: {card["quantization"]}. Fidelity against fp32 on held-out pairs: {card["fidelity_int8_vs_fp32"]}.
- Machine: {card["machine"]}; {card["stages"][0]["data"].get("stard_heldout")} STARD questions held out.
{runs}

Held-out STARD questions (first stage's top {held.get("depth")} reordered by the reader alone,
{held.get("questions")} questions):

| measure | first stage | reader | 95 % CI of the difference |
|---|---|---|---|
{rows}
"""


if __name__ == "__main__":
    raise SystemExit(main())
