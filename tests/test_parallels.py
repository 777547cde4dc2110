"""Parallel provisions across the two documents (found by the real model, clause by clause), shown in
原文 and under chat answers; the 文号 of the notices naming their document in the chat, the checker
and 原文's jump box; and 原文 saying which notice issues the 意见 and which forwards it."""

from __future__ import annotations

import pytest

from regstudy.composition import Services, open_services
from regstudy.kb.parallels import ParallelProvisions
from regstudy.settings import Settings
from regstudy.web.chat import ChatHandlers
from regstudy.web.live import LiveServices
from regstudy.web.source import SourceHandlers

# Pairs read and judged right (issue 18's note lists them all); each must be found.
EXPECTED = {
    9: 2,  # 有严重政治问题的信息 ↔ 违背党的基本路线…的文章
    10: 3,  # 不法串联、联署、集会
    11: 2,  # 政治谣言
    12: 3,  # 宗教、邪教、恐怖主义
    13: 3,  # 浏览、访问…网站
    14: 3,  # 泄露党和国家秘密
    19: 4,  # 注册账号
    20: 5,  # 举报
}
NONE = (1, 2, 18, 26)  # purpose, definition, 以职务身份营利 (no counterpart), 施行


@pytest.fixture(scope="module")
def services(corpus_settings: Settings) -> Services:
    return open_services(corpus_settings)


@pytest.fixture(scope="module")
def parallels(services: Services) -> ParallelProvisions:
    return services.parallels


def test_the_parallels_of_the_guiding_articles(services: Services, parallels: ParallelProvisions) -> None:
    units = {u.article: u for u in services.assistant.kb.units_of("guiding") if u.kind == "article"}
    for article, point in EXPECTED.items():
        found = [(p.unit.doc_id, p.unit.article) for p in parallels.of(units[article])]
        assert ("yijian", point) in found, (article, found)
    for article in NONE:
        assert parallels.of(units[article]) == (), article


def test_a_parallel_quotes_the_clause_that_governs_the_same_conduct(
    services: Services, parallels: ParallelProvisions
) -> None:
    unit = services.assistant.kb.by_id["guiding/a13"]
    (parallel,) = parallels.of(unit)
    assert parallel.clause == "党员干部不得参加以下网络活动：浏览、访问非法和反动网站等。"  # the item with its head
    assert {"浏览", "访问", "网站"} <= set(parallel.shared)
    assert parallel.document.edition == "2017-05-27" and parallels.later(unit, parallel) == ""  # 规定 has no date
    back = [p.unit.id for p in parallels.of(services.assistant.kb.by_id["yijian/a3"])]
    assert "guiding/a10" in back  # the relation holds from the other side too


def test_source_shows_parallels_and_the_forwarding_chain(services: Services) -> None:
    handlers = SourceHandlers(LiveServices(services))
    guiding = handlers.show_document("guiding")
    assert "相关规定" in guiding and "浏览、访问非法和反动网站等" in guiding
    assert "《党员网络行为规定》未载明发布日期；《关于规范党员干部网络行为的意见》2017-05-27" in guiding
    yijian = handlers.show_document("yijian")
    assert "中宣发〔2017〕20号（中共中央宣传部" in yijian and "印发《关于规范党员干部网络行为的意见》" in yijian
    assert "豫宣通〔2017〕70号（中共河南省委宣传部" in yijian and "转发中宣发〔2017〕20号" in yijian
    for typed in ("中宣发〔2017〕20号第三点", "中宣发[2017]20号 3", "豫宣通〔2017〕70号"):
        assert 'id="unit-yijian' in handlers.jump(typed, "guiding")
    assert 'class="rs-unit rs-selected" data-unit="yijian/a3"><b>第三点</b>' in handlers.jump(
        "中宣发〔2017〕20号第三点", "guiding"
    )


def test_chat_resolves_document_numbers_and_lists_related_provisions(services: Services) -> None:
    chat = ChatHandlers(LiveServices(services))
    for question, label in (("中宣发〔2017〕20号第四点是什么", "第四点"), ("豫宣通(2017)70号第二点讲什么", "第二点")):
        answer = services.assistant.ask(question)
        assert answer.route == "lookup" and answer.citations[0].unit.citation.endswith(label), question
    *_, (_, messages, _, _) = chat.respond("党员能不能浏览境外网站", [], [], [])
    html = messages[-1]["content"]
    assert "相关规定" in html and "《关于规范党员干部网络行为的意见》第三点" in html


def test_the_checker_resolves_document_numbers(services: Services) -> None:
    text = (
        "按照中宣发〔2017〕20号文件第四点，党员干部以职务身份在微博、微信、网络直播、论坛社区等境内外"
        "网络平台上注册账号、建立群组的，应当向所在党组织报告。"
    )
    (finding,) = services.checker.check(text)
    assert finding.verdict == "exact" and finding.found[0].id == "yijian/a4"
