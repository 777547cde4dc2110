"""Step 2: build the reader's training pairs (question, passage, label) from real questions.

Sources (the frozen `eval/fresh-*` sets are never read):
- STARD's training split (../shared/stard-train): real layperson questions with their answering
  articles. A seeded tenth is held out (`stard-heldout.jsonl`) to evaluate the reader alone;
- the repository's training sets (eval/train-*.jsonl, dev, heldout, fresh);
  of these and of training/data, a stable 40 % (`held_for_decisions`) is kept out of the reader's
  training: the relevance decisions that weigh its score are fitted on them;
- training/data/*.jsonl, written for this by people who had not seen the code: positives in
  everyday words, near misses (on an article's topic, asking for something it does not state:
  labelled 0 against that article) and out-of-scope questions.

Hard negatives are mined by the product's own first stage (`Assistant.candidates`) over an index of
the two documents plus all of corpus-large; questions over the two documents also get negatives from
within those documents, since that is where the product is used.

    .venv/bin/python training/build_data.py --index /path/to/data-dir-of-corpus-plus-corpus-large
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections import Counter
from pathlib import Path

import cn2an

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
from regstudy.answering.reader import held_for_decisions, passage  # noqa: E402
from regstudy.answering.service import Assistant  # noqa: E402
from regstudy.composition import open_assistant  # noqa: E402
from regstudy.records import Unit  # noqa: E402
from regstudy.settings import load_settings  # noqa: E402

SEED = 13
HELD_OUT = 0.1  # of STARD's questions, for the reader's own evaluation
POOL = 30  # candidates the first stage proposes, negatives are drawn from these
REPO_SETS = ("train-large", "train-colloquial", "dev", "heldout", "fresh")
TWO_DOCS = ("规定", "意见")
STARD_KEY = re.compile(r"^(.*?)第([零一二三四五六七八九十百千]+)条(?:之[一二三四五六七八九十])?$")

Key = tuple[str, int]  # (document title, article): every edition of an article shares it


class Golds:
    """Gold names → units of the index (any edition), and units → their edition-free key."""

    def __init__(self, assistant: Assistant) -> None:
        self.kb = assistant.kb
        self.two_docs = tuple(d.id for d in self.kb.documents if any(n in d.names() for n in TWO_DOCS))

    def units(self, name: str, article: int) -> list[Unit]:
        short = name.removeprefix("中华人民共和国")
        found = []
        for doc in self.kb.documents:
            titles = (doc.title, doc.title.removeprefix("中华人民共和国"))
            if name in doc.names() or short in titles or (len(name) > 4 and name in doc.title):
                found += [u for u in self.kb.units_of(doc.id) if u.article == article and u.kind != "section"]
        return found

    @staticmethod
    def key(unit: Unit) -> Key:
        return unit.document, unit.article


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def closest(units: list[Unit], text: str) -> Unit | None:
    """The edition of an article whose text is closest to STARD's copy of it (bigram overlap)."""
    want = {text[i : i + 2] for i in range(len(text) - 1)}
    scored = [(len(want & {u.text[i : i + 2] for i in range(len(u.text) - 1)}) / max(len(want), 1), u) for u in units]
    best = max(scored, key=lambda s: s[0], default=(0.0, None))
    return best[1] if best[0] >= 0.3 else None


def stard_questions(path: Path, golds: Golds) -> tuple[list[dict], list[dict]]:
    """(training questions, held-out questions), each {question, gold units, source}."""
    rows = read_jsonl(path)
    rng = random.Random(SEED)
    held = set(rng.sample([r["query_id"] for r in rows], round(len(rows) * HELD_OUT)))
    train, heldout = [], []
    for row in rows:
        units = []
        for key, text in row["gold"].items():
            match = STARD_KEY.match(key.strip())
            if match:
                found = closest(golds.units(match[1], int(cn2an.cn2an(match[2], "normal"))), text)
                units += [found] if found else []
        question = {"question": row["question"], "gold": units, "source": "stard", "id": row["query_id"]}
        (heldout if row["query_id"] in held else train).append(question)
    return train, heldout


