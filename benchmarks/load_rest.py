"""Load test that measures the server, not the client (prints figures; not a test). Sessions are
asyncio tasks on one httpx.AsyncClient each, talking to the app's REST API (POST
/gradio_api/call/ask, then read the event stream): about a millisecond of client CPU per answer, where
gradio_client spent 80 ms polling in threads. Client processes can be added with --processes.

    .venv/bin/python benchmarks/load_rest.py http://127.0.0.1:7860/ --pid $(pgrep -f app.py) \\
        [--levels 1,10,50,100 --questions 10 --processes 1]

For each level (sessions asking back to back, all at once) it prints answers/s, p50/p95/max latency,
errors, and from /proc the server's CPU seconds per answer and its CPU use (1.0 = one core busy):
answers per second per core = 1 / (server CPU seconds per answer). Exit code 1 if any request failed
or p95 ≥ 1 s at 50 sessions.
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


async def ask(client: httpx.AsyncClient, question: str, fn_index: int, session_hash: str) -> None:
    """One question the way the page asks it: join the queue in the member's session, read the
    session's event stream until this event completes."""
    body = {"data": [question], "fn_index": fn_index, "session_hash": session_hash, "event_data": None,
            "trigger_id": None}  # fmt: skip
    joined = await client.post("gradio_api/queue/join", json=body)
    joined.raise_for_status()
    event_id = joined.json()["event_id"]
    async with client.stream("GET", "gradio_api/queue/data", params={"session_hash": session_hash}) as stream:
        async for line in stream.aiter_lines():
            if not line.startswith("data:"):
                continue
            message = json.loads(line.removeprefix("data:"))
            if message.get("event_id") == event_id and message.get("msg") == "process_completed":
                if not message.get("success"):
                    raise RuntimeError(str(message.get("output"))[:200])
                assert "answer" in message["output"]["data"][0]
                return
    raise RuntimeError("stream ended without an answer")


async def session(url: str, asked: list[str], fn_index: int) -> tuple[list[float], list[str]]:
    latencies, errors = [], []
    session_hash = uuid.uuid4().hex[:11]  # one member, one page: one session for all their questions
    async with httpx.AsyncClient(base_url=url, timeout=60) as client:
        for question in asked:
            started = time.perf_counter()
            try:
                await ask(client, question, fn_index, session_hash)
                latencies.append(time.perf_counter() - started)
            except Exception as error:  # a load test counts every failure, whatever its kind
                errors.append(f"{question[:20]}: {type(error).__name__}: {error}")
    return latencies, errors


def ask_fn_index(url: str) -> int:
    config = httpx.get(url.rstrip("/") + "/config", timeout=30).json()
    return next(d["id"] for d in config["dependencies"] if d.get("api_name") == "ask")


def client_process(url: str, work: list[list[str]], results) -> None:
    fn_index = ask_fn_index(url)

    async def everything() -> list[tuple[list[float], list[str]]]:
        return await asyncio.gather(*(session(url, asked, fn_index) for asked in work))

    done = asyncio.run(everything())
    results.put(([t for lat, _ in done for t in lat], [e for _, errs in done for e in errs]))


def level(url: str, sessions: int, per_session: int, processes: int, seed: int) -> tuple[list[float], list[str], float]:
    pool, rng = questions(), random.Random(seed)
    work = [rng.sample(pool, per_session) for _ in range(sessions)]
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    shares = [work[i::processes] for i in range(processes) if work[i::processes]]
    started = time.perf_counter()
    workers = [context.Process(target=client_process, args=(url, share, results)) for share in shares]
    for worker in workers:
        worker.start()
    collected = [results.get() for _ in workers]
    wall = time.perf_counter() - started
    for worker in workers:
        worker.join()
    return sorted(t for lat, _ in collected for t in lat), [e for _, errs in collected for e in errs], wall


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--pid", type=int, required=True, help="the app's process id, for its CPU time")
    parser.add_argument("--levels", default="1,10,50,100")
    parser.add_argument("--questions", type=int, default=10)
    parser.add_argument("--processes", type=int, default=1)
    args = parser.parse_args(argv)
    print(f"{'sessions':>8} {'answers':>7} {'errors':>6} {'ans/s':>6} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7} "
          f"{'srv CPU ms/ans':>14} {'srv cores':>9} {'ans/s/core':>10}")  # fmt: skip
    ok = True
    for n, sessions in enumerate(int(s) for s in args.levels.split(",")):
        cpu_before = cpu_seconds(args.pid)
        latencies, errors, wall = level(args.url, sessions, args.questions, args.processes, n)
        cpu = cpu_seconds(args.pid) - cpu_before
        p95 = latencies[int(0.95 * (len(latencies) - 1))] if latencies else float("inf")
        answered = max(len(latencies), 1)
        print(f"{sessions:8d} {len(latencies):7d} {len(errors):6d} {len(latencies) / wall:6.1f} "
              f"{statistics.median(latencies) * 1000 if latencies else 0:7.0f} {p95 * 1000:7.0f} "
              f"{(latencies[-1] if latencies else 0) * 1000:7.0f} {cpu / answered * 1000:14.1f} "
              f"{cpu / wall:9.2f} {answered / cpu if cpu else 0:10.1f}")  # fmt: skip
        for error in errors[:5]:
            print("  error:", error)
        ok = ok and not errors and (sessions != 50 or p95 < 1)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
