"""The one scale benchmark: ingest, query and app figures for three knowledge-base sizes (not a test).

Usage (from the repository root):

    .venv/bin/python benchmarks/bench_scale.py --large ../shared/corpus-large [--sizes 5000,20000]

For each knowledge base — the two documents of corpus/, then corpus/ plus a seeded sample of
corpus-large files holding at least N articles for each N in --sizes — in its own temporary data dir:

1. cold ingest: `python -m ingest corpus/ <sample>` into an empty data dir (no embedding cache), Python
   start-up and model load included; wall time and the child's peak RSS;
2. the same command again, nothing changed;
3. in-process query latency: a fresh child process opens the answering service (LLM off), warms up, then asks
   every question of eval/dev.jsonl + eval/heldout.jsonl `--rounds` times; p50/p95 and its peak RSS;
4. the real app (`python app.py`, LLM off): start-up until `GET /` answers 200, then `/ask` over HTTP
   (plain REST `/gradio_api/call/ask`, `--asks` calls) p50/p95, and the app's peak RSS (VmHWM).

Prints one table per size as it goes and a side-by-side summary at the end. Exit code 1 if a run failed.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

import httpx
from bench_app import percentiles, rest_call, running_app, timed_calls
from bench_ask import DEV, HELDOUT, measure_latency, peak_rss_mb, questions_of, timed_open
from bench_ingest import REPO_ROOT, ChildRun, copy_files, run_ingest, run_measured, sample_articles, temp_dir

from regstudy.answering.evaluation import load_cases
from regstudy.settings import load_settings

CORPUS = REPO_ROOT / "corpus"


@dataclass
class Figures:
    """Everything measured for one knowledge base."""

    name: str
    units: int = 0
    cold_s: float = float("nan")
    cold_rss: float = float("nan")
    rerun_s: float = float("nan")
    rerun_rss: float = float("nan")
    open_s: float = float("nan")
    query_p50: float = float("nan")
    query_p95: float = float("nan")
    query_rss: float = float("nan")
    startup_s: float = float("nan")
    http_p50: float = float("nan")
    http_p95: float = float("nan")
    app_rss: float = float("nan")
    failed: str = ""


def all_questions() -> list[str]:
    return questions_of(load_cases(DEV) + load_cases(HELDOUT))


# --- 3: the in-process child ----------------------------------------------------------------------


def query_child(data_dir: Path, rounds: int) -> None:
    """Runs in its own process: open the assistant, time every question; one JSON line on stdout."""
    assistant, open_s = timed_open(load_settings(data_dir=data_dir, llm_base_url=""))
    latency = measure_latency(assistant, all_questions(), rounds, seed=0)
    result = {"units": len(assistant.kb.units), "open_s": open_s, "p50": latency.p50, "p95": latency.p95}
    print(json.dumps({**result, "rss": peak_rss_mb()}))


def measure_queries(data_dir: Path, rounds: int, figures: Figures) -> None:
    command = [sys.executable, str(Path(__file__).resolve()), "--query-child", str(data_dir)]
    run = run_measured([*command, "--rounds", str(rounds)], {**os.environ, "PYTHONPATH": str(REPO_ROOT)})
    if run.returncode != 0:
        figures.failed = f"query child exit {run.returncode}: {run.stderr[-500:]}"
        return
    result = json.loads(run.stdout.strip().splitlines()[-1])
    figures.units, figures.open_s = result["units"], result["open_s"]
    figures.query_p50, figures.query_p95, figures.query_rss = result["p50"], result["p95"], run.peak_rss_mb
    print(f"  open {figures.open_s:.2f} s; p50 {figures.query_p50:.1f} ms, p95 {figures.query_p95:.1f} ms")


# --- 4: the app over HTTP -------------------------------------------------------------------------


def measure_app(data_dir: Path, logs: Path, asks: int, figures: Figures) -> None:
    questions = all_questions()
    with running_app(data_dir, logs / f"app-{figures.name}.log") as app:
        figures.startup_s = app.ready_seconds
        with httpx.Client(base_url=app.url, timeout=60) as http:
            timings, bodies = timed_calls(lambda q: rest_call(http, q), questions, asks)
        figures.http_p50, figures.http_p95 = percentiles(timings, 50, 95)
        figures.app_rss = app.status_mb("VmHWM")
    incomplete = sum("event: complete" not in str(body) for body in bodies)
    if incomplete:
        figures.failed = f"{incomplete} of {asks} /ask calls did not complete"
    print(f"  start-up {figures.startup_s:.2f} s; /ask p50 {figures.http_p50:.1f} ms, p95 {figures.http_p95:.1f} ms")


# --- one knowledge base ---------------------------------------------------------------------------


def record_ingest(run: ChildRun, figures: Figures, cold: bool) -> None:
    if cold:
        figures.cold_s, figures.cold_rss = run.seconds, run.peak_rss_mb
    else:
        figures.rerun_s, figures.rerun_rss = run.seconds, run.peak_rss_mb
    if run.returncode != 0:
        figures.failed = f"ingest exit {run.returncode}"


def bench_size(name: str, sources: list[Path], scratch: Path, args: argparse.Namespace) -> Figures:
    figures, data_dir = Figures(name), scratch / "data"
    print(f"[{name}] 1. cold ingest")
    record_ingest(run_ingest(data_dir, sources), figures, cold=True)
    print(f"[{name}] 2. unchanged re-run")
    record_ingest(run_ingest(data_dir, sources), figures, cold=False)
    if figures.failed:
        return figures
    print(f"[{name}] 3. in-process queries ({args.rounds} rounds)")
    measure_queries(data_dir, args.rounds, figures)
    print(f"[{name}] 4. app start-up and /ask over HTTP ({args.asks} calls)")
    measure_app(data_dir, scratch, args.asks, figures)
    return figures


def bench_sample(large: Path, wanted: int, args: argparse.Namespace) -> Figures:
    sample = sample_articles(large, wanted, args.seed)
    print(f"[~{wanted}] sample: {len(sample.files)} files, {len(sample.articles)} articles (seed {args.seed})")
    with temp_dir("regstudy-bench-scale-") as scratch:
        copy_files(sample.files, large, scratch / "files")
        return bench_size(f"~{wanted}", [CORPUS, scratch / "files"], scratch, args)


# --- report ---------------------------------------------------------------------------------------

ROWS = [
    ("units in the index", "units", "{:.0f}"),
    ("cold ingest", "cold_s", "{:.1f} s"),
    ("cold ingest peak RSS", "cold_rss", "{:.0f} MB"),
    ("unchanged re-run", "rerun_s", "{:.1f} s"),
    ("unchanged re-run peak RSS", "rerun_rss", "{:.0f} MB"),
    ("open_assistant", "open_s", "{:.2f} s"),
    ("query p50 in-process", "query_p50", "{:.1f} ms"),
    ("query p95 in-process", "query_p95", "{:.1f} ms"),
    ("in-process peak RSS", "query_rss", "{:.0f} MB"),
    ("app start-up (GET / → 200)", "startup_s", "{:.2f} s"),
    ("/ask p50 over HTTP", "http_p50", "{:.1f} ms"),
    ("/ask p95 over HTTP", "http_p95", "{:.1f} ms"),
    ("app peak RSS", "app_rss", "{:.0f} MB"),
]


def print_summary(all_figures: list[Figures]) -> None:
    header = ["", *(f.name for f in all_figures)]
    lines = [header, ["---"] * len(header)]
    for label, field, fmt in ROWS:
        lines.append([label, *(fmt.format(getattr(f, field)) for f in all_figures)])
    print()
    for line in lines:
        print("| " + " | ".join(line) + " |")
    for f in all_figures:
        if f.failed:
            print(f"FAILED {f.name}: {f.failed}")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--large", type=Path, help="corpus-large folder (without it: the two documents only)")
    parser.add_argument("--sizes", default="5000,20000", help="articles per large KB (default: 5000,20000)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the corpus-large sample (default: 0)")
    parser.add_argument("--rounds", type=int, default=3, help="in-process rounds over all questions (default: 3)")
    parser.add_argument("--asks", type=int, default=100, help="/ask calls over HTTP (default: 100)")
    parser.add_argument("--query-child", type=Path, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.query_child:
        query_child(args.query_child, args.rounds)
        return 0
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}")
    with temp_dir("regstudy-bench-scale-") as scratch:
        results = [bench_size("two documents", [CORPUS], scratch, args)]
    for wanted in [int(n) for n in args.sizes.split(",")] if args.large else []:
        results.append(bench_sample(args.large, wanted, args))
    print_summary(results)
    print(json.dumps([asdict(f) for f in results], ensure_ascii=False))
    return 1 if any(f.failed for f in results) else 0


if __name__ == "__main__":
    sys.exit(main())