def set_questions(path: Path, golds: Golds) -> list[dict]:
    """A repository or helper set: gold answers, near misses' related articles, out-of-scope."""
    found = []
    for row in read_jsonl(path):
        if held_for_decisions(row["question"]):
            continue  # fits the decisions over the reader's score (benchmarks/fit_relevance.py)
        gold = [u for name, n in row.get("gold", []) for u in golds.units(str(name), int(n))]
        related = [u for name, n in row.get("related", []) for u in golds.units(str(name), int(n))]
        if row.get("gold") and not gold:
            continue  # a law this index does not hold
        two_docs = any(str(name) in TWO_DOCS for name, _ in [*row.get("gold", []), *row.get("related", [])])
        two_docs = two_docs or (not row.get("file") and not gold and "large" not in path.stem)
        found.append({"question": row["question"], "gold": gold, "related": related, "source": path.stem,
                      "two_docs": two_docs})  # fmt: skip
    return found


def pairs_for(question: dict, assistant: Assistant, golds: Golds, rng: random.Random, hard: int = 4) -> list[dict]:
    """Positives, the near miss's related articles as negatives, and hard negatives from the pool."""
    text = question["question"]
    gold_keys = {golds.key(u) for u in question["gold"]}
    avoid = gold_keys | {golds.key(u) for u in question.get("related", [])}
    pool = [h.unit for h in assistant.candidates(text, POOL) if golds.key(h.unit) not in avoid]
    pool = [u for u in pool if u.kind != "section" or rng.random() < 0.2]
    if question.get("two_docs"):
        inside = [h.unit for h in assistant.candidates(text, POOL, golds.two_docs) if golds.key(h.unit) not in avoid]
        negatives = inside[: hard - 1] + rng.sample(pool[:10], min(1, len(pool[:10])))
    else:  # the closest half, and the rest drawn from further down the pool
        negatives = pool[: hard // 2] + rng.sample(pool[hard // 2 :], min(hard - hard // 2, len(pool[hard // 2 :])))
    if not question["gold"]:  # near miss or out of scope: fewer, the closest
        negatives = negatives[: hard - 1]
    labelled = [(u, 1.0) for u in {golds.key(u): u for u in question["gold"]}.values()]
    labelled += [(u, 0.0) for u in question.get("related", [])] + [(u, 0.0) for u in negatives]
    return [{"query": text, "passage": passage(u, text), "label": y, "source": question["source"]} for u, y in labelled]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--index", type=Path, required=True, help="data dir of corpus/ + all of corpus-large")
    parser.add_argument("--stard", type=Path, default=REPO.parent / "shared" / "stard-train" / "train.jsonl")
    parser.add_argument("--out", type=Path, default=REPO / "training" / "work")
    parser.add_argument("--hard", type=int, default=4, help="hard negatives per question")
    args = parser.parse_args()
    assistant = open_assistant(load_settings(data_dir=args.index, llm_base_url="", reader=False))
    golds = Golds(assistant)
    train, heldout = stard_questions(args.stard, golds)
    for path in [
        *(REPO / "eval" / f"{s}.jsonl" for s in REPO_SETS),
        *sorted((REPO / "training" / "data").glob("*.jsonl")),
    ]:
        train += set_questions(path, golds)
    rng = random.Random(SEED)
    pairs = [p for q in train for p in pairs_for(q, assistant, golds, rng, args.hard)]
    rng.shuffle(pairs)
    args.out.mkdir(parents=True, exist_ok=True)
    write_jsonl(args.out / "pairs.jsonl", pairs)
    # more negatives per held-out question: the int8 fidelity check wants at least 1,000 pairs
    held_pairs = [p for q in heldout for p in pairs_for(q, assistant, golds, rng, max(args.hard, 9))]
    write_jsonl(args.out / "heldout-pairs.jsonl", held_pairs)  # never trained on: the int8 fidelity check
    held = [{"question": q["question"], "id": q["id"], "gold": [golds.key(u) for u in q["gold"]]} for q in heldout]
    write_jsonl(args.out / "stard-heldout.jsonl", [h for h in held if h["gold"]])
    counts = {"questions": Counter(q["source"] for q in train), "pairs": Counter(p["source"] for p in pairs),
              "positives": sum(p["label"] for p in pairs), "pairs_total": len(pairs),
              "stard_heldout": len(held)}  # fmt: skip
    (args.out / "data_counts.json").write_text(json.dumps(counts, ensure_ascii=False, indent=1), encoding="utf-8")
    print(json.dumps(counts, ensure_ascii=False))
    return 0


def write_jsonl(path: Path, rows: list[dict]) -> None:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")


if __name__ == "__main__":
    raise SystemExit(main())
