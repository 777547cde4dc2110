"""Load test that measures the server, not the client (prints figures; not a test). Sessions are
asyncio tasks sharing one httpx.AsyncClient, POSTing to the app's plain REST API (`POST /api/ask`,
`{"question": …}`): about a millisecond of client CPU per answer, where gradio_client spent 80 ms
polling in threads. Client processes can be added with --processes (use 2 from 100 sessions on: one
process opening 100 connections at once saw connect stalls of seconds). With --via gradio the
sessions ask Gradio's `/ask` endpoint instead (/gradio_api/run/ask, one session hash each).

    .venv/bin/python benchmarks/load_rest.py http://127.0.0.1:7860/ --pid $(pgrep -f app.py) \\
        [--levels 1,10,50,100 --questions 10 --processes 1 --via rest]

For each level (sessions asking back to back, all at once) it prints answers/s, p50/p95/max latency,
errors, and from /proc the server's CPU seconds per answer and its CPU use (1.0 = one core busy):
answers per second per core = 1 / (server CPU seconds per answer). "p95 later" leaves out each
session's first question, which over --via gradio also pays for Gradio's per-session state (every
component's config, about 11 ms on the event loop) at the moment all sessions start together.
Exit code 1 if any request failed or p95 ≥ 1 s at 50 sessions.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import random
import statistics
import sys
import time
import uuid
from pathlib import Path

import httpx

REPO_ROOT = Path(__file__).resolve().parent.parent
TICKS = os.sysconf("SC_CLK_TCK")


def questions() -> list[str]:
    lines = []
    for name in ("dev.jsonl", "heldout.jsonl"):
        lines += (REPO_ROOT / "eval" / name).read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["question"] for line in lines if line.strip()]


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime


async def ask(client: httpx.AsyncClient, question: str, session_hash: str) -> None:
    """One question the way an API client asks it: the REST route, or (with a session hash) Gradio's
    `/ask`, which is answered directly, outside the queue (queue=False), in the member's session."""
    if session_hash:
        answered = await client.post("gradio_api/run/ask", json={"data": [question], "session_hash": session_hash})
    else:
        answered = await client.post("api/ask", json={"question": question})
    answered.raise_for_status()
    assert "answer" in (answered.json()["data"][0] if session_hash else answered.json())


async def session(client: httpx.AsyncClient, asked: list[str], via_gradio: bool) -> tuple[list[float], list[str]]:
    latencies, errors = [], []
    session_hash = uuid.uuid4().hex[:11] if via_gradio else ""  # one member: one session for all their questions
    for question in asked:
        started = time.perf_counter()
        try:
            await ask(client, question, session_hash)
            latencies.append(time.perf_counter() - started)
        except Exception as error:  # a load test counts every failure, whatever its kind
            errors.append(f"{question[:20]}: {type(error).__name__}: {error}")
    return latencies, errors


def client_process(url: str, work: list[list[str]], via_gradio: bool, results) -> None:
    """The sessions of one client process share one connection pool, made before any timing: an
    httpx client per session cost the client a second of CPU at the start, charged to the server."""

    async def everything() -> list[tuple[list[float], list[str]]]:
        unlimited = httpx.Limits(max_connections=None, max_keepalive_connections=None)
        async with httpx.AsyncClient(base_url=url, timeout=60, limits=unlimited) as client:
            return await asyncio.gather(*(session(client, asked, via_gradio) for asked in work))

    done = asyncio.run(everything())
    results.put(([t for lat, _ in done for t in lat], [e for _, errs in done for e in errs],
                 [t for lat, _ in done for t in lat[1:]]))  # fmt: skip


def p95(latencies: list[float]) -> float:
    ordered = sorted(latencies)
    return ordered[int(0.95 * (len(ordered) - 1))] if ordered else float("inf")


def level(url: str, sessions: int, per_session: int, processes: int, seed: int, via_gradio: bool) -> tuple:
    pool, rng = questions(), random.Random(seed)
    work = [rng.sample(pool, per_session) for _ in range(sessions)]
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    shares = [work[i::processes] for i in range(processes) if work[i::processes]]
    started = time.perf_counter()
    workers = [context.Process(target=client_process, args=(url, share, via_gradio, results)) for share in shares]
    for worker in workers:
        worker.start()
    collected = [results.get() for _ in workers]
    wall = time.perf_counter() - started
    for worker in workers:
        worker.join()
    later = [t for _, _, rest in collected for t in rest]
    return sorted(t for lat, _, _ in collected for t in lat), [e for _, errs, _ in collected for e in errs], wall, later


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--pid", type=int, required=True, help="the app's process id, for its CPU time")
    parser.add_argument("--levels", default="1,10,50,100")
    parser.add_argument("--questions", type=int, default=10)
    parser.add_argument("--processes", type=int, default=1)
    parser.add_argument("--via", choices=["rest", "gradio"], default="rest", help="POST /api/ask or Gradio's /ask")
    args = parser.parse_args(argv)
    print(f"{'sessions':>8} {'answers':>7} {'errors':>6} {'ans/s':>6} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7} "
          f"{'srv CPU ms/ans':>14} {'srv cores':>9} {'ans/s/core':>10} {'p95 later ms':>12}")  # fmt: skip
    ok = True
    for n, sessions in enumerate(int(s) for s in args.levels.split(",")):
        cpu_before = cpu_seconds(args.pid)
        latencies, errors, wall, later = level(
            args.url, sessions, args.questions, args.processes, n, args.via == "gradio"
        )
        cpu = cpu_seconds(args.pid) - cpu_before
        slowest = p95(latencies)
        answered = max(len(latencies), 1)
        print(f"{sessions:8d} {len(latencies):7d} {len(errors):6d} {len(latencies) / wall:6.1f} "
              f"{statistics.median(latencies) * 1000 if latencies else 0:7.0f} {slowest * 1000:7.0f} "
              f"{(latencies[-1] if latencies else 0) * 1000:7.0f} {cpu / answered * 1000:14.1f} "
              f"{cpu / wall:9.2f} {answered / cpu if cpu else 0:10.1f} {p95(later) * 1000:12.0f}")  # fmt: skip
        for error in errors[:5]:
            print("  error:", error)
        ok = ok and not errors and (sessions != 50 or slowest < 1)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
