"""Fit the decisions that weigh the reader (issue 29): the read stage, which reorders the first
`READ_TOP` candidates with the reader's logit, and the question and first-citation models with the
reader's evidence; then the tier thresholds. The first stage (the candidate model that
`fit_relevance.py` fitted) is kept as shipped: the reader reads its first few.

    .venv/bin/python benchmarks/fit_read_stage.py --train eval/dev.jsonl … --train training/data/train-2docs.jsonl \\
        --index /work/kb/two-documents --index /work/kb/sample-5000 --index /work/kb/all

Only the training questions the reader never trained on are used (`reader.held_for_decisions`, a
stable 40 % of each set): the decisions must learn how far to trust the reader on unseen questions.
Labels per question: answerable (gold articles), a near miss (`related` articles on its topic, none
that answers it) or out of scope. The first-citation model learns from every question whether the
first candidate answers it, near misses included (never); its threshold bounds wrong direct answers
among the questions that can be answered directly: a near miss whose missing fact `unstated.py`
already names is never direct, whatever the model says. The refusal decision stays as shipped (see
`fit`). The frozen `fresh-*` sets are refused as --train."""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from bench_ingest import REPO_ROOT  # also puts REPO_ROOT on sys.path
from bench_relevance import gold_keys
from fit_relevance import (
    MIN_GROUP,
    WRONG_DIRECT_MAX,
    balanced,
    direct_threshold,
    fit_logistic,
    pool_without_own_law,
    write_fitted,
)

from regstudy.answering import features
from regstudy.answering.evaluation import Case
from regstudy.answering.reader import held_for_decisions
from regstudy.answering.relevance import MODEL_FILE, READ_TOP, Logistic, RelevanceModel, ordered
from regstudy.answering.retrieval import Hit
from regstudy.answering.service import UNSTATED_READ
from regstudy.answering.unstated import unstated
from regstudy.composition import open_assistant
from regstudy.settings import load_settings

FOLDS = 5
ANSWERABLE, NEAR_MISS, OUT_OF_SCOPE = "answerable", "near_miss", "out_of_scope"
LARGE_SETS = ("train-large",)  # sets over corpus-large laws (weighed as much as those over the two documents)


@dataclass
class Question:
    key: str
    group: str
    hits: list[Hit]  # the pool, the first READ_TOP (by the shipped candidate model) read
    gold: np.ndarray  # per hit: answers the question
    kind: str  # ANSWERABLE, NEAR_MISS or OUT_OF_SCOPE
    forced: bool  # `unstated` names a fact its first candidates do not state: never direct

    @property
    def answerable(self) -> bool:
        return self.kind == ANSWERABLE


def load_rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def questions_at(data_dir: Path, paths: list[Path], lexical_only: bool) -> list[Question]:
    overrides = {"embedding_model": "none"} if lexical_only else {}
    assistant = open_assistant(load_settings(data_dir=data_dir, llm_base_url="", **overrides))
    found = []
    for path in paths:
        for n, row in enumerate(load_rows(path)):
            if not held_for_decisions(row["question"]):
                continue
            case = Case(str(row.get("id", n)), row["question"], tuple((str(d), int(a)) for d, a in row["gold"]))
            related = Case(case.id, case.question, tuple((str(d), int(a)) for d, a in row.get("related", [])))
            keys, near = gold_keys(assistant, case), gold_keys(assistant, related)
            if (case.gold and not keys) or (related.gold and not near):
                continue  # a law this index does not hold
            if assistant.ask(case.question).route not in ("search", "out_of_scope"):
                continue
            pool = pool_without_own_law(assistant, case, path, keys)
            if not pool:
                continue
            hits = read_first(assistant, case.question, pool)
            gold = np.array([(h.unit.doc_id, h.unit.article) in keys for h in hits], dtype=float)
            key, group = f"{path.name}:{case.id}", f"{data_dir.name}/{path.stem}"
            kind = ANSWERABLE if keys else NEAR_MISS if near else OUT_OF_SCOPE
            forced = unstated(case.question, [h.unit for h in hits[:UNSTATED_READ]]) is not None
            found.append(Question(key, group, hits, gold, kind, forced))
    print(f"  {data_dir.name}: {len(found)} questions")
    return found


def read_first(assistant, question: str, pool: list[Hit]) -> list[Hit]:
    """The pool with the shipped first stage's first READ_TOP read (in first-stage order)."""
    ranked = assistant.relevance.rank(pool)
    read = assistant.reading(question)(ranked[:READ_TOP])
    return read + ranked[READ_TOP:]


def stage_one(candidate: Logistic, q: Question) -> tuple[list[Hit], np.ndarray]:
    scored = [h.scored(float(p)) for h, p in zip(q.hits, candidate(features.matrix(q.hits)), strict=True)]
    order = {id(h): n for n, h in enumerate(scored)}
    ranked = ordered(scored)
    return ranked, q.gold[[order[id(h)] for h in ranked]]


def reread(candidate: Logistic, read: Logistic | None, q: Question) -> tuple[list[Hit], np.ndarray]:
    ranked, gold = stage_one(candidate, q)
    if read is None:
        return ranked, gold
    model = RelevanceModel(candidate, candidate, 0.0, 0.0, None, read)  # only `reread` is used
    head = [h for h in ranked[:READ_TOP] if h.read]
    again = model.reread(ranked, head)
    label = {id(h.unit): g for h, g in zip(ranked, gold, strict=True)}
    return again, np.array([label[id(h.unit)] for h in again])


