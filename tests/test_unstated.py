"""Saying what the documents do not say: a question asking for a specific fact (an amount, a time
limit, a date…) that none of the closest articles states gets 文件未作具体规定, the articles as
possibly related, no conclusion, and `unstated` in its JSON — read from the question's wording and the
articles' own text, on the real articles and through the real assistant."""

from __future__ import annotations

import pytest

from regstudy.answering.service import Assistant
from regstudy.answering.unstated import asked_fact, unstated
from regstudy.kb.knowledge_base import KnowledgeBase
from regstudy.records import Unit


def _unit(text: str) -> Unit:
    return Unit("demo/a1", "demo", "示例办法", "article", 1, "第一条", text)


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("转发谣言会被罚款多少钱", "金额"),
        ("网上发现违纪信息，几天之内必须上报", "期限"),
        ("这个规定是哪年哪月印发的", "日期"),
        ("用职务身份开账号要走什么流程", "程序"),
        ("在网上泄密会给什么处分", "处分档次"),
        ("泄露工作秘密会怎样处分", "处分档次"),
        ("举报电话是多少", "联系方式"),
        ("有没有一份不能用的境外网站名单", "名单"),
        ("一天最多能转发多少条", "数量"),
        ("党员可以在网上炒股吗", None),
        ("网盘里存几篇反动文章也算违规吗", None),  # 几篇: "a few", not a question of number
    ],
)
def test_the_kind_of_fact_a_question_asks_for(question: str, kind: str | None) -> None:
    found = asked_fact(question)
    assert (found.name if found else None) == kind


def test_a_fact_the_article_states_is_not_unstated() -> None:
    assert unstated("收了礼要在几天内上交", [_unit("收受礼品的，应当在三十日内上交。")]) is None
    assert unstated("违规删帖罚款多少钱", [_unit("处五千元以上五万元以下罚款。")]) is None
    missing = unstated("违规删帖罚款多少钱", [_unit("不得违规删帖。")])
    assert missing is not None and (missing.kind, missing.missing) == ("金额", "具体金额")


def test_the_two_documents_state_no_amount_for_tipping(corpus_kb: KnowledgeBase) -> None:
    # 第十六条 asks members to resist 直播打赏 and names no sum: how much is allowed is not stated
    missing = unstated("给主播打赏一次最多能打多少钱", [corpus_kb.by_id["guiding/a16"]])
    assert missing is not None and missing.kind == "金额"


def test_an_unstated_fact_is_said_so_and_never_answered_directly(assistant: Assistant) -> None:
    answer = assistant.ask("党员转发政治谣言会被罚款多少钱？")
    assert not answer.refused and answer.confidence == "possible" and answer.conclusion is None
    assert answer.unstated == "金额" and answer.to_json()["unstated"] == "金额"
    assert answer.answer.startswith("文件未作具体规定（具体金额）")
    assert any(c.unit.id == "guiding/a11" for c in answer.citations)
    plain = assistant.ask("党员可以在网上转发政治谣言吗？")
    assert plain.unstated is None and plain.to_json()["unstated"] is None


def test_a_calendar_date_the_document_does_not_state_is_said_so(assistant: Assistant) -> None:
    # 《规定》 states no date; its 第二十六条 (自发布之日起施行) says when it took effect, not on what day
    undated = assistant.ask("党员网络行为规定是哪一年哪一天印发的")
    assert undated.refused and undated.unstated == "日期" and "没有载明日期" in undated.answer
    effective = assistant.ask("党员网络行为规定什么时候开始施行")
    assert not effective.refused and effective.citations[0].unit.id == "guiding/a26"
    dated = assistant.ask("意见是哪一年印发的")  # the 意见's notice does state one
    assert "2017年5月27日" in dated.answer and dated.unstated is None
