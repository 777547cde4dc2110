"""Score the assistant on a question set (format: ../shared/eval/README.md): hit@1, hit@3, MRR,
refusal accuracy, quote exactness, `answer_contains` facts and latency."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from regstudy.answering.answers import Answer, Citation
from regstudy.errors import RegStudyError
from regstudy.records import DocumentInfo


class EvalFileError(RegStudyError):
    def __init__(self, path: Path, line: int, reason: str) -> None:
        super().__init__(f"{path.name} 第{line}行格式不对：{reason}")


@dataclass(frozen=True)
class Case:
    id: str
    question: str
    gold: tuple[tuple[str, int], ...]
    kind: str = ""
    answer_contains: tuple[str, ...] = ()


@dataclass
class Report:
    questions: int = 0
    hit_at_1: float = 0.0
    hit_at_3: float = 0.0
    mrr: float = 0.0
    refusal_accuracy: float = 0.0
    quote_exactness: float = 0.0
    answer_contains: float = 1.0
    latency_ms_p50: float = 0.0
    latency_ms_p95: float = 0.0
    by_kind: dict[str, dict[str, float]] = field(default_factory=dict)
    failures: list[dict[str, Any]] = field(default_factory=list)


def load_cases(path: Path) -> list[Case]:
    cases = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            gold = tuple((str(doc), int(article)) for doc, article in data.get("gold", []))
            cases.append(
                Case(
                    str(data.get("id", number)),
                    data["question"],
                    gold,
                    data.get("kind", ""),
                    tuple(data.get("answer_contains", ())),
                )
            )
        except (ValueError, KeyError, TypeError) as error:
            raise EvalFileError(path, number, str(error)) from error
    return cases


class GoldMatcher:
    """Whether a citation is one of a case's gold `[document, article]` pairs (names or aliases)."""

    def __init__(self, documents: list[DocumentInfo]) -> None:
        self.documents = documents

    def doc_id(self, name: str) -> str | None:
        exact = [d.id for d in self.documents if name in d.names() or name == d.id]
        return exact[0] if exact else next((d.id for d in self.documents if name in d.title), None)

    def rank(self, case: Case, citations: tuple[Citation, ...]) -> int | None:
        gold = {(self.doc_id(doc), article) for doc, article in case.gold}
        for rank, citation in enumerate(citations, 1):
            if (citation.unit.doc_id, citation.unit.article) in gold:
                return rank
        return None


def evaluate(assistant: Any, cases: list[Case]) -> Report:
    """Ask every question (each in a fresh conversation) and score the answers."""
    matcher = GoldMatcher(assistant.kb.documents)
    results = []
    for case in cases:
        start = time.perf_counter()
        answer: Answer = assistant.ask(case.question)
        results.append((case, answer, (time.perf_counter() - start) * 1000))
    return score(results, matcher, assistant.kb.by_id)


def score(results: list[tuple[Case, Answer, float]], matcher: GoldMatcher, units: dict) -> Report:
    report = Report(questions=len(results))
    if not results:
        return report
    answerable = [(c, a) for c, a, _ in results if c.gold]
    ranks = [matcher.rank(c, a.citations) for c, a in answerable]
    report.hit_at_1 = _share(r == 1 for r in ranks)
    report.hit_at_3 = _share(r is not None and r <= 3 for r in ranks)
    report.mrr = float(np.mean([1 / r if r else 0.0 for r in ranks])) if ranks else 0.0
    report.refusal_accuracy = _share(a.refused == (not c.gold) for c, a, _ in results)
    quotes = [c.quote in units[c.unit.id].text for _, a, _ in results for c in a.citations]
    report.quote_exactness = _share(quotes) if quotes else 1.0
    facts = [fact in a.answer for c, a, _ in results for fact in c.answer_contains]
    report.answer_contains = _share(facts) if facts else 1.0
    latencies = [ms for _, _, ms in results]
    report.latency_ms_p50, report.latency_ms_p95 = (float(np.percentile(latencies, q)) for q in (50, 95))
    report.by_kind = _by_kind(results, matcher)
    report.failures = [_failure(c, a, matcher) for c, a, _ in results if not _correct(c, a, matcher)]
    return report


def _share(flags: Any) -> float:
    values = list(flags)
    return sum(bool(v) for v in values) / len(values) if values else 0.0


def _correct(case: Case, answer: Answer, matcher: GoldMatcher) -> bool:
    if not case.gold:
        return answer.refused
    return (
        not answer.refused
        and matcher.rank(case, answer.citations) == 1
        and all(fact in answer.answer for fact in case.answer_contains)
    )


def _by_kind(results: list[tuple[Case, Answer, float]], matcher: GoldMatcher) -> dict[str, dict[str, float]]:
    kinds: dict[str, list[bool]] = {}
    for case, answer, _ in results:
        kinds.setdefault(case.kind or "-", []).append(_correct(case, answer, matcher))
    return {kind: {"questions": len(flags), "correct": _share(flags)} for kind, flags in sorted(kinds.items())}


def _failure(case: Case, answer: Answer, matcher: GoldMatcher) -> dict[str, Any]:
    return {
        "id": case.id,
        "question": case.question,
        "gold": [list(g) for g in case.gold],
        "refused": answer.refused,
        "route": answer.route,
        "cited": [f"{c.unit.doc_id}/{c.unit.article}" for c in answer.citations[:3]],
        "rank": matcher.rank(case, answer.citations),
    }