def fit_read(candidate: Logistic, questions: list[Question], w: np.ndarray) -> Logistic:
    rows, labels, row_weights = [], [], []
    for q, weight in zip(questions, w, strict=True):
        ranked, gold = stage_one(candidate, q)
        head = [n for n, h in enumerate(ranked[:READ_TOP]) if h.read]
        if not head:
            continue
        rows.append(features.read_matrix([ranked[n] for n in head], [n + 1 for n in head]))
        labels.append(gold[head])
        row_weights.append(np.full(len(head), weight))
    x, y = np.vstack(rows), np.concatenate(labels)
    return fit_logistic(x, y, features.READ_NAMES, np.concatenate(row_weights))


def fit_decisions(candidate: Logistic, questions: list[Question]) -> tuple[Logistic, Logistic]:
    """The read stage, then the first-citation model over the reread evidence."""
    w = balanced(questions, LARGE_SETS)
    read = fit_read(candidate, questions, w)
    ranked = [reread(candidate, read, q) for q in questions]
    x = np.vstack([features.question_vector(r) for r, _ in ranked])
    first = np.array([bool(g[0]) if len(g) else False for _, g in ranked])
    return read, fit_logistic(x, first, features.QUESTION_NAMES, w)


def fit(shipped: RelevanceModel, questions: list[Question]) -> RelevanceModel:
    """The read stage and the first-citation model refitted; the refusal decision (question model and
    its threshold) kept as shipped: refitted with the reader's evidence on these questions, its
    threshold could not keep false refusals of layperson questions over corpus-large within 2 % and
    still refuse out-of-scope ones over the two documents (out of fold: 26 % refused)."""
    candidate = shipped.candidate
    folds = {key: n % FOLDS for n, key in enumerate(sorted({q.key for q in questions}))}
    p_question, p_best, gold = (np.zeros(len(questions)) for _ in range(3))
    for fold in range(FOLDS):
        train = [q for q in questions if folds[q.key] != fold]
        read, first = fit_decisions(candidate, train)
        for n, q in enumerate(questions):
            if folds[q.key] == fold:
                ranked, labels = reread(candidate, read, q)
                evidence = features.question_vector(ranked)
                p_question[n], p_best[n] = shipped.question(evidence), first(evidence)
                gold[n] = bool(labels[0]) if len(labels) else False
    groups = np.array([q.group for q in questions])
    # a question `unstated` forces to `possible` cannot be a wrong direct answer: out of the bound
    may_be_direct = np.where([q.forced for q in questions], -1.0, p_best)
    answerable_min = shipped.answerable_min
    direct_min = direct_threshold(may_be_direct, gold.astype(bool), p_question >= answerable_min)
    kinds = np.array([q.kind for q in questions])
    report(p_question, may_be_direct, gold.astype(bool), kinds, groups, direct_min, answerable_min)
    read, first = fit_decisions(candidate, questions)
    return RelevanceModel(candidate, shipped.question, direct_min, answerable_min, first, read)


def report(p_question, p_best, gold, kinds, groups, direct_min, answerable_min) -> None:
    refused = p_question < answerable_min
    direct = ~refused & (p_best >= direct_min)
    answerable, near, oos = kinds == ANSWERABLE, kinds == NEAR_MISS, kinds == OUT_OF_SCOPE
    print(f"  out of fold: false refusals {np.mean(refused[answerable]):.3f}, out of scope refused "
          f"{np.mean(refused[oos]):.3f}, near misses direct {np.mean(direct[near]):.3f}")  # fmt: skip
    wrong = 1 - np.mean(gold[direct])
    print(f"  direct {np.mean(direct[answerable]):.3f} of answerable, wrong {wrong:.3f} (≤ {WRONG_DIRECT_MAX})")
    for group in sorted(set(groups)):
        mine = answerable & (groups == group)
        if mine.sum() >= MIN_GROUP // 3:
            print(
                f"    {group}: first gold {np.mean(gold[mine]):.3f}, direct {np.mean(direct[mine]):.3f} ({mine.sum()})"
            )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--train", action="append", type=Path, required=True)
    parser.add_argument("--index", action="append", type=Path, required=True)
    parser.add_argument("--kind", choices=("hybrid", "lexical"), action="append", help="refit only these")
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "regstudy" / "resources" / MODEL_FILE)
    args = parser.parse_args()
    if any(p.name.startswith("fresh-") for p in args.train):
        parser.error("the fresh-* sets are frozen evaluation sets, not training data")
    fitted = json.loads(args.out.read_text(encoding="utf-8"))
    for kind, lexical_only in (("hybrid", False), ("lexical", True)):
        if args.kind and kind not in args.kind:
            continue
        print(f"[{kind}]")
        questions = [q for data_dir in args.index for q in questions_at(data_dir, args.train, lexical_only)]
        model = fit(RelevanceModel.from_dict(fitted[kind]), questions)
        write_fitted(model, (model.read, model.question, model.first), fitted, kind, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
