"""Web app benchmark: start-up time, /ask latency, time to first token and app memory (not a test).

Usage (from the repository root):

    .venv/bin/python benchmarks/bench_app.py [--launches 3] [--asks 100] [--browser-questions 10]

corpus/ is ingested once into a temporary data dir, then the real app (`python app.py`, LLM off) is
started as a subprocess on a free port, L times afresh: [1] seconds until `GET /` answers 200. The
last launch also serves [2] `/ask` over HTTP with gradio_client (5 warm-up calls, then N calls cycling
over eval/dev.jsonl; the same calls over plain REST for comparison), [3] questions in Chromium
(Playwright, /usr/bin/chromium; a MutationObserver attached by a capturing click listener on #rs-ask
records with performance.now() when the first assistant message and the first .rs-cite/.rs-refused
appear in #rs-chat; a new conversation each time) and [4] the app's VmHWM / VmRSS from
/proc/<pid>/status. Apps are always terminated. Exit code 1 if a target is missed.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import numpy as np
from bench_ask import DEV, WARMUP_ASKS
from bench_ingest import REPO_ROOT, Row, print_table, temp_dir  # also puts REPO_ROOT on sys.path
from gradio_client import Client
from playwright.sync_api import Page, sync_playwright

from ingest.pipeline import Ingestor
from regstudy.answering.evaluation import load_cases
from regstudy.settings import load_settings

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
READY_TIMEOUT_S = 60
ANSWER_TIMEOUT_MS = 15_000
# Installed once per page: each click on #rs-ask starts a fresh measurement in window.rsBench.
INSTALL_OBSERVER = """() => {
  const chat = document.querySelector('#rs-chat');
  document.addEventListener('click', (event) => {
    if (!event.target.closest('#rs-ask')) return;
    const m = (window.rsBench = { t0: performance.now(), first: null, firstText: null, final: null });
    const observer = new MutationObserver(() => {
      const bot = chat.querySelector('[data-testid="bot"]');
      if (m.first === null && bot && bot.textContent.trim()) {
        [m.first, m.firstText] = [performance.now() - m.t0, bot.textContent.trim().slice(0, 12)];
      }
      if (m.final === null && chat.querySelector('[data-testid="bot"] :is(.rs-cite, .rs-refused)')) {
        m.final = performance.now() - m.t0;
        observer.disconnect();
      }
    });
    observer.observe(chat, { childList: true, subtree: true, characterData: true });
  }, true);  // capturing, so the observer is attached before Gradio handles the click
}"""


@dataclass
class App:
    """One running `python app.py`."""

    process: subprocess.Popen
    url: str
    log: Path
    ready_seconds: float = float("nan")

    def status_mb(self, field: str) -> float:
        """A `VmXXX:  N kB` line of /proc/<pid>/status, in MB."""
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith(f"{field}:"):
                return int(line.split()[1]) / 1024
        return float("nan")


def percentiles(values: list[float], *q: float) -> list[float]:
    """Plain floats, so that comparisons give real bools (np.False_ is not False)."""
    return [float(x) for x in np.percentile(values, q)]


# --- the app process ----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def app_env(data_dir: Path, port: int) -> dict[str, str]:
    gradio = {"GRADIO_SERVER_PORT": str(port), "REGSTUDY_SERVER_NAME": "127.0.0.1"}
    return {**os.environ, **gradio, "REGSTUDY_DATA_DIR": str(data_dir), "REGSTUDY_LLM_BASE_URL": ""}


def answers_200(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def wait_ready(app: App, started: float) -> float:
    """Seconds from `started` until GET / answers 200; raises if the app dies or times out."""
    while time.perf_counter() - started < READY_TIMEOUT_S:
        if app.process.poll() is not None:
            raise RuntimeError(f"app exited with {app.process.returncode}:\n{app.log.read_text()[-2000:]}")
        if answers_200(app.url):
            return time.perf_counter() - started
        time.sleep(0.05)
    raise RuntimeError(f"app not ready after {READY_TIMEOUT_S} s:\n{app.log.read_text()[-2000:]}")


def stop(app: App) -> None:
    if app.process.poll() is None:
        app.process.terminate()
        try:
            app.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            app.process.kill()
            app.process.wait()
    print(f"  app stopped (exit {app.process.returncode})")


@contextmanager
def running_app(data_dir: Path, log: Path) -> Iterator[App]:
    """Start the app, wait until it serves `/`, and always terminate it."""
    port = free_port()
    with log.open("w") as out:
        started = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, "app.py"], cwd=REPO_ROOT, env=app_env(data_dir, port), stdout=out, stderr=out
        )
    app = App(process, f"http://127.0.0.1:{port}/", log)
    try:
        app.ready_seconds = wait_ready(app, started)
        yield app
    finally:
        stop(app)


# --- 2: /ask over HTTP ----------------------------------------------------------------------------


def timed_calls(call: Callable[[str], object], questions: list[str], asks: int) -> tuple[list[float], list[object]]:
    """Warm-up calls, then `asks` timed calls cycling over `questions`; (ms per call, results)."""
    for question in questions[:WARMUP_ASKS]:
        call(question)
    timings, results = [], []
    for i in range(asks):
        started = time.perf_counter()
        results.append(call(questions[i % len(questions)]))
        timings.append((time.perf_counter() - started) * 1000)
    return timings, results


def rest_call(http: httpx.Client, question: str) -> str:
    """POST /gradio_api/call/ask, then GET its event stream."""
    event = http.post("gradio_api/call/ask", json={"data": [question]}).json()["event_id"]
    return http.get(f"gradio_api/call/ask/{event}").text


def bench_http(url: str, questions: list[str], asks: int) -> list[Row]:
    started = time.perf_counter()
    client = Client(url, verbose=False)
    print(f"  gradio_client.Client(): {(time.perf_counter() - started) * 1000:.0f} ms")
    timings, answers = timed_calls(lambda q: client.predict(q, api_name="/ask"), questions, asks)
    p50, p95 = percentiles(timings, 50, 95)
    malformed = sum(not (isinstance(a, dict) and {"answer", "refused", "citations"} <= a.keys()) for a in answers)
    refused = sum(isinstance(a, dict) and bool(a.get("refused")) for a in answers)
    print(f"  predict: p50 {p50:.1f}, p95 {p95:.1f}, max {max(timings):.1f} ms; {refused} refused, {malformed} bad")
    with httpx.Client(base_url=url, timeout=30) as http:
        rest, bodies = timed_calls(lambda q: rest_call(http, q), questions, asks)
    rest_p50, rest_p95 = percentiles(rest, 50, 95)
    incomplete = sum("event: complete" not in str(body) for body in bodies)
    print(f"  plain REST: p50 {rest_p50:.1f}, p95 {rest_p95:.1f} ms; {incomplete} incomplete")
    return [
        # The target is on the HTTP round trip itself; gradio_client adds a ~50 ms poll sleep of its own
        # (gradio_client/utils.py stream_sse_v1plus), shown for information.
        Row("[2] /ask HTTP round trip p50", f"{rest_p50:.1f} ms", "< 60 ms", rest_p50 < 60),
        Row("[2] /ask HTTP round trip p95", f"{rest_p95:.1f} ms"),
        Row("[2] /ask gradio_client p50 / p95", f"{p50:.1f} / {p95:.1f} ms"),
        Row("[2] /ask malformed responses", str(malformed), "0", malformed == 0),
    ]


# --- 3: time to first token in Chromium -----------------------------------------------------------


def ask_in_browser(page: Page, question: str) -> dict:
    """One question in a fresh conversation; the page-side measurement (ms from the click)."""
    page.click("#rs-new")
    page.wait_for_selector('#rs-chat [data-testid="bot"]', state="detached")
    page.fill("#rs-question textarea", question)
    page.click("#rs-ask")
    page.wait_for_function("() => window.rsBench && window.rsBench.final !== null", timeout=ANSWER_TIMEOUT_MS)
    return page.evaluate("() => window.rsBench")


def bench_browser(url: str, questions: list[str]) -> list[Row]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            started = time.perf_counter()
            page.goto(url)
            page.wait_for_selector("#rs-ask")
            print(f"  page load until #rs-ask exists: {(time.perf_counter() - started) * 1000:.0f} ms")
            page.evaluate(INSTALL_OBSERVER)
            marks = [ask_in_browser(page, q) for q in questions]
        finally:
            browser.close()
    for question, m in zip(questions, marks, strict=True):
        print(f"    first {m['first']:6.1f} ms ({m['firstText']!r}), cite/refusal {m['final']:6.1f} ms  {question}")
    first, final = [m["first"] for m in marks], [m["final"] for m in marks]
    [first_p50], [final_p50] = percentiles(first, 50), percentiles(final, 50)
    placeholders = sum(m["firstText"] == "……" for m in marks)
    print(f"  the placeholder '……' was the first assistant content {placeholders} / {len(marks)} times")
    return [
        Row("[3] first assistant content p50", f"{first_p50:.0f} ms", "< 300 ms", first_p50 < 300),
        Row("[3] first assistant content max", f"{max(first):.0f} ms"),
        Row("[3] first .rs-cite/.rs-refused p50", f"{final_p50:.0f} ms", "< 300 ms", final_p50 < 300),
        Row("[3] first .rs-cite/.rs-refused max", f"{max(final):.0f} ms"),
    ]


# --- 1 and 4: launches and memory -----------------------------------------------------------------


def memory_rows(app: App) -> list[Row]:
    peak, now = app.status_mb("VmHWM"), app.status_mb("VmRSS")
    children = Path(f"/proc/{app.process.pid}/task/{app.process.pid}/children").read_text().split()
    print(f"[4] app pid {app.process.pid}: peak RSS {peak:.0f} MB, RSS now {now:.0f} MB, child processes {children}")
    return [Row("[4] app peak RSS (VmHWM)", f"{peak:.0f} MB"), Row("[4] app RSS after runs", f"{now:.0f} MB")]


def bench_launches(data_dir: Path, logs: Path, args: argparse.Namespace) -> list[Row]:
    questions = [case.question for case in load_cases(DEV)]
    browser_questions = [questions[i * len(questions) // args.browser_questions] for i in range(args.browser_questions)]
    startups, rows = [], []
    for launch in range(1, args.launches + 1):
        print(f"[1] launch {launch}/{args.launches}")
        with running_app(data_dir, logs / f"app-{launch}.log") as app:
            startups.append(app.ready_seconds)
            print(f"  GET / → 200 after {app.ready_seconds:.2f} s; RSS {app.status_mb('VmRSS'):.0f} MB")
            if launch == args.launches:
                print(f"[2] /ask over HTTP ({WARMUP_ASKS} warm-up + {args.asks} calls over {len(questions)} questions)")
                rows += bench_http(app.url, questions, args.asks)
                print(f"[3] Chromium: {len(browser_questions)} questions, each in a new conversation")
                rows += bench_browser(app.url, browser_questions)
                rows += memory_rows(app)
    [median] = percentiles(startups, 50)
    startup_rows = [
        Row("[1] start-up min", f"{min(startups):.2f} s"),
        Row(f"[1] start-up median ({len(startups)} launches)", f"{median:.2f} s", "< 10 s", median < 10),
    ]
    return startup_rows + rows


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--launches", type=int, default=3, help="fresh app launches timed (default: 3)")
    parser.add_argument("--asks", type=int, default=100, help="timed /ask calls over HTTP (default: 100)")
    parser.add_argument("--browser-questions", type=int, default=10, help="questions asked in Chromium (default: 10)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}")
    with temp_dir("regstudy-bench-app-") as scratch:
        report = Ingestor(load_settings(data_dir=scratch / "data")).run()
        print(f"index: {report.documents} documents, {report.units} units, {report.seconds:.1f} s")
        rows = bench_launches(scratch / "data", scratch, args)
    print(f"load average at the end {os.getloadavg()[0]:.2f}")
    print_table(rows)
    return 0 if all(r.passed is not False for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
