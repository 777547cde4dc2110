"""The corrected handout: the trainer's own .docx comes back with Word tracked changes (w:del / w:ins of
only the characters that differ), a comment with the verdict on each, and everything else untouched;
a .txt handout becomes a new .docx; LibreOffice opens both; the CLI's `check --fix OUT.docx`."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from conftest import FIXTURES
from docx import Document
from docx.oxml.ns import qn
from test_cli import corpus_env
from test_ingest import run_cli

from regstudy.composition import open_checker
from regstudy.study.citations.checker import CitationChecker

HANDOUT = FIXTURES / "handout.txt"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def checker(corpus_settings, corpus_kb) -> CitationChecker:
    return open_checker(corpus_settings, corpus_kb)


@pytest.fixture(scope="module")
def trainers_docx(tmp_path_factory) -> Path:
    """The sample handout as a formatted Word file: a heading style, and every line in two runs, the
    second bold, so quotes run across runs of different formatting."""
    document = Document()
    for n, line in enumerate(HANDOUT.read_text(encoding="utf-8").split("\n")):
        paragraph = document.add_paragraph(style="Heading 1" if n == 0 else None)
        half = len(line) // 2
        paragraph.add_run(line[:half])
        paragraph.add_run(line[half:]).bold = True
    path = tmp_path_factory.mktemp("handout") / "讲稿.docx"
    document.save(str(path))
    return path


def _revisions(data: bytes) -> tuple[list[str], list[str], list[str]]:
    """(deleted texts, inserted texts, comment texts) of a .docx."""
    document = Document(io.BytesIO(data))
    body = document.element.body
    deleted = ["".join(t.text for t in d.iter(f"{W}delText")) for d in body.iter(f"{W}del")]
    inserted = ["".join(t.text for t in i.iter(f"{W}t")) for i in body.iter(f"{W}ins")]
    return deleted, inserted, [c.text for c in document.comments]


def _anchored_comment_ids(data: bytes) -> tuple[int, int, int]:
    """(distinct comment ids, of them anchored by a range start, and by a range end) in a .docx."""
    document = Document(io.BytesIO(data))
    ids = {c.comment_id for c in document.comments}
    body = document.element.body
    starts = {int(e.get(f"{W}id")) for e in body.iter(f"{W}commentRangeStart")}
    ends = {int(e.get(f"{W}id")) for e in body.iter(f"{W}commentRangeEnd")}
    return len(ids), len(ids & starts), len(ids & ends)


def _accepted(data: bytes) -> str:
    """The document's text with every revision accepted (deletions dropped, insertions kept)."""
    document = Document(io.BytesIO(data))
    for deletion in list(document.element.body.iter(f"{W}del")):
        deletion.getparent().remove(deletion)
    for insertion in list(document.element.body.iter(f"{W}ins")):
        for run in list(insertion):
            insertion.addprevious(run)
        insertion.getparent().remove(insertion)
    return "\n".join(p.text for p in document.paragraphs)


def test_the_trainers_docx_comes_back_with_tracked_changes(checker, trainers_docx) -> None:
    text, findings = checker.check_file(trainers_docx)
    outcome = checker.corrected(findings, text, trainers_docx)
    assert (outcome.revised, outcome.unplaced) == (4, 0) and outcome.commented == 3
    deleted, inserted, comments = _revisions(outcome.data)
    assert "公安机关" in deleted and "有关部门和网络平台" in inserted  # only the characters that differ
    assert "可以" in deleted and "不得违反有关规定" in inserted
    assert "一" in inserted  # 第十条 → 第十一条
    assert len(comments) == 7 and any(c.startswith("【有实质出入】") for c in comments)
    assert any(c.startswith("【查无此文】") for c in comments) and any(c.startswith("【无此条】") for c in comments)
    assert _anchored_comment_ids(outcome.data) == (7, 7, 7)
    corrected = _accepted(outcome.data)
    assert "党员干部不得违反有关规定以职务身份开展网络借贷、直播带货。" in corrected
    assert "《关于规范党员干部网络行为的意见》第一点" in corrected  # was cited as 《规定》第三条
    recheck = checker.check(corrected)
    assert [f.verdict for f in recheck].count("differs") == 0 and [f.verdict for f in recheck].count(
        "misattributed"
    ) == 0


def _formatted(paragraph) -> list[tuple[str, bool | None]]:
    return [(char, run.bold) for run in paragraph.runs for char in run.text]


def test_formatting_elsewhere_is_untouched(checker, trainers_docx) -> None:
    text, findings = checker.check_file(trainers_docx)
    corrected = Document(io.BytesIO(checker.corrected(findings, text, trainers_docx).data))
    original = Document(str(trainers_docx))
    assert corrected.paragraphs[0].style.name == "Heading 1"
    for before, after in zip(original.paragraphs, corrected.paragraphs, strict=True):
        if not after._p.findall(f".//{W}ins") and not after._p.findall(f".//{W}del"):
            assert _formatted(before) == _formatted(after)  # a comment's anchor may split a run, nothing more
    for inserted in corrected.element.body.iter(f"{W}ins"):  # an insertion takes the replaced text's format
        run = inserted.find(f"{W}r")
        assert run is not None and run.find(f"{W}t") is not None


def test_a_text_handout_becomes_a_corrected_docx(checker, tmp_path) -> None:
    text = "《党员网络行为规定》第十一条：“党员可以通过网络制造、散布、传播政治谣言。”\n以上请各支部组织学习。"
    outcome = checker.corrected(checker.check(text), text)
    deleted, inserted, comments = _revisions(outcome.data)
    assert (deleted, inserted) == (["可以"], ["不得"]) and comments[0].startswith("【有实质出入】")
    assert _accepted(outcome.data).split("\n")[1] == "以上请各支部组织学习。"


@pytest.mark.skipif(not shutil.which("soffice") and os.environ.get("CI") != "true", reason="没有 LibreOffice")
def test_libreoffice_opens_the_corrected_handout(checker, trainers_docx, tmp_path) -> None:
    text, findings = checker.check_file(trainers_docx)
    source = tmp_path / "改正稿.docx"
    source.write_bytes(checker.corrected(findings, text, trainers_docx).data)
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "odt", "--outdir", str(tmp_path), str(source)],
        check=True,
        capture_output=True,
        timeout=180,
        env={**os.environ, "HOME": str(tmp_path)},
    )
    with zipfile.ZipFile(tmp_path / "改正稿.odt") as odt:
        content = odt.read("content.xml").decode("utf-8")
    # LibreOffice read the revisions as tracked changes and the comments as annotations
    assert content.count("<text:changed-region") >= 7 and content.count("<office:annotation-end") == 7


def test_cli_fix_writes_the_corrected_docx(corpus_settings, trainers_docx, tmp_path) -> None:
    out = tmp_path / "改正稿.docx"
    args = ["-m", "regstudy", "check", "--file", str(trainers_docx), "--fix", str(out), "--json"]
    result = run_cli(args, corpus_env(corpus_settings))
    assert result.returncode == 0, result.stderr
    assert "修订 4 处" in result.stderr and result.stdout.lstrip().startswith("[")
    assert qn("w:ins") in {e.tag for e in Document(str(out)).element.body.iter()}
