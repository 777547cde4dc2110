"""Answering benchmark: prints open time, warm `ask` latency, eval figures and peak memory (not a test).

Usage (from the repository root):

    .venv/bin/python benchmarks/bench_ask.py [--rounds 5] [--large ../shared/corpus-large] [--articles 5000]

Measures, in-process and with the LLM switched off (extractive answers only):

1. the two-document KB (corpus/ ingested into a temporary data dir): assistant open time, warm `ask`
   latency over every question of eval/dev.jsonl + eval/heldout.jsonl for R rounds (shuffled each
   round), the dev and heldout eval figures and the peak RSS of this process;
2. with --large: corpus/ plus a seeded sample of corpus-large files (≥ N articles) ingested into
   another temporary data dir: ingest time, dev and heldout eval, warm latency unscoped and scoped
   to the two documents.

Every eval lists its failures (gold articles, rank, route and what was cited instead).

Peak RSS is the process high-water mark (ru_maxrss), so the second figure includes the first and the
in-process ingest. A final table compares every figure with its target; exit code 1 if one is missed.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from bench_ingest import REPO_ROOT, Row, print_table, sample_articles, temp_dir  # also puts REPO_ROOT on sys.path

from ingest.pipeline import Ingestor
from regstudy.answering.answers import Answer
from regstudy.answering.evaluation import Case, Report, evaluate, load_cases
from regstudy.answering.service import Assistant
from regstudy.composition import open_assistant
from regstudy.settings import Settings, load_settings

DEV = REPO_ROOT / "eval" / "dev.jsonl"
HELDOUT = REPO_ROOT / "eval" / "heldout.jsonl"
CORPUS_SCOPE = ("guiding", "yijian")  # doc ids of the two corpus/ documents (corpus/manifest.toml)
WARMUP_ASKS = 5


@dataclass
class Latency:
    asks: int
    p50: float
    p95: float
    max: float


class Scoped:
    """An assistant whose every question is restricted to `scope` (so `evaluate` can score it)."""

    def __init__(self, assistant: Assistant, scope: tuple[str, ...]) -> None:
        self.assistant, self.scope, self.kb = assistant, scope, assistant.kb

    def ask(self, question: str) -> Answer:
        return self.assistant.ask(question, scope=self.scope)


# --- measuring ----------------------------------------------------------------------------------


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux


def build_kb(data_dir: Path, paths: list[Path]) -> tuple[Settings, int, float]:
    """Ingest `paths` into `data_dir` (quietly); (settings, units, seconds)."""
    settings = load_settings(data_dir=data_dir, llm_base_url="")
    report = Ingestor(settings).run(paths)
    print(f"  ingest: {report.documents} documents, {report.units} units, {report.seconds:.1f} s")
    for failure in report.failures[:5]:
        print(f"    ✗ {failure}")
    return settings, report.units, report.seconds


def timed_open(settings: Settings) -> tuple[Assistant, float]:
    started = time.perf_counter()
    assistant = open_assistant(settings)
    seconds = time.perf_counter() - started
    print(f"  open_assistant: {seconds:.2f} s ({len(assistant.kb.documents)} documents)")
    return assistant, seconds


def measure_latency(
    assistant: Assistant, questions: list[str], rounds: int, seed: int, scope: tuple[str, ...] = ()
) -> Latency:
    """Warm-up asks, then every question `rounds` times, shuffled each round; per-ask wall times."""
    for question in questions[:WARMUP_ASKS]:
        assistant.ask(question, scope=scope)
    rng, timings = random.Random(seed), []
    for _ in range(rounds):
        order = questions[:]
        rng.shuffle(order)
        for question in order:
            started = time.perf_counter()
            assistant.ask(question, scope=scope)
            timings.append((time.perf_counter() - started) * 1000)
    p50, p95 = np.percentile(timings, [50, 95])
    latency = Latency(len(timings), float(p50), float(p95), max(timings))
    label = f"scope={scope}" if scope else "unscoped"
    print(f"  warm ask ({label}, {latency.asks} asks): p50 {p50:.1f} ms, p95 {p95:.1f} ms, max {latency.max:.1f} ms")
    return latency


def run_eval(assistant: Assistant | Scoped, name: str, cases: list[Case]) -> Report:
    report = evaluate(assistant, cases)
    print(
        f"  eval {name} ({report.questions} q): hit@1 {report.hit_at_1:.3f}, hit@3 {report.hit_at_3:.3f},"
        f" MRR {report.mrr:.3f}, refusal acc {report.refusal_accuracy:.3f},"
        f" quote exactness {report.quote_exactness:.3f}, {len(report.failures)} failures"
    )
    print_failures(report)
    return report


def print_failures(report: Report) -> None:
    for f in report.failures:
        verdict = "refused" if f["refused"] else f"rank {f['rank']}"
        gold = ", ".join(f"{doc}/{article}" for doc, article in f["gold"]) or "(refusal)"
        print(f"    ✗ {f['id']} {f['question']}  gold {gold}; {verdict}, route {f['route']}, cited {f['cited']}")


def questions_of(cases: list[Case]) -> list[str]:
    return [c.question for c in cases]


# --- 1: the two-document KB ---------------------------------------------------------------------


def bench_small(dev: list[Case], heldout: list[Case], rounds: int, seed: int) -> list[Row]:
    print("[1] two-document KB (corpus/)")
    with temp_dir("regstudy-bench-ask-") as data_dir:
        settings, units, _ = build_kb(data_dir, [REPO_ROOT / "corpus"])
        assistant, open_seconds = timed_open(settings)
        latency = measure_latency(assistant, questions_of(dev + heldout), rounds, seed)
        report = run_eval(assistant, "dev", dev)
        held_report = run_eval(assistant, "heldout", heldout)
    rss = peak_rss_mb()
    print(f"  peak RSS so far: {rss:.0f} MB")
    return [
        Row("[1] units", str(units)),
        Row("[1] Assistant.open", f"{open_seconds:.2f} s"),
        Row("[1] warm ask p50", f"{latency.p50:.1f} ms", "≤ 15 ms", latency.p50 <= 15),
        Row("[1] warm ask p95", f"{latency.p95:.1f} ms", "≤ 40 ms", latency.p95 <= 40),
        Row("[1] warm ask max", f"{latency.max:.1f} ms"),
        Row("[1] dev hit@1 / hit@3 / MRR", f"{report.hit_at_1:.3f} / {report.hit_at_3:.3f} / {report.mrr:.3f}"),
        Row("[1] dev refusal accuracy", f"{report.refusal_accuracy:.3f}"),
        Row("[1] dev quote exactness", f"{report.quote_exactness:.3f}"),
        Row("[1] heldout hit@1 / hit@3", f"{held_report.hit_at_1:.3f} / {held_report.hit_at_3:.3f}"),
        Row("[1] peak RSS", f"{rss:.0f} MB"),
    ]


# --- 2: corpus/ + a corpus-large sample -----------------------------------------------------------


def bench_large(large: Path, wanted: int, dev: list[Case], heldout: list[Case], rounds: int, seed: int) -> list[Row]:
    print(f"[2] corpus/ + corpus-large sample (seed {seed}, ≥ {wanted} articles)")
    sample = sample_articles(large, wanted, seed)
    print(f"  sample: {len(sample.files)} files, {len(sample.articles)} articles, {len(sample.failed)} unreadable")
    if len(sample.articles) < wanted:
        return [Row("[2] articles available", str(len(sample.articles)), f"≥ {wanted}", False)]
    questions = questions_of(dev + heldout)
    with temp_dir("regstudy-bench-ask-large-") as data_dir:
        settings, units, ingest_seconds = build_kb(data_dir, [REPO_ROOT / "corpus", *sample.files])
        assistant, open_seconds = timed_open(settings)
        dev_report = run_eval(assistant, "dev", dev)
        held_report = run_eval(assistant, "heldout", heldout)
        latency = measure_latency(assistant, questions, rounds, seed)
        scoped = Scoped(assistant, CORPUS_SCOPE)
        scoped_dev, scoped_held = run_eval(scoped, "dev scoped", dev), run_eval(scoped, "heldout scoped", heldout)
        scoped_latency = measure_latency(assistant, questions, rounds, seed, CORPUS_SCOPE)
    rss = peak_rss_mb()
    print(f"  peak RSS so far: {rss:.0f} MB")
    hit3 = dev_report.hit_at_3
    return [
        Row("[2] sample", f"{len(sample.files)} files / {len(sample.articles)} articles"),
        Row("[2] ingest (in-process)", f"{ingest_seconds:.1f} s, {units} units"),
        Row("[2] Assistant.open", f"{open_seconds:.2f} s"),
        Row("[2] dev hit@1 / MRR", f"{dev_report.hit_at_1:.3f} / {dev_report.mrr:.3f}"),
        Row("[2] dev hit@3", f"{hit3:.3f}", "≥ 0.95", hit3 >= 0.95),
        Row("[2] dev refusal accuracy (info)", f"{dev_report.refusal_accuracy:.3f}"),
        Row("[2] heldout hit@1 / hit@3", f"{held_report.hit_at_1:.3f} / {held_report.hit_at_3:.3f}"),
        Row("[2] warm ask p50", f"{latency.p50:.1f} ms", "≤ 30 ms", latency.p50 <= 30),
        Row("[2] warm ask p95 / max", f"{latency.p95:.1f} / {latency.max:.1f} ms"),
        Row("[2] scoped ask p50 / p95", f"{scoped_latency.p50:.1f} / {scoped_latency.p95:.1f} ms"),
        Row("[2] scoped dev / heldout hit@3", f"{scoped_dev.hit_at_3:.3f} / {scoped_held.hit_at_3:.3f}"),
        Row("[2] peak RSS", f"{rss:.0f} MB"),
    ]


# --- main -----------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="latency rounds over all questions (default: 5)")
    parser.add_argument("--large", type=Path, help="corpus-large folder (enables the big-KB benchmark)")
    parser.add_argument("--articles", type=int, default=5000, help="articles in the big-KB sample (default: 5000)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the sample and the shuffles (default: 0)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}")
    dev, heldout = load_cases(DEV), load_cases(HELDOUT)
    print(f"questions: {len(dev)} dev + {len(heldout)} heldout, {args.rounds} latency rounds")
    rows = bench_small(dev, heldout, args.rounds, args.seed)
    if args.large:
        rows += bench_large(args.large, args.articles, dev, heldout, args.rounds, args.seed)
    print_table(rows)
    return 0 if all(r.passed is not False for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
