"""The conclusion line: the modal structure read from the real articles, and conclusions drawn through
the real assistant (real index, real model) — stance from the clause's own words, the narrower subject
or condition named, the clause verbatim, nothing drawn where the tier is not direct or the question is
not a yes/no or duty one."""

from __future__ import annotations

import pytest

from regstudy.answering import asking
from regstudy.answering.conclusion import Concluder
from regstudy.answering.service import Assistant
from regstudy.kb.knowledge_base import KnowledgeBase
from regstudy.modality import DISCOURAGED, ENCOURAGED, PROHIBITED, REQUIRED, clauses, stance_for_member
from regstudy.prompts import Prompts
from regstudy.records import Unit
from regstudy.settings import REPO_ROOT


def _article(kb: KnowledgeBase, unit_id: str) -> str:
    return kb.by_id[unit_id].text


def test_clauses_are_verbatim_spans_with_their_modal(corpus_kb: KnowledgeBase) -> None:
    for unit in corpus_kb.units:
        for clause in clauses(unit.text):
            assert unit.text[clause.start : clause.end] == clause.text
    found = clauses(_article(corpus_kb, "guiding/a14"))  # 应当遵守保密纪律，不得泄露
    assert [c.stance for c in found] == [REQUIRED, PROHIBITED]
    [duty, resist] = clauses(_article(corpus_kb, "guiding/a16"))
    assert duty.stance == REQUIRED and resist.stance == DISCOURAGED and "直播打赏" in resist.text


def test_a_list_item_is_governed_by_its_heads_modal_not_by_its_own_words(corpus_kb: KnowledgeBase) -> None:
    # 意见三: 不得参加……纵容和支持宗教极端势力 — 支持 inside a banned item is not encouragement
    items = clauses(_article(corpus_kb, "yijian/a3"))
    assert len(items) == 5 and all(c.stance == PROHIBITED and c.subject == "党员干部" for c in items)
    assert all(c.head.startswith("党员干部不得参加以下网络活动") for c in items)


def test_an_organisation_told_to_reward_members_encourages_what_it_rewards(corpus_kb: KnowledgeBase) -> None:
    [clause] = clauses(_article(corpus_kb, "guiding/a22"))
    assert clause.subject == "党支部" and clause.stance == REQUIRED and stance_for_member(clause) == ENCOURAGED


@pytest.mark.parametrize(
    ("question", "kind", "omission"),
    [
        ("党员能不能开直播卖货", asking.YES_NO, False),
        ("发现网上有违法信息，可以不举报吗", asking.YES_NO, True),
        ("规定禁止哪些网络行为", asking.LIST, False),
        ("什么是网络行为", asking.DEFINITION, False),
        ("看到谣言该向谁举报", asking.WHO, False),
        ("不良网络现象指什么", asking.DEFINITION, False),
    ],
)
def test_what_a_question_asks(question: str, kind: str, omission: bool) -> None:
    read = asking.read(question)
    assert (read.kind, read.omission) == (kind, omission)


def test_a_ban_on_cadres_acting_in_office_is_conditional_for_a_member(assistant: Assistant) -> None:
    answer = assistant.ask("党员可以直播带货吗")
    conclusion = answer.conclusion
    assert answer.confidence == "direct" and conclusion is not None
    assert conclusion.stance == "conditional" and conclusion.applies == PROHIBITED
    assert conclusion.subject == "党员干部" and "以职务身份" in conclusion.conditions
    assert conclusion.text.startswith("不可以（限党员干部") and "《党员网络行为规定》第十八条" in conclusion.text
    assert conclusion.clause in assistant.kb.by_id[conclusion.basis].text
    assert answer.answer.startswith(f"**{conclusion.text}**")
    assert answer.to_json()["conclusion"]["basis"] == "guiding/a18"


def test_a_question_that_establishes_the_condition_gets_the_plain_stance(assistant: Assistant) -> None:
    # 第十七条 binds 党员干部 利用职务便利: a cadre taking a subordinate's gift establishes both
    conclusion = assistant.concluder.conclude("党员干部能否收下属送的游戏皮肤", [assistant.kb.by_id["guiding/a17"]])
    assert conclusion is not None and conclusion.stance == PROHIBITED and conclusion.text.startswith("不可以。")


