"""Extraction artifacts are removed without changing a word."""

from __future__ import annotations

import pytest

from ingest.cleaning import clean_line, is_page_marker
from ingest.paragraphs import from_wrapped_text
from regstudy.text import article_label, parse_number


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("为 了规范党员网络行为，发挥党员在网络空间 作用", "为了规范党员网络行为，发挥党员在网络空间作用"),
        ("2017 年 5 月 27 日", "2017年5月27日"),
        ("增强 “ 四个意识”、坚定 “ 四个自信”、做到", "增强“四个意识”、坚定“四个自信”、做到"),
        ("“两个维护”,坚持正确政治方向", "“两个维护”，坚持正确政治方向"),
        ("（中宣发〔２０１７〕20号)转发给你们", "（中宣发〔2017〕20号）转发给你们"),
        ("第一章\u3000总则", "第一章 总则"),
        ("中共中央宣传部 中共中央组织部", "中共中央宣传部 中共中央组织部"),  # header layout kept
        ("党员干部能用 VPN 吗？", "党员干部能用 VPN 吗？"),  # spaces around Latin words are not artifacts
    ],
)
def test_clean_line(raw: str, clean: str) -> None:
    assert clean_line(raw) == clean


@pytest.mark.parametrize("line", ["- 2 -", "— 2 —", " －3－ ", "第 4 页", "第4页 共5页", "2/5"])
def test_page_markers(line: str) -> None:
    assert is_page_marker(line)


@pytest.mark.parametrize("line", ["第二条 本规定所称网络行为", "2017年5月27日", "一、"])
def test_not_page_markers(line: str) -> None:
    assert not is_page_marker(line)


def test_wrapped_lines_rejoin_but_cross_references_do_not_start_articles() -> None:
    text = "第一条 党员违反网络行为规定的，由所在党组织依照本规定\n第十条的规定处理。\n第二条 本规定自发布之日起施行。"
    paragraphs = [p.text for p in from_wrapped_text(text)]
    assert paragraphs == [
        "第一条 党员违反网络行为规定的，由所在党组织依照本规定第十条的规定处理。",
        "第二条 本规定自发布之日起施行。",
    ]


@pytest.mark.parametrize(
    ("text", "number"), [("十三", 13), ("13", 13), ("１３", 13), ("一百零五", 105), ("二十六", 26)]
)
def test_numbers(text: str, number: int) -> None:
    assert parse_number(text) == number


def test_labels() -> None:
    assert article_label(13) == "第十三条"
    assert article_label(120, 1) == "第一百二十条之一"


def test_a_wrapped_line_ending_in_a_title_word_inside_an_article_stays_in_its_sentence() -> None:
    # a 32开 单行本 wrapped at about 20 characters: line 3 ends in 规定 mid-sentence
    text = (
        "第十二条 党员领导干部应当带头遵守\n本规定，自觉接受监督。\n"
        "　　各级纪检监察机关应当严肃查处违反本规定\n的行为，情节严重的，依照有关规定给予处分。\n"
        "第十三条 本规定自发布之日起施行。"
    )
    paragraphs = [p.text for p in from_wrapped_text(text)]
    assert "各级纪检监察机关应当严肃查处违反本规定的行为，情节严重的，依照有关规定给予处分。" in paragraphs
    assert len(paragraphs) == 3
