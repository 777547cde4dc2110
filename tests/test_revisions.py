"""修订对照 on a real pair of editions (监察法 2018 and 2024, copied from corpus-large): articles paired
through renumbering, the diff of each change, the DOCX table and the CLI; and the checker, over an
index holding both editions, telling a quote of the old wording from the current article."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import gradio as gr
import pytest
from conftest import FIXTURES, make_settings
from docx import Document
from test_ingest import run_cli

from ingest.pipeline import Ingestor
from regstudy.composition import Services, compare_editions_of, open_services
from regstudy.study.revisions import ADDED, CHANGED, DELETED, MOVED, RENUMBERED, UNCHANGED, Revision

OLD = FIXTURES / "editions" / "监察法(2018-03-20).md"
NEW = FIXTURES / "editions" / "监察法(2024-12-25).md"


@pytest.fixture(scope="module")
def revision(tmp_path_factory) -> Revision:
    return compare_editions_of(make_settings(tmp_path_factory.mktemp("rev")), str(OLD), str(NEW))


def _row(revision: Revision, old: str | None, new: str | None):
    return next(
        r for r in revision.rows if (r.old.label if r.old else None) == old and (r.new.label if r.new else None) == new
    )


def test_every_article_of_both_editions_is_accounted_for(revision) -> None:
    counts = revision.counts()
    old = sum(counts[k] for k in (UNCHANGED, RENUMBERED, CHANGED, MOVED, DELETED))
    new = sum(counts[k] for k in (UNCHANGED, RENUMBERED, CHANGED, MOVED, ADDED))
    assert (old, new) == (69, 78)
    assert counts == {UNCHANGED: 14, RENUMBERED: 40, CHANGED: 15, MOVED: 0, ADDED: 9, DELETED: 0}


def test_articles_pair_through_renumbering(revision) -> None:
    assert _row(revision, "第二十二条", "第二十四条").kind == RENUMBERED  # 留置, two articles inserted before it
    assert _row(revision, None, "第二十一条").kind == ADDED  # 强制到案
    expanded = _row(revision, "第十二条", "第十二条")  # 派驻: much longer now, still the same article
    assert expanded.kind == CHANGED
    inserted = "".join(s.text for s in expanded.diff if s.op == "insert")
    assert "中国人民政治协商会议委员会" in inserted
    assert [r.new.label for r in revision.rows if r.new][:3] == ["第一条", "第二条", "第三条"]  # the new order


def test_the_table_as_docx_and_json_from_the_cli(tmp_path) -> None:
    out = tmp_path / "对照表.docx"
    env = {**os.environ, "REGSTUDY_DATA_DIR": str(tmp_path / "data")}
    result = run_cli(["-m", "regstudy", "compare", str(OLD), str(NEW), "--docx", str(out), "--json"], env)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["counts"]["added"] == 9 and {"kind", "old", "new", "similarity", "diff"} <= set(data["rows"][0])
    table = Document(io.BytesIO(out.read_bytes())).tables[0]
    assert [c.text for c in table.rows[0].cells] == ["条文对应", "类别", "相似度", "修改内容"]
    assert any(row.cells[0].text == "原第二十二条 → 现第二十四条" for row in table.rows)
    missing = run_cli(["-m", "regstudy", "compare", str(OLD), "不存在的文件"], env)
    assert missing.returncode != 0 and "Traceback" not in missing.stderr


@pytest.fixture(scope="module")
def both_editions(tmp_path_factory) -> Services:
    """The services over an index holding the two editions (the 2024 one in force)."""
    folder = tmp_path_factory.mktemp("editions")
    corpus = folder / "corpus"
    corpus.mkdir()
    for path in (OLD, NEW):
        (corpus / path.name).write_bytes(path.read_bytes())
    settings = make_settings(folder, corpus_dir=corpus)
    assert Ingestor(settings).run().ok
    return open_services(settings)


def test_source_tab_compares_the_editions(both_editions) -> None:
    from regstudy.web.live import LiveServices
    from regstudy.web.source import SourceHandlers

    handlers = SourceHandlers(LiveServices(both_editions))
    html, files = handlers.compare_editions("监察法(2018-03-20)")
    assert '原第二十二条 → 现第二十四条</b> <span class="rs-tier">仅条号变动' in html
    assert "仅条号变动 40 条" in html and "原第十二条 → 现第十二条" in html and "<ins>" in html
    assert [Path(f).suffix for f in files] == [".docx", ".md"]
    assert handlers.compare_editions("监察法(2024-12-25)")[0] == html  # either edition: older → newer
    with pytest.raises(gr.Error, match="只有一个版本"):
        handlers.compare_editions("nonexistent")


def test_the_checker_recognises_the_old_wording(both_editions) -> None:
    checker = both_editions.checker
    kept = "被调查人涉嫌贪污贿赂、失职渎职等严重职务违法或者职务犯罪，监察机关已经掌握其部分违法犯罪事实及证据"
    (finding,) = checker.check(f"《监察法》第二十二条：“{kept}”")  # unchanged, renumbered 22 → 24
    assert finding.verdict == "misattributed" and finding.older_edition is not None
    assert finding.older_edition.label == "第二十二条" and [u.label for u in finding.found] == ["第二十四条"]
    assert finding.note.startswith("这是旧版第二十二条的表述，现行版第二十四条为：被调查人涉嫌")
    assert finding.to_json()["older_edition"]["label"] == "第二十二条"
    assert checker.check(f"《监察法》第二十四条：“{kept}”")[0].verdict == "exact"
    changed = "各级监察委员会可以向本级中国共产党机关、国家机关、法律法规授权或者委托管理公共事务的组织和单位"
    (finding,) = checker.check(f"《监察法》第十二条：“{changed}”")  # old wording of an article revised since
    assert finding.verdict == "differs" and finding.older_edition.label == "第十二条"
    assert finding.found[0].label == "第十二条" and "中国人民政治协商会议委员会" in finding.found[0].text
    assert finding.note.startswith("这是旧版第十二条的表述，现行版第十二条为：")
