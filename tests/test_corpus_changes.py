"""Corpus changes are transactional: two admin processes publishing at once never corrupt the
manifest or leave a document half in; a publish killed at any step is finished or undone on the next
start; a failing publish changes nothing; files are named after ids; one bad file fails alone."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import threading
import zipfile
from pathlib import Path

import pytest
from conftest import FIXTURES, make_settings

from ingest import manifest
from ingest.corpus_changes import LAST_GOOD
from ingest.library import Library, UploadError
from ingest.manifest import Manifest
from ingest.pipeline import Ingestor
from regstudy.kb import generations
from regstudy.kb.knowledge_base import KnowledgeBase
from regstudy.settings import Settings

WORKER = Path(__file__).with_name("corpus_worker.py")
TRAINING = FIXTURES / "党员教育培训示例办法.txt"


@pytest.fixture
def library(tmp_path: Path, corpus_copy: Path) -> Library:
    settings = make_settings(tmp_path, corpus_dir=corpus_copy, embedding_model="none")
    assert Ingestor(settings).run().ok
    return Library(settings)


def state(settings: Settings) -> tuple[dict[str, str], set[str], dict[str, int]]:
    """Manifest (id → file), corpus files, index (doc id → units)."""
    listed = {d.id: d.source for d in Manifest.load(settings.manifest_path).by_source.values()}
    files = {p.name for p in settings.corpus_dir.iterdir() if p.suffix == ".txt"}
    kb = KnowledgeBase.open(settings)
    return listed, files, {d.id: len(kb.units_of(d.id)) for d in kb.documents}


def fully_in(settings: Settings, doc_id: str) -> bool:
    listed, files, indexed = state(settings)
    return doc_id in listed and listed[doc_id] in files and indexed.get(doc_id, 0) > 0


def fully_out(settings: Settings, doc_id: str) -> bool:
    listed, files, indexed = state(settings)
    named = re.compile(re.escape(doc_id) + r"(-\d+)?\.txt")
    return doc_id not in listed and not any(named.fullmatch(f) for f in files) and doc_id not in indexed


def run_worker(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, str(WORKER), *args], stderr=subprocess.PIPE, text=True)


def test_two_processes_publishing_at_once_keep_everything_whole(library: Library) -> None:
    settings, rounds = library.settings, 20
    unreadable: list[str] = []
    done = threading.Event()

    def watch_manifest() -> None:  # the manifest must parse at every moment, not only at the end
        while not done.is_set():
            if not manifest.parses(settings.manifest_path.read_text(encoding="utf-8")):
                unreadable.append(settings.manifest_path.read_text(encoding="utf-8"))

    watcher = threading.Thread(target=watch_manifest)
    watcher.start()
    workers = [run_worker("publish", str(settings.data_dir), str(settings.corpus_dir), n, str(rounds)) for n in "ab"]
    errors = [w.communicate(timeout=600)[1] for w in workers]
    done.set()
    watcher.join()
    assert [w.returncode for w in workers] == [0, 0], errors
    assert not unreadable
    for name in "ab":
        for r in range(rounds):
            assert (fully_out if r % 2 else fully_in)(settings, f"{name}-{r}"), (name, r, state(settings))
    yijian = Manifest.load(settings.manifest_path).by_source["关于规范党员干部网络行为的意见.txt"]
    assert [n.number for n in yijian.numbers] == ["中宣发〔2017〕20号", "豫宣通〔2017〕70号"]  # entries kept whole
    assert library.out_of_step() == []


POINTS = ["parse", "_move_files", "_write_manifest", "_serve_generation", "_delete_files"]


@pytest.mark.parametrize("point", POINTS)
def test_a_publish_killed_at_any_step_is_undone_or_finished_on_restart(library: Library, point: str) -> None:
    settings = library.settings
    old_units = state(settings)[2]["yijian"]
    worker = run_worker("crash", str(settings.data_dir), str(settings.corpus_dir), point)
    worker.communicate(timeout=120)
    assert worker.returncode == -9
    notices = Library(settings).reconcile()
    listed, files, indexed = state(settings)
    assert listed == {"guiding": "党员网络行为规定.txt", "yijian": listed["yijian"]}
    assert listed["yijian"] in files and indexed["yijian"] > 0
    new = listed["yijian"] == "yijian.txt"
    assert new == (point != "parse")  # killed before the journal: the old 意见; after: the new one
    assert notices == (["上次的发布或删除在中途中断，启动时已按原计划完成。"] if new else [])  # nothing out of step
    assert files == {"党员网络行为规定.txt", listed["yijian"]}
    assert indexed["yijian"] == (4 if new else old_units)  # the new text: a title section and three articles


def test_a_publish_that_fails_changes_nothing(library: Library, monkeypatch) -> None:
    settings = library.settings
    before = state(settings), (settings.index_dir / "CURRENT").read_text()
    preview = library.preview(TRAINING)
    with pytest.raises(UploadError, match="标题"):
        library.publish(preview.token, "guiding", "党员" * 150, [])  # a title no file system takes
    with pytest.raises(UploadError, match="控制字符"):
        library.publish(preview.token, "guiding", "党员\x00网络", [])
    monkeypatch.setattr("ingest.pipeline.parse_source", lambda _s: 1 / 0)  # the new file fails to parse
    with pytest.raises(UploadError, match="没有改动"):
        library.publish(preview.token, "guiding", "党员网络行为规定", [])
    assert (state(settings), (settings.index_dir / "CURRENT").read_text()) == before
    assert not (settings.data_dir / "pending-change.json").exists()


def test_files_are_named_after_ids_and_never_overwrite_another_document(library: Library) -> None:
    settings = library.settings
    preview = library.preview(TRAINING)
    library.publish(preview.token, "other", "党员网络行为规定", [])  # a new id with an existing title
    listed, _files, indexed = state(settings)
    assert listed["other"] == "other.txt" and listed["guiding"] == "党员网络行为规定.txt"
    assert indexed["guiding"] > 20 and indexed["other"] > 0
    (settings.corpus_dir / "clash.txt").write_text("第一条 一个未列入清单的文件。", encoding="utf-8")
    preview = library.preview(TRAINING)
    library.publish(preview.token, "clash", "另一个办法", [])
    assert state(settings)[0]["clash"] == "clash-2.txt"
    assert (settings.corpus_dir / "clash.txt").read_text(encoding="utf-8") == "第一条 一个未列入清单的文件。"


def test_a_corrupt_manifest_is_recovered_and_a_mismatch_is_reported(library: Library) -> None:
    settings = library.settings
    Library(settings).reconcile()  # start-up keeps the good manifest as the last good copy
    good = settings.manifest_path.read_text(encoding="utf-8")
    assert (settings.data_dir / LAST_GOOD).read_text(encoding="utf-8") == good
    settings.manifest_path.write_text(good[:300] + "[[documents\nid = ", encoding="utf-8")
    (settings.corpus_dir / "新增.txt").write_text("第一条 未入库的新文件。", encoding="utf-8")
    restarted = Library(settings)
    notices = restarted.reconcile()
    assert settings.manifest_path.read_text(encoding="utf-8") == good
    assert any("已用最近一次完好的副本恢复" in n for n in notices)
    assert any("不一致" in n and "新增.txt" in n for n in notices)
    assert list(settings.data_dir.glob("manifest.corrupt-*.toml"))
    report = restarted.reingest()
    assert "新增.txt" in report.added and restarted.out_of_step() == []


def test_one_malformed_docx_fails_alone(library: Library) -> None:
    settings = library.settings
    bad = settings.corpus_dir / "坏文件.docx"
    with zipfile.ZipFile(bad, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document><w:body><w:p>不是XML")
    (settings.corpus_dir / "好文件.txt").write_text("第一条 好文件的第一条。", encoding="utf-8")
    report = library.reingest()
    assert report.failed_files == ["坏文件.docx"] and "好文件.txt" in report.added
    assert "坏文件.docx" in report.failures[0]
    assert json.loads((generations.current_generation(settings.index_dir) / "state.json").read_text())["files"]
