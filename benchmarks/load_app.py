"""Load test (not a test): S concurrent sessions × Q questions each against one running app process,
through gradio_client's `/ask` endpoint. Prints errors, latency p50/p95/max and the app's RSS
sampled during the run (start, peak, end).

Usage (from the repository root, with the app running):

    .venv/bin/python benchmarks/load_app.py http://127.0.0.1:7860/ --pid $(pgrep -f app.py) \\
        [--sessions 50 --questions 10]

Questions come from eval/dev.jsonl and eval/heldout.jsonl, each session taking its own shuffled
slice. All sessions connect first (a `Client` each, as members open the page), then ask together;
the timed part is the questions. `--think S` waits a random 0.5·S–1.5·S seconds between a session's
questions (a member reading the answer); the default 0 fires them back to back, the worst case.
Exit code 1 if any request failed or p95 ≥ 1 s.
"""

from __future__ import annotations

import argparse
import json
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


def session(
    client: Client, asked: list[str], think: float, start: threading.Barrier, latencies: list[float], errors: list[str]
) -> None:
    pause = random.Random(id(client))
    start.wait()
    for n, question in enumerate(asked):
        if think and n:
            time.sleep(pause.uniform(0.5 * think, 1.5 * think))
        started = time.perf_counter()
        try:
            answer = client.predict(question, api_name="/ask")
            assert isinstance(answer, dict) and "answer" in answer
            latencies.append(time.perf_counter() - started)
        except Exception as error:  # a load test counts every failure, whatever its kind
            errors.append(f"{question[:20]}: {type(error).__name__}: {error}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--pid", type=int, help="the app's process id, to sample its RSS")
    parser.add_argument("--sessions", type=int, default=50)
    parser.add_argument("--questions", type=int, default=10)
    parser.add_argument("--think", type=float, default=0.0, help="mean seconds between a session's questions")
    args = parser.parse_args(argv)
    pool, rng = questions(), random.Random(0)
    latencies: list[float] = []
    errors: list[str] = []
    samples: list[float] = [rss_mb(args.pid)] if args.pid else []
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.5):
            samples.append(rss_mb(args.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    if args.pid:
        sampler.start()
    with ThreadPoolExecutor(max_workers=args.sessions) as executor:
        clients = list(executor.map(lambda _: Client(args.url, verbose=False), range(args.sessions)))
    start = threading.Barrier(args.sessions + 1)
    with ThreadPoolExecutor(max_workers=args.sessions) as executor:
        for client in clients:
            executor.submit(session, client, rng.sample(pool, args.questions), args.think, start, latencies, errors)
        start.wait()
        started = time.perf_counter()
    wall = time.perf_counter() - started
    done.set()
    if args.pid:
        samples.append(rss_mb(args.pid))
    latencies.sort()
    p95 = latencies[int(0.95 * (len(latencies) - 1))] if latencies else float("inf")
    print(f"{args.sessions} sessions × {args.questions} questions: {len(latencies)} answered, {len(errors)} errors, "
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
