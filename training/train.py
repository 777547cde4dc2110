"""Step 3: train the reader, a cross-encoder initialised from the rebuilt bge-small-zh-v1.5 weights,
with sentence-transformers' CrossEncoder and binary cross-entropy over the pairs of step 2
(the shape of sentence-transformers' own training_ms_marco_bce example).

    .venv/bin/python training/train.py [--epochs 1] [--max-pairs N] [--out training/work/reader]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import torch
from datasets import Dataset
from sentence_transformers.cross_encoder import CrossEncoder, CrossEncoderTrainer, CrossEncoderTrainingArguments
from sentence_transformers.cross_encoder.losses import BinaryCrossEntropyLoss

WORK = Path(__file__).resolve().parent / "work"
SEED = 13
MAX_TOKENS = 192  # as regstudy/answering/reader.py reads at run time


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--base", type=Path, default=WORK / "base")
    parser.add_argument("--pairs", type=Path, default=WORK / "pairs.jsonl")
    parser.add_argument("--out", type=Path, default=WORK / "reader")
    parser.add_argument("--epochs", type=float, default=1.0)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--lr", type=float, default=5e-5)
    parser.add_argument("--max-pairs", type=int, default=0, help="train on the first N pairs only (to time a run)")
    args = parser.parse_args()
    torch.manual_seed(SEED)
    torch.set_num_threads(2)
    rows = [json.loads(line) for line in args.pairs.read_text(encoding="utf-8").splitlines()]
    rows = rows[: args.max_pairs] if args.max_pairs else rows
    data = Dataset.from_dict({k: [r[k] for r in rows] for k in ("query", "passage", "label")})
    model = CrossEncoder(str(args.base), num_labels=1, max_length=MAX_TOKENS)
    positives = sum(r["label"] for r in rows)
    # negatives outnumber positives: weigh a positive as much as the negatives beside it
    loss = BinaryCrossEntropyLoss(model, pos_weight=torch.tensor((len(rows) - positives) / max(positives, 1)))
    training = CrossEncoderTrainingArguments(
        output_dir=str(args.out / "checkpoints"),
        num_train_epochs=args.epochs,
        per_device_train_batch_size=args.batch,
        learning_rate=args.lr,
        warmup_ratio=0.1,
        seed=SEED,
        logging_steps=25,
        save_strategy="steps",
        save_steps=200,
        save_total_limit=1,
        report_to="none",
        dataloader_drop_last=False,
        use_cpu=True,
    )
    started = time.time()
    CrossEncoderTrainer(model=model, args=training, train_dataset=data, loss=loss).train()
    model.save_pretrained(str(args.out / "final"))
    summary = {"pairs": len(rows), "positives": positives, "epochs": args.epochs, "batch": args.batch,
               "learning_rate": args.lr, "seed": SEED, "seconds": round(time.time() - started),
               "max_tokens": MAX_TOKENS, "threads": torch.get_num_threads()}  # fmt: skip
    (args.out / "training.json").write_text(json.dumps(summary, indent=1), encoding="utf-8")
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
