"""The real splitter on the real texts: golden splits, structures, and every source format."""

from __future__ import annotations

import json
from pathlib import Path

import docx
import pytest
from conftest import FIXTURES, GUIDING_TXT, YIJIAN_TXT

from ingest.manifest import Manifest
from ingest.sources import fingerprint, parse_source
from regstudy.records import ARTICLE, POINT, SECTION
from regstudy.settings import REPO_ROOT

GOLDEN = Path(__file__).parent / "golden"
MANIFEST = Manifest.load(REPO_ROOT / "corpus" / "manifest.toml")


def parse(path: Path, manifest: Manifest = MANIFEST):
    return parse_source(fingerprint(path.resolve(), manifest))


def as_golden(units) -> list[dict]:
    keys = ("id", "kind", "article", "label", "chapter", "text")
    return [{k: getattr(u, k) for k in keys} for u in units]


@pytest.mark.parametrize(("path", "golden"), [(GUIDING_TXT, "guiding"), (YIJIAN_TXT, "yijian")])
def test_split_matches_golden(path: Path, golden: str) -> None:
    expected = json.loads((GOLDEN / f"{golden}.json").read_text(encoding="utf-8"))
    assert as_golden(parse(path).units) == expected


def test_guiding_has_26_articles_in_5_chapters() -> None:
    units = parse(GUIDING_TXT).units
    articles = [u for u in units if u.kind == ARTICLE]
    assert [u.article for u in articles] == list(range(1, 27))
    assert articles[12].label == "第十三条" and articles[12].id == "guiding/a13"
    chapters = list(dict.fromkeys(u.chapter for u in articles))
    assert chapters == [
        "第一章 总则",
        "第二章 网络正能量传播",
        "第三章 网络行为管理",
        "第四章 保障和监督",
        "第五章 附则",
    ]
    assert articles[0].text.startswith("为了规范党员网络行为，发挥党员在网络空间作用")  # `为 了`, `空间 作用` cleaned
    assert "“两个维护”，坚持" in articles[2].text  # half-width comma inside Chinese text
    assert articles[3].text.endswith("大力弘扬主旋律、传播正能量。")  # `传播正能` / ` 量。` rejoined
    assert "- 2 -" not in articles[10].text and articles[10].text.endswith("制造其他谣言。")


def test_yijian_has_six_points_and_its_notices() -> None:
    units = parse(YIJIAN_TXT).units
    points = [u for u in units if u.kind == POINT]
    assert [(u.article, u.label, u.marker) for u in points][3] == (4, "第四点", "四、")
    assert len(points) == 6
    sections = {u.label: u for u in units if u.kind == SECTION}
    assert set(sections) == {"转发通知", "印发通知", "标题", "序言", "报送范围", "印发机关和日期"}
    assert "豫宣通〔2017〕70号" in sections["转发通知"].text
    assert "认真学习《意见》内容" in sections["转发通知"].text  # `《意` / blank line / `见》` rejoined
    assert "中宣发〔2017〕20号" in sections["印发通知"].text
    assert sections["印发通知"].text.endswith("中央网络安全和信息化领导小组办公室\n2017年5月27日")
    assert sections["印发机关和日期"].text == "中央宣传部办公厅\n2017年5月27日印发"
    assert all(u.article == 0 for u in sections.values())


def test_text_layer_pdf_gives_the_same_26_articles_as_the_text() -> None:
    from_pdf = [u for u in parse(FIXTURES / "党员网络行为规定.pdf").units if u.kind == ARTICLE]
    from_txt = [u for u in parse(GUIDING_TXT).units if u.kind == ARTICLE]
    assert [(u.label, u.chapter, u.text) for u in from_pdf] == [(u.label, u.chapter, u.text) for u in from_txt]
    assert parse(FIXTURES / "党员网络行为规定.pdf").info.title == "党员网络行为规定"


def test_docx_gives_the_same_articles_as_the_text(tmp_path: Path) -> None:
    document = docx.Document()
    for line in GUIDING_TXT.read_text(encoding="utf-8").splitlines():
        document.add_paragraph(line)
    path = tmp_path / "党员网络行为规定.docx"
    document.save(str(path))
    from_docx = [(u.label, u.text) for u in parse(path).units if u.kind == ARTICLE]
    assert from_docx == [(u.label, u.text) for u in parse(GUIDING_TXT).units if u.kind == ARTICLE]


def test_markdown_law_structures() -> None:
    """编/章/节 headings, 款, 之一, Arabic numerals, run-on articles, letter-spaced headings."""
    document = parse(FIXTURES / "structures" / "示范法.md", Manifest([]))
    assert document.info.title == "中华人民共和国示范法"
    by_id = {u.id: u for u in document.units}
    assert by_id["示范法/a2"].paragraphs == ["本法适用于示范。", "示范单位应当遵守本法。", "本法另有规定的除外。"]
    assert by_id["示范法/a3"].chapter_path == ("第一编 总则", "第二章 管辖", "第一节 级别管辖")
    assert by_id["示范法/a4"].text == "中级示范机构管辖重大案件。"  # split from the line of 第三条
    assert by_id["示范法/a5"].chapter_path[-1] == "第二节 地域管辖"
    assert by_id["示范法/a6-1"].label == "第六条之一"
    assert by_id["示范法/a7"].label == "第七条"  # 第7条
    assert by_id["示范法/a6"].chapter_path == ("第二编 分则", "第三章 罚则")
    assert by_id["示范法/history"].text.startswith("2020年1月1日")


@pytest.mark.slow
def test_scanned_pdf_is_read_with_ocr_and_marked() -> None:
    import difflib

    document = parse(FIXTURES / "scanned-党员网络行为规定.pdf")
    articles = [u for u in document.units if u.kind == ARTICLE]
    reference = [u for u in parse(GUIDING_TXT).units if u.kind == ARTICLE]
    assert document.ocr and all(u.ocr for u in document.units)
    assert any("OCR" in w for w in document.warnings)
    assert [u.article for u in articles] == list(range(1, 27))
    similarity = [
        difflib.SequenceMatcher(None, a.text, b.text).ratio() for a, b in zip(articles, reference, strict=True)
    ]
    assert min(similarity) > 0.97, similarity
