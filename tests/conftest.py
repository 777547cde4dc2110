"""Shared fixtures: real settings on a temporary data dir, the real corpus, the real model."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from ingest.pipeline import Ingestor
from regstudy.answering.service import Assistant
from regstudy.composition import open_assistant
from regstudy.kb import model_fetch
from regstudy.kb.knowledge_base import KnowledgeBase
from regstudy.settings import REPO_ROOT, Settings, load_settings

FIXTURES = Path(__file__).parent / "fixtures"
CORPUS = REPO_ROOT / "corpus"
GUIDING_TXT = CORPUS / "党员网络行为规定.txt"
YIJIAN_TXT = CORPUS / "关于规范党员干部网络行为的意见.txt"
EVAL = REPO_ROOT / "eval"


def pytest_configure(config: pytest.Config) -> None:
    if not model_fetch.is_installed(load_settings().model_dir):
        raise pytest.UsageError("向量模型未安装：请用 `make test`（或先 `python -m regstudy fetch-model`）。")


def make_settings(tmp_path: Path, **overrides: object) -> Settings:
    return load_settings(data_dir=tmp_path / "data", **overrides)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path)


@pytest.fixture
def corpus_copy(tmp_path: Path) -> Path:
    """A writable copy of the corpus with its manifest, for tests that change files."""
    folder = tmp_path / "corpus"
    shutil.copytree(CORPUS, folder)
    return folder


@pytest.fixture(scope="session")
def corpus_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Settings whose data dir holds the real two-document corpus, ingested once with the real model."""
    settings = make_settings(tmp_path_factory.mktemp("kb"))
    report = Ingestor(settings).run()
    assert report.ok, report.failures
    return settings


@pytest.fixture(scope="session")
def corpus_kb(corpus_settings: Settings) -> KnowledgeBase:
    return KnowledgeBase.open(corpus_settings)


@pytest.fixture(scope="session")
def assistant(corpus_settings: Settings) -> Assistant:
    """The real answering service (extractive, no LLM) over the real corpus."""
    return open_assistant(corpus_settings)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Debian's Chromium through Playwright (never `playwright install`), one per test module (its
    event loop runs in the main thread while it is open)."""
    from playwright.sync_api import sync_playwright

    args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=args)
        yield browser
        browser.close()


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def served_app(corpus_settings: Settings) -> Iterator[str]:
    """The real app (`python app.py`) serving the real corpus on a free port; yields its URL."""
    yield from serve(corpus_settings.data_dir)


APP_LOGS: dict[str, Path] = {}  # URL → the log file of the app serving it


def serve(data_dir: Path, host: str = "127.0.0.1", **env_overrides: str) -> Iterator[str]:
    """Run `python app.py` on a free port over `data_dir` until the generator is closed; its stdout
    and stderr go to APP_LOGS[url]."""
    import os
    import subprocess
    import sys
    import time
    import urllib.request

    port = free_port()
    env = {
        **os.environ,
        "REGSTUDY_DATA_DIR": str(data_dir),
        "GRADIO_SERVER_PORT": str(port),
        "REGSTUDY_SERVER_NAME": host,
        "REGSTUDY_LLM_BASE_URL": "",
        **env_overrides,
    }
    log = data_dir.parent / f"app-{port}.log"  # a file, not a pipe: a full pipe would stall the app
    with log.open("w") as sink:
        process = subprocess.Popen([sys.executable, "app.py"], cwd=REPO_ROOT, env=env, stdout=sink, stderr=sink)
    url = f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"
    APP_LOGS[url] = log
    deadline = time.monotonic() + 90
    try:
        while True:
            try:
                urllib.request.urlopen(url, timeout=2)
                break
            except OSError as error:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"app did not start: {log.read_text()[-2000:]}") from error
                time.sleep(0.3)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)
