"""Against a real Chroma server (`chroma run`, from the chromadb package, on loopback): ingest and
ask work as with the embedded store, two app processes sharing the server answer the same, and a
server that stops gives a clear error and is used again, without a restart, once it is back."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import free_port, make_settings, serve
from gradio_client import Client
from test_ingest import kill_ingest_midway

from ingest.pipeline import Ingestor
from regstudy.composition import open_assistant
from regstudy.errors import VectorStoreUnavailableError
from regstudy.kb.knowledge_base import KnowledgeBase
from regstudy.kb.vector_store import VectorStore
from regstudy.settings import REPO_ROOT

CHROMA = Path(sys.executable).parent / "chroma"
QUESTION = "党员可以访问境外网站吗？"


class ChromaServer:
    def __init__(self, folder: Path) -> None:
        self.folder, self.port, self.process = folder, free_port(), None

    def start(self) -> None:
        command = [str(CHROMA), "run", "--path", str(self.folder), "--host", "127.0.0.1", "--port", str(self.port)]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/api/v2/heartbeat", timeout=1)
                return
            except OSError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise RuntimeError("chroma run did not start") from None
                time.sleep(0.2)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=20)


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[ChromaServer]:
    running = ChromaServer(tmp_path_factory.mktemp("chroma-server"))
    running.start()
    yield running
    running.stop()


@pytest.fixture(scope="module")
def server_settings(server, tmp_path_factory):
    settings = make_settings(tmp_path_factory.mktemp("kb-on-server"), chroma_host="127.0.0.1", chroma_port=server.port)
    assert Ingestor(settings).run().ok
    return settings


def collections(server: ChromaServer) -> list[str]:
    import chromadb

    client = chromadb.HttpClient(host="127.0.0.1", port=server.port)
    return sorted(c if isinstance(c, str) else c.name for c in client.list_collections())


def test_ingest_and_ask_against_the_server(server, server_settings) -> None:
    generation = (server_settings.index_dir / "CURRENT").read_text().strip()
    assert f"regstudy-{generation}" in collections(server)
    assert not (server_settings.index_dir / generation / "chroma").exists()  # the vectors live on the server
    answer = open_assistant(server_settings).ask(QUESTION)
    assert answer.citations[0].unit.id == "guiding/a13" and not answer.refused


def test_reingest_replaces_the_collection_and_drops_stale_ones(server, server_settings, tmp_path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(REPO_ROOT / "corpus", corpus)
    for n in range(3):  # three new generations: only the current one and the one before stay
        (corpus / "附加.txt").write_text(f"附加规定\n第一条 党员应当遵守第{n}项规定。\n", encoding="utf-8")
        assert Ingestor(server_settings).run([corpus]).ok
    names = [c for c in collections(server) if c.startswith("regstudy-g")]
    on_disk = {p.name for p in server_settings.index_dir.glob("g*")}
    assert {c.removeprefix("regstudy-") for c in names} == on_disk and len(names) == 2


def test_two_app_processes_sharing_the_server_answer_the_same(server, server_settings) -> None:
    Ingestor(server_settings).run()  # back to the two documents
    env = {"REGSTUDY_CHROMA_HOST": "127.0.0.1", "REGSTUDY_CHROMA_PORT": str(server.port)}
    app = contextmanager(serve)
    with app(server_settings.data_dir, **env) as first, app(server_settings.data_dir, **env) as second:
        answers = [Client(url, verbose=False).predict(QUESTION, api_name="/ask") for url in (first, second)]
    assert answers[0] == answers[1] and answers[0]["citations"][0]["id"] == "guiding/a13"


def test_kill_minus_nine_while_writing_vectors_to_the_server(tmp_path) -> None:
    """SIGKILL once the new generation's collection exists on the server (vectors being written): the
    previous collection keeps serving; the rerun replaces the half-written one; no duplicates. Its own
    server: an ingest drops the collections of generations its data dir does not hold."""
    server = ChromaServer(tmp_path / "chroma-server")
    server.start()
    try:
        kill_and_rerun_against(server, tmp_path)
    finally:
        server.stop()


def kill_and_rerun_against(server: ChromaServer, tmp_path: Path) -> None:
    env = {
        **os.environ,
        "REGSTUDY_DATA_DIR": str(tmp_path / "data"),
        "REGSTUDY_CHROMA_HOST": "127.0.0.1",
        "REGSTUDY_CHROMA_PORT": str(server.port),
    }
    settings = make_settings(tmp_path, chroma_host="127.0.0.1", chroma_port=server.port)
    corpus = tmp_path / "corpus"
    shutil.copytree(REPO_ROOT / "corpus", corpus)
    kill_ingest_midway(env, corpus, settings, ready=lambda generation: f"regstudy-{generation}" in collections(server))
    kb = KnowledgeBase.open(settings)
    assert VectorStore.open(kb.folder / "chroma", kb.model_id, settings).count() == len(kb.units)
    on_disk = {p.name for p in settings.index_dir.glob("g*")}
    assert {c.removeprefix("regstudy-") for c in collections(server)} == on_disk


def test_server_stops_and_returns(server, server_settings) -> None:
    assistant = open_assistant(server_settings)
    assert assistant.ask(QUESTION).citations[0].unit.id == "guiding/a13"
    server.stop()
    try:
        with pytest.raises(VectorStoreUnavailableError, match="暂时无法连接"):
            assistant.ask("党员能不能在网上炒作绯闻？")
    finally:
        server.start()  # same port, same data
    assert assistant.ask("党员能不能在网上炒作绯闻？").citations[0].unit.id == "guiding/a16"
