"""The citation checker on the real corpus: the trainer cases in eval/citations.jsonl, every
citation form, every verdict, the tolerances of `exact`, what must not be read as a citation, the
sample handout as text, DOCX and PDF, the report exports and the CLI contract."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import EVAL, FIXTURES

from regstudy.composition import open_checker
from regstudy.errors import CheckRequestError, MissingFileError, UnsupportedFormatError
from regstudy.kb.addressing import document_mentions
from regstudy.quotes import comparable
from regstudy.settings import REPO_ROOT
from regstudy.study.citations.checker import CitationChecker
from regstudy.study.citations.findings import Finding
from regstudy.study.citations.report import report_markdown
from regstudy.study.docx import markdown_to_docx

GUIDING, YIJIAN = "党员网络行为规定", "关于规范党员干部网络行为的意见"
SHORT = {"规定": GUIDING, "意见": YIJIAN}
HANDOUT = FIXTURES / "handout.txt"
# The sample handout, citation by citation: (verdict, where the quote truly is / the closest article).
HANDOUT_FINDINGS = [
    ("exact", ("规定", 1)),
    ("exact", ("意见", 0)),  # the 意见's preamble, cited by document only
    ("exact", ("规定", 5)),
    ("exact", ("规定", 6)),
    ("exact", ("规定", 4)),
    ("differs", ("规定", 20)),  # 向公安机关举报
    ("misattributed", ("规定", 11)),  # cited as 第十条
    ("exact", ("规定", 13)),
    ("differs", ("规定", 18)),  # 可以以职务身份开展直播带货
    ("not_found", None),
    ("no_such_article", None),  # 第二十八条
    ("exact", ("意见", 4)),
    ("exact", ("意见", 2)),  # with …… for the omitted items
    ("no_such_article", None),  # 意见第七条
    ("exact", ("意见", 5)),  # a bare quote
    ("misattributed", ("意见", 1)),  # cited as 规定第三条
]


@pytest.fixture(scope="module")
def checker(corpus_settings, corpus_kb) -> CitationChecker:
    return open_checker(corpus_settings, corpus_kb)


def one(checker: CitationChecker, text: str) -> Finding:
    findings = checker.check(text)
    assert len(findings) == 1, [(f.quote, f.verdict) for f in findings]
    return findings[0]


def place(unit) -> tuple[str, int]:
    return ("规定" if unit.doc_id == "guiding" else "意见", unit.article)


def eval_cases() -> list[dict]:
    return [json.loads(line) for line in (EVAL / "citations.jsonl").read_text(encoding="utf-8").splitlines() if line]


@pytest.mark.parametrize("case", eval_cases(), ids=lambda c: c["id"])
def test_trainer_cases(checker, case) -> None:
    finding = one(checker, case["text"])
    assert finding.verdict == case["verdict"]
    if case["found"]:
        assert place(finding.found[0]) == tuple(case["found"])
    else:
        assert finding.found == ()


@pytest.mark.parametrize(
    ("text", "claimed", "quote"),
    [
        ("《党员网络行为规定》第十三条：“党员不得擅自建立、使用非法定信道浏览”", (GUIDING, 13), "党员不得擅自建立"),
        ("根据《规定》第13条，党员不得擅自建立、使用非法定信道浏览、访问、使用境外的网站。", (GUIDING, 13), "党员不得"),
        ("“严格规范党员干部在网络平台以职务身份注册账号行为”（《意见》第四条）", (YIJIAN, 4), "严格规范"),
        ("《党员网络行为规定》\n第十一条 党员不得通过网络制造、散布、传播政治谣言。", (GUIDING, 11), "党员不得通过"),
        ("党员不得通过发布、删除网络信息谋取不正当利益。（《规定》第十五条）", (GUIDING, 15), "党员不得通过发布"),
        ("《规定》第六条要求党员“敢于斗争、善于斗争”。", (GUIDING, 6), "敢于斗争"),
        ("《规定》第十三条规定，党员不得擅自建立、使用非法定信道浏览。", (GUIDING, 13), "党员不得擅自"),
        ("“党员应当培育良好网络习惯”——《网络行为规定》第十六条", (GUIDING, 16), "党员应当培育"),
        ("《意见》指出：“网络行为是党员干部言行的重要组成部分”", (YIJIAN, None), "网络行为是"),
        ("学习材料中写道：“党员应当践行网上群众路线，密切联系群众”。", None, "党员应当践行"),
    ],
    ids=["colon-quote", "according-to", "quote-then-ref", "heading", "sentence-then-ref", "verb-subject-quote",
         "verb-comma", "dash", "document-only", "bare"],
)  # fmt: skip
def test_citation_forms(checker, text, claimed, quote) -> None:
    finding = one(checker, text)
    assert finding.quote.startswith(quote)
    if claimed is None:
        assert finding.claimed is None
    else:
        assert (finding.claimed.document, finding.claimed.article) == claimed
    assert finding.verdict in ("exact", "differs")


def test_numerals_and_aliases_name_the_same_article(checker) -> None:
    quote = "“党员不得擅自建立、使用非法定信道浏览、访问、使用境外的网站、应用程序等。”"
    forms = ["《党员网络行为规定》第十三条：", "《规定》第13条：", "《规定》第１３条：", "网络行为规定第十三条："]
    findings = [one(checker, form + quote) for form in forms]
    assert {(f.verdict, f.claimed.document, f.claimed.label) for f in findings} == {("exact", GUIDING, "第十三条")}


def test_exact_ignores_whitespace_punctuation_width_and_final_full_stop(checker) -> None:
    for quote in [
        "党员不得通过网络制造、散布、传播政治谣言, 不得匿名诬告",  # half-width comma, a space
        "党员不得通过网络制造、散布、传播政治谣言，不得匿名诬告、有意陷害或者制造其他谣言。",
        "不得匿名诬告、有意陷害",  # a clause
        "党员不得通过网络制造……制造其他谣言",  # an omission marked with ……
    ]:
        finding = one(checker, f"《规定》第十一条：“{quote}”")
        assert finding.verdict == "exact", quote
        assert place(finding.found[0]) == ("规定", 11) and finding.similarity == 1.0


def test_differs_gives_a_diff_that_rebuilds_both_texts(checker) -> None:
    finding = one(checker, "《规定》第十一条：“党员不得通过网络制造、传播政治谣言，不得匿名诬告他人”")
    assert finding.verdict == "differs" and place(finding.found[0]) == ("规定", 11)
    assert 0.5 < finding.similarity < 1
    quote = "".join(s.text for s in finding.diff if s.op != "delete")
    passage = "".join(s.text for s in finding.diff if s.op != "insert")
    assert quote == comparable("党员不得通过网络制造、传播政治谣言，不得匿名诬告他人")
    assert passage == finding.passage and passage in comparable(finding.found[0].text)
    assert sorted("".join(s.text for s in finding.diff if s.op == "delete")) == sorted("散布、")
    assert [s.text for s in finding.diff if s.op == "insert"] == ["他人"]


def test_differs_points_to_the_closest_article_when_the_cited_one_is_not_it(checker) -> None:
    finding = one(checker, "《规定》第二条：“党员干部不得违反规定以职务身份开展网络借贷等营利活动”")
    assert finding.verdict == "differs" and place(finding.found[0]) == ("规定", 18)
    assert "所标出处为《党员网络行为规定》第二条" in finding.note


def test_misattributed_across_documents_says_where(checker) -> None:
    finding = one(checker, "《规定》第三条：“坚决维护党中央权威”")
    assert finding.verdict == "misattributed"
    assert [place(u) for u in finding.found] == [("意见", 1)]
    assert finding.note == f"这段话在《{YIJIAN}》第一点，不在《{GUIDING}》第三条。"


def test_no_such_article_says_how_many_there_are(checker) -> None:
    assert (
        one(checker, "《规定》第二十八条：“党员应当每周上网学习”").note == f"《{GUIDING}》共二十六条，没有第二十八条。"
    )
    finding = one(checker, "《意见》第九条：“党员干部应当履行举报监督的义务”")
    assert finding.verdict == "no_such_article" and "共六点，没有第九点" in finding.note
    assert [place(u) for u in finding.found] == [("意见", 5)]  # where the quote truly is
    assert one(checker, "《规定》第三十条对此有规定。").verdict == "no_such_article"  # even with no quote


def test_not_found_and_documents_outside_the_knowledge_base(checker) -> None:
    finding = one(checker, "有人说“党员每天必须在朋友圈转发三篇学习文章”。")
    assert (finding.verdict, finding.found, finding.claimed) == ("not_found", (), None)
    elsewhere = one(checker, "《中国共产党纪律处分条例》第十条：“党员不得通过网络制造、散布、传播政治谣言”")
    assert elsewhere.verdict == "misattributed" and place(elsewhere.found[0]) == ("规定", 11)
    assert elsewhere.claimed.document == "中国共产党纪律处分条例"
    unknown = one(checker, "《中国共产党纪律处分条例》第十条：“党员每天必须在朋友圈转发学习文章”")
    assert unknown.verdict == "not_found" and "知识库中没有《中国共产党纪律处分条例》" in unknown.note


def test_an_article_without_a_document_takes_the_one_that_has_it(checker) -> None:
    finding = one(checker, "《意见》要求很明确。\n第十三条 党员不得擅自建立、使用非法定信道浏览。")
    assert finding.verdict == "exact" and finding.claimed.document == GUIDING  # the 意见 has no 第十三条


def test_what_is_not_a_citation(checker) -> None:
    assert checker.check("请大家学习《规定》第十三条，我们要注意境外网站。") == []
    assert checker.check("《规定》第九条和第十条都要求党员不得参与非法组织。") == []
    assert checker.check("要增强“四个意识”、坚定“四个自信”。") == []  # terms, not passages
    assert checker.check("群众的意见和要求第一条就是方便办事：这很重要。") == []  # 意见 as an ordinary word
    with pytest.raises(CheckRequestError, match="请粘贴"):
        checker.check(" \n ")


def test_unmarked_quote_runs_on_while_it_is_the_same_article(checker) -> None:
    text = "《意见》第五条：党员干部应当履行举报监督的义务。发现网上违法违规违纪信息，及时举报。这一条很重要。"
    finding = one(checker, text)
    assert finding.verdict == "differs" and finding.quote.endswith("及时举报")


def test_handout_as_text_docx_and_pdf(checker, tmp_path) -> None:
    from docx import Document

    text = HANDOUT.read_text(encoding="utf-8")
    findings = checker.check(text)
    got = [(f.verdict, place(f.found[0]) if f.found else None) for f in findings]
    assert got == HANDOUT_FINDINGS
    assert [text[f.start : f.end] for f in findings] == [f.quote for f in findings]
    document = Document()
    for line in text.splitlines():
        document.add_paragraph(line)
    document.save(tmp_path / "handout.docx")
    for path in (tmp_path / "handout.docx", FIXTURES / "handout.pdf"):
        _, again = checker.check_file(path)
        assert [(f.verdict, f.quote) for f in again] == [(f.verdict, f.quote) for f in findings], path.name
    assert [f.to_json() for f in checker.check(text)] == [f.to_json() for f in findings]  # deterministic


def test_bad_files_get_clear_errors(checker, tmp_path) -> None:
    with pytest.raises(MissingFileError, match="文件不存在"):
        checker.check_file(tmp_path / "none.docx")
    (tmp_path / "a.xlsx").write_bytes(b"PK")
    with pytest.raises(UnsupportedFormatError, match="不支持的文件类型"):
        checker.check_file(tmp_path / "a.xlsx")


def test_report_markdown_and_docx(checker) -> None:
    from docx import Document

    findings = checker.check(HANDOUT.read_text(encoding="utf-8"))
    report = report_markdown(findings, "handout.txt", checker.prompts)
    assert "共 16 处引文：一致 9，有出入 2，出处有误 2，查无此文 1，无此条 2（其中有实质出入 1）" in report
    assert "实质出入：情态变了：原文“党员干部不得违反有关规定以职务身份开" in report
    assert "实质出入：列举变了：原文“职务身份开展网络借贷、直播带货”，引文“职务身份开展直播带货”" in report
    assert report.count("\n| ") == 18  # header, rule, one row per finding
    assert "党员干部~~不得违反有关规定~~**可以**以职务身份开展~~网络借贷、~~直播带货" in report
    document = Document(io.BytesIO(markdown_to_docx(report)))
    table = document.tables[0]
    assert len(table.rows) == 17 and table.cell(9, 3).text == "有实质出入"
    struck = [r.text for p in document.paragraphs for r in p.runs if r.font.strike]
    assert "不得违反有关规定" in struck


def test_cli_check_json_contract(corpus_settings, tmp_path) -> None:
    env = {**os.environ, "REGSTUDY_DATA_DIR": str(corpus_settings.data_dir)}
    command = [sys.executable, "-m", "regstudy", "check"]
    text = "《党员网络行为规定》第十条：党员不得通过网络制造、散布、传播政治谣言。“党员应当践行网上群众路线”"
    result = subprocess.run([*command, text, "--json"], cwd=REPO_ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    findings = json.loads(result.stdout)
    assert [set(f) >= {"claimed", "quote", "verdict", "found", "similarity", "diff"} for f in findings] == [True] * 2
    assert findings[0]["claimed"] == {"document": GUIDING, "article": 10, "label": "第十条"}
    assert findings[0]["verdict"] == "misattributed" and findings[0]["found"][0]["article"] == 11
    assert findings[1]["claimed"] is None and findings[1]["verdict"] == "exact"
    from_file = subprocess.run(
        [*command, "--file", str(HANDOUT), "--json", "--export", str(tmp_path)],
        cwd=REPO_ROOT, env=env, capture_output=True, text=True,
    )  # fmt: skip
    assert [f["verdict"] for f in json.loads(from_file.stdout)] == [v for v, _ in HANDOUT_FINDINGS]
    assert Path(tmp_path / "report.docx").stat().st_size > 0 and "引文核查报告" in (tmp_path / "report.md").read_text()
    bad = subprocess.run([*command, "--file", "none.pdf"], cwd=REPO_ROOT, env=env, capture_output=True, text=True)
    assert bad.returncode == 2 and "文件不存在" in bad.stderr and "Traceback" not in bad.stderr


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a slide: the reference alone on its bullet line, the quote on the next
        (
            "· 依据：《党员网络行为规定》第十五条\n"
            "· 党员不得通过发布、删除网络信息，以及其他干预信息呈现等手段谋取不正当利益",
            [("exact", ("规定", 15))],
        ),
        # a table row: the reference in one cell, the quote in the next
        (
            "《党员网络行为规定》要点\n条款\t原文\t类别\n第十七条\t党员干部不得利用职务便利索取网络虚拟财物\t底线",
            [("differs", ("规定", 17))],
        ),
        # a dash after the reference
        ("《规定》第二十一条——党支部应当开展党员依规依法上网用网的常态化教育", [("exact", ("规定", 21))]),
        # a citation made inside someone's quoted words, the quote nested in ‘’
        (
            "书记说：“《规定》第十条要求党员‘不得组织、参与和动员不法串联、联署、集会’，大家要记住。”",
            [("exact", ("规定", 10))],
        ),
        # numbered answers: a semicolon before the next item ends the quote
        (
            "答：（1）《规定》第十四条：党员应当严格遵守党的保密纪律；（2）《意见》第五点：党员干部应当履行举报监督的义务。",
            [("exact", ("规定", 14)), ("exact", ("意见", 5))],
        ),
        # a point named （二） after the document
        ("《意见》（二）：党员干部不准参与以下网络传播行为", [("exact", ("意见", 2))]),
        # 开头就讲
        ("《规定》第十九条开头就讲，党员干部注册、使用和管理网络公众账号，应当遵守有关规定", [("exact", ("规定", 19))]),
    ],
)
def test_citations_in_slides_tables_speech_and_numbered_answers(checker, text, expected) -> None:
    findings = checker.check(text)
    assert [(f.verdict, place(f.found[0]) if f.found else None) for f in findings] == expected


def test_a_check_is_bounded_by_its_references_with_a_chinese_message(checker) -> None:
    """Reference-like text (第一条 over and over) once cost minutes; past the limit it is refused at once,
    and at the limit the names of documents in plain prose are still found one by one."""
    with pytest.raises(CheckRequestError, match="引文和条号过多（3000 处），一次最多 2000 处"):
        checker.check("第一条" * 3000)
    cited = "《党员网络行为规定》第二十六条：“本规定自发布之日起施行。”\n" * 600  # 1,800 references
    assert [f.verdict for f in checker.check(cited)] == ["exact"] * 600
    mentions = document_mentions("党员应当遵守网络行为规定。" * 5000, checker.documents)
    assert len(mentions) == 5000 and mentions[-1][0] == 13 * 4999 + 6


def test_a_handout_pdf_over_the_page_limit_is_refused_before_reading(checker, tmp_path) -> None:
    import pypdf

    from regstudy.errors import TooLargeDocumentError

    writer = pypdf.PdfWriter()
    for _ in range(301):
        writer.add_blank_page(595, 842)
    path = tmp_path / "讲稿.pdf"
    with path.open("wb") as out:
        writer.write(out)
    with pytest.raises(TooLargeDocumentError, match="301 页，上限 300 页"):
        checker.read_file(path)