def test_no_conclusion_for_lists_lookups_refusals_or_possible_answers(assistant: Assistant) -> None:
    for question in ("规定第十三条", "规定禁止哪些网络行为", "明天郑州会下雨吗？"):
        assert assistant.ask(question).conclusion is None
    possible = next(a for q in ("党员可以炒股吗", "党员在朋友圈晒工资条可以吗") if (a := assistant.ask(q)))
    assert possible.confidence != "direct" and possible.conclusion is None
    assert assistant.ask("规定禁止哪些网络行为").to_json()["conclusion"] is None


def test_a_rule_for_every_member_stands_in_for_the_same_rule_for_cadres(assistant: Assistant) -> None:
    # 意见三 binds 党员干部; 规定第十二条 forbids the same to every member: 限党员干部 would mislead
    by_id = assistant.kb.by_id
    units = [by_id["yijian/a3"], by_id["guiding/a12"]]
    religion = assistant.concluder.conclude("党员能参加网上的宗教活动吗", units)
    assert religion is not None and religion.basis == "guiding/a12" and religion.stance == PROHIBITED
    # but a rule sharing one word is not the same rule: 直播带货 is not 第九条's political 直播
    selling = assistant.concluder.conclude("党员可以直播带货吗", [by_id["guiding/a18"], by_id["guiding/a9"]])
    assert selling is not None and selling.basis == "guiding/a18" and selling.stance == "conditional"


def test_double_negation_and_exceptions() -> None:
    # 不得不 is no ban; 除……外 is an exception the conclusion names, verbatim
    assert not [c for c in clauses("党员不得不面对网络上的各种声音。") if c.modal]
    text = "除法律另有规定外，党员不得擅自公开他人个人信息。"
    [clause] = [c for c in clauses(text) if c.modal]
    assert clause.stance == PROHIBITED and clause.conditions == ("擅自", "除法律另有规定外")
    unit = Unit("demo/a3", "demo", "示例办法", "article", 3, "第三条", text)
    concluder = Concluder(Prompts(REPO_ROOT / "prompts"), lambda _word: 1.0, None)
    conclusion = concluder.conclude("党员可以公开别人的个人信息吗", [unit])
    assert conclusion is not None and conclusion.stance == "conditional"
    assert conclusion.text == "不可以（限擅自）（除法律另有规定外）。《示例办法》第三条：" + text


def test_leaving_a_duty_undone_is_answered_with_the_duty(assistant: Assistant) -> None:
    conclusion = assistant.ask("党员在网上看到违法违规的信息，可以不举报吗").conclusion
    if conclusion is not None:  # only where the tier is direct
        assert conclusion.applies == REQUIRED and conclusion.text.startswith("不可以不做，应当")
    duty = Concluder(assistant.prompts, assistant.kb.lexical.idf, None)
    drawn = duty.conclude("党员发现网上违法信息可以不举报吗", [assistant.kb.by_id["guiding/a20"]])
    assert drawn is not None and drawn.text.startswith("不可以不做，应当。《党员网络行为规定》第二十条")


def test_what_to_do_is_answered_with_a_duty_never_with_a_ban_on_something_else(assistant: Assistant) -> None:
    # 我该怎么办 asks for a duty: 第二十条's 应当……举报, even when a ban on rumours (第十一条) comes first
    by_id = assistant.kb.by_id
    units = [by_id["guiding/a11"], by_id["guiding/a20"]]
    drawn = assistant.concluder.conclude("群里有人散布抹黑英雄的谣言，我该怎么办", units)
    assert drawn is not None and drawn.basis == "guiding/a20" and drawn.applies == REQUIRED
    assert drawn.text.startswith("应当")
    # the ban alone gives no what-to-do answer: a ban is not an instruction
    assert assistant.concluder.conclude("群里有人散布谣言，我该怎么办", units[:1]) is None


def test_a_condition_of_one_listed_activity_is_not_named_for_another(assistant: Assistant) -> None:
    # 第十六条: ……直播打赏、沉迷网络游戏等不良网络现象 — 沉迷 qualifies 网络游戏, not 打赏
    article = [assistant.kb.by_id["guiding/a16"]]
    tipping = assistant.concluder.conclude("在网上给主播刷礼物打赏行不行", article)
    assert tipping is not None and "沉迷" not in tipping.conditions and tipping.stance == DISCOURAGED
    gaming = assistant.concluder.conclude("党员打网络游戏行不行", article)
    assert gaming is not None and gaming.conditions == ("沉迷",) and gaming.applies == DISCOURAGED
