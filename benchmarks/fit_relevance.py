"""Fit the relevance model (`regstudy.answering.relevance`: a candidate model and a question model,
both logistic regressions over scale-free features) and its tier thresholds on labelled training
questions at several knowledge-base sizes, and write `regstudy/resources/relevance_model.json`.

    .venv/bin/python benchmarks/fit_relevance.py --train eval/dev.jsonl --train eval/heldout.jsonl \\
        --train eval/fresh.jsonl --train eval/train-large.jsonl \\
        --index /work/kb-cache/two-documents --index /work/kb-cache/sample-5000 --index /work/kb-cache/all

Each `--index` is a data dir holding an index (see bench_relevance.py --keep). Every candidate of every
search-routed question is one row, labelled by whether it is a gold article (any edition). Questions
whose gold documents the index lacks are skipped there; out-of-scope questions are used at every size.
The frozen evaluation sets (`fresh-colloquial`, `fresh-large`, …) are refused as --train.

`--examples` first rewrites `regstudy/resources/examples.json` from the training sets (each question,
the articles that answer it or none, its vector): the answered examples that the retriever uses as
evidence (a question's own copy never counts). Run it whenever the training sets change.

The question model learns from out-of-fold candidate probabilities (5 folds by question), and the
thresholds are chosen on out-of-fold probabilities of both models:
- `answerable_min`: the highest that refuses at most 2% of the answerable training questions of every
  size and set (the strictest decides: a layperson over 60,000 articles must not be refused);
- `direct_min`: the lowest first-citation probability (a third model, over the question model's
  evidence) above which at most 3% of the accepted questions' first candidates are wrong.
"""

from __future__ import annotations

import argparse
import base64
import json
import pickle
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from bench_ingest import REPO_ROOT  # also puts REPO_ROOT on sys.path
from bench_relevance import gold_keys
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

from regstudy.answering import features
from regstudy.answering.evaluation import Case, load_cases
from regstudy.answering.examples import EXAMPLES_FILE, forget_bundled
from regstudy.answering.relevance import MODEL_FILE, Logistic, RelevanceModel, ordered
from regstudy.answering.retrieval import Hit
from regstudy.answering.service import Assistant
from regstudy.composition import open_assistant
from regstudy.settings import load_settings
from regstudy.text import normalize

LARGE_SET = "train-large.jsonl"
WRONG_DIRECT_MAX = 0.03
FALSE_REFUSALS_MAX = 0.02
MIN_GROUP = 30  # answerable questions a group needs to bound its false refusals
FOLDS = 5
SEARCH_ROUTES = ("search", "out_of_scope")


@dataclass
class Question:
    key: str  # the same question at every size falls in the same fold
    hits: list[Hit]
    labels: np.ndarray
    group: str = ""  # size and set: false refusals are bounded in each

    @property
    def answerable(self) -> bool:
        return bool(self.labels.any())


def questions_for(data_dir: Path, paths: list[Path], lexical_only: bool) -> list[Question]:
    """The search-routed training questions with their candidate pools, at one size."""
    overrides = {"embedding_model": "none"} if lexical_only else {}
    assistant = open_assistant(load_settings(data_dir=data_dir, llm_base_url="", **overrides))
    found = []
    for path in paths:
        for case in load_cases(path):
            keys = gold_keys(assistant, case)
            if (case.gold and not keys) or assistant.ask(case.question).route not in SEARCH_ROUTES:
                continue
            pool = pool_without_own_law(assistant, case, path, keys)
            if not pool:  # no word of it in the index and no vectors: nothing to learn from
                continue
            labels = np.array([(h.unit.doc_id, h.unit.article) in keys for h in pool], dtype=float)
            found.append(Question(f"{path.name}:{case.id}", pool, labels))
    print(f"  {data_dir.name}: {len(found)} questions")
    return found


def cached_questions(args: argparse.Namespace, data_dir: Path, lexical_only: bool) -> list[Question]:
    """`questions_for`, kept in `--cache` (to refit after changing only the model, not the features)."""
    if args.cache is None:
        questions = questions_for(data_dir, args.train, lexical_only)
        for question in questions:
            question.group = f"{data_dir.name}/{question.key.split(':')[0]}"
        return questions
    key = "-".join([data_dir.name, "lexical" if lexical_only else "hybrid", *sorted(p.stem for p in args.train)])
    path = args.cache / f"{key}.pickle"
    if path.exists():
        questions = pickle.loads(path.read_bytes())
    else:
        questions = questions_for(data_dir, args.train, lexical_only)
        args.cache.mkdir(parents=True, exist_ok=True)
        path.write_bytes(pickle.dumps(questions))
    for question in questions:
        question.group = f"{data_dir.name}/{question.key.split(':')[0]}"
    return questions


