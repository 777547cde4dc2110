"""Load test (not a test): S concurrent sessions × Q questions each against one running app process,
through gradio_client's `/ask` endpoint. Prints errors, latency p50/p95/max and the app's RSS
sampled during the run (start, peak, end).

Usage (from the repository root, with the app running):

    .venv/bin/python benchmarks/load_app.py http://127.0.0.1:7860/ --pid $(pgrep -f app.py) \\
        [--sessions 50 --questions 10 --processes 1 --think 0]

Questions come from eval/dev.jsonl and eval/heldout.jsonl, each session taking its own shuffled
slice. All sessions connect first (a `Client` each, as members open the page), then ask together;
the timed part is the questions. `--think S` waits a random 0–S seconds before a session's first
question and 0.5·S–1.5·S between the next ones (members reading the answers); the default 0 fires
them back to back, all at once: the worst case. `--processes P` spreads the sessions over P client
processes: gradio_client polls every 50 ms in two threads per request, so 50 sessions in one process
spend most of the load generator's CPU fighting over its GIL. Exit code 1 if any request failed or
p95 ≥ 1 s.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import random
import statistics
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from gradio_client import Client

REPO_ROOT = Path(__file__).resolve().parent.parent


def questions() -> list[str]:
    lines = []
    for name in ("dev.jsonl", "heldout.jsonl"):
        lines += (REPO_ROOT / "eval" / name).read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["question"] for line in lines if line.strip()]


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def session(client: Client, asked: list[str], think: float, seed: int) -> tuple[list[float], list[str]]:
    """One member: the questions in turn; (seconds per answer, errors)."""
    pause, latencies, errors = random.Random(seed), [], []
    for n, question in enumerate(asked):
        if think:
            time.sleep(pause.uniform(0.5 * think, 1.5 * think) if n else pause.uniform(0, think))
        started = time.perf_counter()
        try:
            answer = client.predict(question, api_name="/ask")
            assert isinstance(answer, dict) and "answer" in answer
            latencies.append(time.perf_counter() - started)
        except Exception as error:  # a load test counts every failure, whatever its kind
            errors.append(f"{question[:20]}: {type(error).__name__}: {error}")
    return latencies, errors


def client_process(url: str, work: list[tuple[list[str], int]], think: float, start, results) -> None:
    """Connect one Client per session, wait for every process, run the sessions in threads."""
    with ThreadPoolExecutor(max_workers=len(work)) as executor:
        clients = list(executor.map(lambda _: Client(url, verbose=False), work))
        start.wait()
        done = list(executor.map(lambda c, w: session(c, w[0], think, w[1]), clients, work))
    results.put(([t for lat, _ in done for t in lat], [e for _, errs in done for e in errs]))


def run(args: argparse.Namespace) -> tuple[list[float], list[str], float]:
    pool, rng = questions(), random.Random(0)
    work = [(rng.sample(pool, args.questions), seed) for seed in range(args.sessions)]
    context = multiprocessing.get_context("fork")
    start, results = context.Barrier(args.processes + 1), context.Queue()
    shares = [work[i :: args.processes] for i in range(args.processes)]
    workers = [context.Process(target=client_process, args=(args.url, share, args.think, start, results))
               for share in shares]  # fmt: skip
    for worker in workers:
        worker.start()
    start.wait()
    started = time.perf_counter()
    collected = [results.get() for _ in workers]
    wall = time.perf_counter() - started
    for worker in workers:
        worker.join()
    return sorted(t for lat, _ in collected for t in lat), [e for _, errs in collected for e in errs], wall


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--pid", type=int, help="the app's process id, to sample its RSS")
    parser.add_argument("--sessions", type=int, default=50)
    parser.add_argument("--questions", type=int, default=10)
    parser.add_argument("--processes", type=int, default=1, help="client processes the sessions are spread over")
    parser.add_argument("--think", type=float, default=0.0, help="mean seconds between a session's questions")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    samples: list[float] = [rss_mb(args.pid)] if args.pid else []
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.5):
            samples.append(rss_mb(args.pid))

    if args.pid:
        threading.Thread(target=sample, daemon=True).start()
    latencies, errors, wall = run(args)
    done.set()
    if args.pid:
        samples.append(rss_mb(args.pid))
    p95 = latencies[int(0.95 * (len(latencies) - 1))] if latencies else float("inf")
    print(f"{args.sessions} sessions × {args.questions} questions over {args.processes} client process(es), "
          f"think {args.think:g} s: {len(latencies)} answered, {len(errors)} errors, "
          f"{wall:.1f} s wall, {len(latencies) / wall:.1f} answers/s")  # fmt: skip
    if latencies:
        print(f"latency p50 {statistics.median(latencies) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, "
              f"max {latencies[-1] * 1000:.0f} ms")  # fmt: skip
    if samples:
        print(f"app RSS: start {samples[0]:.0f} MB, peak {max(samples):.0f} MB, end {samples[-1]:.0f} MB")
    for error in errors[:10]:
        print("  error:", error)
    return 0 if not errors and p95 < 1 else 1


if __name__ == "__main__":
    sys.exit(main())