def write_examples(paths: list[Path], data_dir: Path, out: Path) -> None:
    """`regstudy/resources/examples.json`: every training question with the (title, article) pairs
    that answer it (none when out of scope), and its vector (float16) from the configured model.
    `data_dir` is the largest index: it must hold every gold document."""
    assistant = open_assistant(load_settings(data_dir=data_dir, llm_base_url=""))
    embeddings = assistant.retriever.embeddings
    assert embeddings is not None, "examples need the embedding model"
    examples, vectors = [], []
    frozen = frozen_questions(REPO_ROOT / "eval")
    for path in paths:
        for case in load_cases(path):
            keys = gold_keys(assistant, case)
            if (case.gold and not keys) or normalize(case.question) in frozen:
                continue
            titles = {(info.title, article) for doc_id, article in keys if (info := assistant.kb.document(doc_id))}
            examples.append({"question": case.question, "cites": sorted(titles), "set": path.name})
            vectors.append(embeddings.embed_query(normalize(case.question)))
    data = {
        "model_id": embeddings.model_id,
        "vectors": base64.b64encode(np.asarray(vectors, dtype=np.float16).tobytes()).decode("ascii"),
        "examples": examples,
    }
    out.write_text(json.dumps(data, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print(f"  {len(examples)} examples ({sum(not e['cites'] for e in examples)} out of scope) → {out.name}")


def frozen_questions(folder: Path) -> set[str]:
    """Every question of the frozen evaluation sets: one that a training set happens to share (明天
    北京会下雨吗) is never shipped as an example."""
    found = set()
    for path in folder.glob("fresh-*.jsonl"):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                found.update(normalize(t["question"]) for t in row.get("turns", [row]))
    return found


def pool_without_own_law(assistant: Assistant, case: Case, path: Path, keys: set[tuple[str, int]]) -> list[Hit]:
    """The question's candidates as an unseen question would get them: the examples from its own set
    are left out (a set's author repeats phrasings an independent user would not), and for a question
    over corpus-large also those citing its own law (the examples cover a handful of thousands of
    laws: a layperson's question almost never has one about its law)."""
    examples = assistant.retriever.examples
    if examples is None:
        return assistant.pool(case.question)
    titles = {info.title for doc_id, _ in keys if (info := assistant.kb.document(doc_id))}
    own_law = path.name == LARGE_SET
    examples.ignored = np.array(
        [
            source == path.name or (own_law and any(t in titles for t, _ in cites))
            for source, cites in zip(examples.examples.sources, examples.examples.cites, strict=True)
        ]
    )
    try:
        return assistant.pool(case.question)
    finally:
        examples.ignored = None


def balanced(questions: list, large_sets: tuple[str, ...] = (LARGE_SET,)) -> np.ndarray:
    """Each question's weight: the questions over corpus-large laws weigh as much in all as those over
    the two documents, which outnumber them (one model must rank well in both regimes)."""
    large = np.array([q.key.startswith(large_sets) for q in questions])
    weights = np.where(large, 1.0 / max(large.sum(), 1), 1.0 / max((~large).sum(), 1))
    return weights * len(questions) / weights.sum()


def fit_logistic(x: np.ndarray, y: np.ndarray, names: tuple[str, ...], weights: np.ndarray) -> Logistic:
    scaler = StandardScaler().fit(x)
    scale = np.where(scaler.scale_ > 0, scaler.scale_, 1.0)
    model = LogisticRegression(C=1.0, max_iter=3000).fit((x - scaler.mean_) / scale, y, sample_weight=weights)
    return Logistic(names, tuple(scaler.mean_), tuple(scale), tuple(model.coef_[0]), float(model.intercept_[0]))


def fit_candidates(questions: list[Question]) -> Logistic:
    x = np.vstack([features.matrix(q.hits) for q in questions])
    weights = np.concatenate([np.full(len(q.hits), w) for q, w in zip(questions, balanced(questions), strict=True)])
    return fit_logistic(x, np.concatenate([q.labels for q in questions]), features.NAMES, weights)


def ranked_by(candidate: Logistic, question: Question) -> tuple[list[Hit], np.ndarray]:
    probabilities = candidate(features.matrix(question.hits))
    scored = [h.scored(float(p)) for h, p in zip(question.hits, probabilities, strict=True)]
    position = {id(h): n for n, h in enumerate(scored)}
    ranked = ordered(scored)
    return ranked, question.labels[[position[id(h)] for h in ranked]]


def fit_questions(ranked: list[list[Hit]], answerable: np.ndarray, weights: np.ndarray) -> Logistic:
    x = np.vstack([features.question_vector(r) for r in ranked])
    return fit_logistic(x, answerable, features.QUESTION_NAMES, weights)


def fit_first(ranked: list[tuple[list[Hit], np.ndarray]], weights: np.ndarray) -> Logistic:
    """P(the first candidate is gold), over every question (out-of-scope ones: never)."""
    x = np.vstack([features.question_vector(r) for r, _ in ranked])
    labels = np.array([bool(labels[0]) for _, labels in ranked])
    return fit_logistic(x, labels, features.QUESTION_NAMES, weights)


def out_of_fold(questions: list[Question]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per question, from models that never saw it: P(answerable), P(the first candidate answers it),
    whether that candidate is gold, and whether the question is answerable."""
    folds = {key: n % FOLDS for n, key in enumerate(sorted({q.key for q in questions}))}
    p_question, p_best, gold, answerable = (np.zeros(len(questions)) for _ in range(4))
    for fold in range(FOLDS):
        train = [q for q in questions if folds[q.key] != fold]
        candidate = fit_candidates(train)
        train_ranked = [ranked_by(candidate, q) for q in train]
        weights = balanced(train)
        question = fit_questions([r for r, _ in train_ranked], np.array([q.answerable for q in train]), weights)
        first = fit_first(train_ranked, weights)
        for n, q in enumerate(questions):
            if folds[q.key] == fold:
                ranked, labels = ranked_by(candidate, q)
                evidence = features.question_vector(ranked)
                p_question[n] = question(evidence)
                p_best[n], gold[n], answerable[n] = first(evidence), labels[0], q.answerable
    return p_question, p_best, gold.astype(bool), answerable.astype(bool)


def thresholds(p_question, p_best, gold, answerable, groups) -> tuple[float, float]:
    """`answerable_min` keeps false refusals within the bound in every group (size × set) with enough
    answerable questions, so the worst regime sets it; `direct_min` as described above."""
    bounds = []
    for group in set(groups):
        ordered = np.sort(p_question[answerable & (groups == group)])
        if len(ordered) >= MIN_GROUP:
            bounds.append(float(ordered[int(np.floor(FALSE_REFUSALS_MAX * len(ordered)))]))
    answerable_min = min(bounds) - 1e-9
    return direct_threshold(p_best, gold, p_question >= answerable_min), answerable_min


def direct_threshold(p_best: np.ndarray, gold: np.ndarray, accepted: np.ndarray) -> float:
    """The lowest first-citation probability above which at most WRONG_DIRECT_MAX of the accepted
    questions' first candidates are wrong."""
    for t in np.unique(p_best[accepted]):
        chosen = accepted & (p_best >= t)
        if 1 - np.mean(gold[chosen]) <= WRONG_DIRECT_MAX:
            return float(t)
    return 1.0


def fit(questions: list[Question]) -> RelevanceModel:
    p_question, p_best, gold, answerable = out_of_fold(questions)
    groups = np.array([q.group for q in questions])
    direct_min, answerable_min = thresholds(p_question, p_best, gold, answerable, groups)
    refused = p_question < answerable_min
    print(
        f"  out of fold: false refusals {np.mean(refused[answerable]):.3f}, out of scope refused "
        f"{np.mean(refused[~answerable]):.3f}, best candidate gold {np.mean(gold[answerable]):.3f}"
    )
    accepted = ~refused
    direct = accepted & (p_best >= direct_min)
    print(f"  direct {np.mean(direct[answerable]):.3f} of answerable, wrong {1 - np.mean(gold[direct]):.3f}")
    for group in sorted(set(groups)):
        mine = answerable & (groups == group)
        print(f"    {group}: first candidate gold {np.mean(gold[mine]):.3f} ({mine.sum()} answerable)")
    candidate = fit_candidates(questions)
    ranked = [ranked_by(candidate, q) for q in questions]
    weights = balanced(questions)
    question = fit_questions([r for r, _ in ranked], np.array([q.answerable for q in questions]), weights)
    return RelevanceModel(candidate, question, direct_min, answerable_min, fit_first(ranked, weights))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--train", action="append", type=Path, required=True)
    parser.add_argument("--index", action="append", type=Path, required=True)
    parser.add_argument("--examples", action="store_true", help="first rewrite the answered examples")
    parser.add_argument("--kind", choices=("hybrid", "lexical"), action="append", help="refit only these")
    parser.add_argument("--cache", type=Path, help="keep the candidate pools here (delete after changing features)")
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "regstudy" / "resources" / MODEL_FILE)
    args = parser.parse_args()
    if any(p.name.startswith("fresh-") for p in args.train):
        parser.error("the fresh-* sets are frozen evaluation sets, not training data")
    if args.examples:
        print("[examples]")
        write_examples(args.train, args.index[-1], REPO_ROOT / "regstudy" / "resources" / EXAMPLES_FILE)
        forget_bundled()
    fitted = json.loads(args.out.read_text(encoding="utf-8")) if args.out.exists() else {}
    for kind, lexical_only in (("hybrid", False), ("lexical", True)):
        if args.kind and kind not in args.kind:
            continue
        print(f"[{kind}]")
        questions = [q for data_dir in args.index for q in cached_questions(args, data_dir, lexical_only)]
        model = fit(questions)
        write_fitted(model, (model.candidate, model.question, model.first), fitted, kind, args.out)
    return 0


def write_fitted(model: RelevanceModel, parts: tuple, fitted: dict, kind: str, out: Path) -> None:
    """Print a refitted model's coefficients and thresholds, and write it into the model file."""
    fitted[kind] = model.to_dict()
    for part in parts:
        print("  " + ", ".join(f"{n} {c:+.2f}" for n, c in zip(part.names, part.coef, strict=True)))
    print(f"  direct ≥ {model.direct_min:.3f}, answerable ≥ {model.answerable_min:.3f}")
    out.write_text(json.dumps(fitted, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    raise SystemExit(main())
