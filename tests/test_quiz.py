"""Quiz generation on the real corpus: every item grounded in its article (checked here
independently of the generator's own check), no duplicates, all types, seeds, scopes, balance,
grading, the group record, exports, the CLI contract, and LLM-written items behind a fake
OpenAI-compatible server."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from collections import Counter
from dataclasses import replace

import pytest
from fake_openai import Behaviour, FakeOpenAI

from regstudy.composition import open_quizzes
from regstudy.errors import QuizRequestError, QuizScopeError, UnknownDocumentError
from regstudy.quotes import comparable
from regstudy.settings import REPO_ROOT
from regstudy.study.docx import markdown_to_docx
from regstudy.study.quiz.book import QuizBook
from regstudy.study.quiz.export import key_markdown, paper_markdown
from regstudy.study.quiz.grading import grade, is_correct
from regstudy.study.quiz.grounding import check
from regstudy.study.quiz.items import BLANK, BLANK_MARK, JUDGE, LETTERS, MULTIPLE, SINGLE, QuizItem, Source
from regstudy.study.quiz.meaning import misstatements
from regstudy.study.quiz.service import QuizService

ALL = ["single", "multiple", "judge", "blank"]


@pytest.fixture(scope="module")
def quizzes(corpus_settings) -> QuizService:
    return open_quizzes(corpus_settings)


def article(quizzes: QuizService, item: QuizItem) -> str:
    return quizzes.kb.by_id[item.source.unit_id].text


def grounded(quizzes: QuizService, item: QuizItem) -> bool:
    """The key is supported by a verbatim span of the cited article (written out, not via check())."""
    text = comparable(article(quizzes, item))
    everything = [comparable(u.text) for u in quizzes.kb.units]
    if item.type == BLANK:
        return comparable(item.stem.replace(BLANK_MARK, item.answer)) in text  # type: ignore[arg-type]
    if item.type == JUDGE:
        statement = comparable(item.stem.split("，", 1)[1])
        return statement in text if item.answer else not any(statement in t for t in everything)
    right = item.correct_options()
    wrong = [o for o in item.options if o not in right]
    if right == [item.source.article]:  # 出自哪一条
        statement = comparable(item.stem[1 : item.stem.rindex("”")])
        holders = {u.label for u in quizzes.kb.units_of(item.source.doc_id) if statement in comparable(u.text)}
        return holders == {item.source.article}
    return all(comparable(o) in text for o in right) and not any(comparable(o) in text for o in wrong)


def test_forty_item_paper_is_grounded_unique_and_complete(quizzes: QuizService) -> None:
    paper = quizzes.paper(40, ALL, seed=7)
    assert len(paper.items) == 40
    assert Counter(i.type for i in paper.items) == {SINGLE: 10, MULTIPLE: 10, JUDGE: 10, BLANK: 10}
    assert len({comparable(i.stem) for i in paper.items}) == 40
    for item in paper.items:
        assert grounded(quizzes, item), item
        assert comparable(item.source.quote) in comparable(article(quizzes, item))
        assert item.source.quote in item.explanation
    judged = Counter(i.answer for i in paper.items if i.type == JUDGE)
    assert judged[True] == judged[False] == 5
    assert max(paper.articles.values()) <= 2  # 40 items over 32 articles


def test_the_same_seed_gives_the_same_paper(quizzes: QuizService) -> None:
    first = [i.to_json() for i in quizzes.paper(20, ALL, seed=3).items]
    assert first == [i.to_json() for i in quizzes.paper(20, ALL, seed=3).items]
    assert first != [i.to_json() for i in quizzes.paper(20, ALL, seed=4).items]


@pytest.mark.parametrize(
    ("scope", "expected"),
    [
        (["意见"], {f"yijian/a{n}" for n in range(1, 7)}),
        (["规定第四章"], {f"guiding/a{n}" for n in range(21, 26)}),
        (
            ["规定第9-11条", "意见第二条、第三条"],
            {"guiding/a9", "guiding/a10", "guiding/a11", "yijian/a2", "yijian/a3"},
        ),
        (["党员网络行为规定第十三条"], {"guiding/a13"}),
    ],
)
def test_scope_limits_and_balances_the_articles(quizzes: QuizService, scope, expected) -> None:
    paper = quizzes.paper(10, ALL, scope, seed=1)
    used = paper.articles
    assert set(used) <= expected and paper.items
    if len(expected) > 1:
        assert set(used) == expected  # every article in scope is asked about
        assert max(used.values()) - min(used.values()) <= 2  # some articles offer fewer item types


def test_bad_requests_get_clear_errors(quizzes: QuizService) -> None:
    with pytest.raises(QuizScopeError, match="共二十六条，没有第三十条"):
        quizzes.paper(5, ALL, ["规定第三十条"])
    with pytest.raises(QuizScopeError, match="多份文件"):
        quizzes.paper(5, ALL, ["第三条"])
    with pytest.raises(UnknownDocumentError):
        quizzes.paper(5, ALL, ["刑法"])
    with pytest.raises(UnknownDocumentError, match="「不存在规定第一条」"):  # not read as 规定第一条
        quizzes.paper(5, ALL, ["不存在规定第一条"])
    assert len(quizzes.paper(3, ALL, ["《规定》的第三章"]).items) == 3  # while 的, 《》 and numbers are understood
    with pytest.raises(QuizRequestError, match="未知的题型：essay。可选：单选题（single）、多选题（multiple）"):
        quizzes.paper(5, ["single", "essay"])
    with pytest.raises(QuizRequestError, match="请至少选择一种题型：单选题、多选题、判断题、填空题") as nothing:
        quizzes.paper(5, [])
    assert not re.search(r"[A-Za-z]", str(nothing.value))  # the page's message names the types in Chinese
    assert {i.type for i in quizzes.paper(6, ["判断题", "填空"], seed=1).items} <= {"judge", "blank"}
    with pytest.raises(QuizRequestError, match="题目数量"):
        quizzes.paper(0, ALL)


def test_the_grounding_check_rejects_what_is_not_supported(quizzes: QuizService) -> None:
    items = {i.type: i for i in quizzes.paper(12, ALL, seed=5).items}
    pool = quizzes.pool
    assert all(check(i, pool).ok for i in items.values())
    blank = items[BLANK]
    assert not check(replace(blank, answer=blank.answer + "和"), pool).ok
    single = items[SINGLE]
    wrong_letter = next(x for x in LETTERS[: len(single.options)] if x != single.answer)
    assert not check(replace(single, answer=wrong_letter), pool).ok
    judge = items[JUDGE]
    assert not check(replace(judge, answer=not judge.answer), pool).ok
    assert not check(replace(blank, source=replace(blank.source, quote="党员可以随意上网")), pool).ok
    multiple = items[MULTIPLE]
    inside = article(quizzes, multiple)[:6]
    options = (*multiple.options[:-1], inside)
    if multiple.options[-1] not in multiple.correct_options():
        assert not check(replace(multiple, options=options), pool).ok


def test_grading_accepts_the_forms_people_answer_in(quizzes: QuizService) -> None:
    items = {i.type: i for i in quizzes.paper(12, ALL, seed=5).items}
    single, multiple, judge, blank = items[SINGLE], items[MULTIPLE], items[JUDGE], items[BLANK]
    assert is_correct(single, single.answer) and is_correct(single, single.answer.lower())
    assert is_correct(single, LETTERS.index(single.answer)) and is_correct(single, single.correct_options()[0])
    assert is_correct(multiple, list(reversed(multiple.answer)))
    assert not is_correct(multiple, list(multiple.answer)[:1])
    assert is_correct(judge, "正确" if judge.answer else "错误") and not is_correct(judge, not judge.answer)
    assert is_correct(blank, f" {blank.answer} ") and not is_correct(blank, "")
    score = grade([single, judge], [single.answer])
    assert (score.right, score.total) == (1, 2)


def test_group_record_names_the_articles_missed_most(quizzes: QuizService, tmp_path) -> None:
    book = QuizBook(tmp_path)
    paper = quizzes.paper(6, ALL, seed=2)
    code = book.keep(paper)
    assert [i.to_json() for i in book.paper(code.lower()).items] == [i.to_json() for i in paper.items]
    first = paper.items[0]
    book.record(code, grade(paper.items, []), "甲")  # a blank paper, then the real one: the latest counts
    book.record(code, grade(paper.items, [None] + [i.answer for i in paper.items[1:]]), "甲")
    book.record(code, grade(paper.items, [None] + [i.answer for i in paper.items[1:]]), "丙")
    book.record(code, grade(paper.items, []), "乙")  # blank: not in the group's figures
    assert sorted(s["name"] for s in book.submissions(code)) == ["丙", "甲"]
    weakest = book.weakest(code, {u.id: u.citation for u in quizzes.kb.units})
    assert weakest[0].unit_id == first.source.unit_id and weakest[0].wrong == 2
    with pytest.raises(QuizRequestError, match="姓名"):
        book.record(code, grade(paper.items, []), "  ")
    with pytest.raises(QuizRequestError, match="试卷码"):
        book.paper("ZZZZZZ")


def test_exports_keep_answers_out_of_the_paper(quizzes: QuizService) -> None:
    from docx import Document

    paper = quizzes.paper(8, ALL, seed=9)
    sheet, key = paper_markdown(paper, "ABC123", quizzes.prompts), key_markdown(paper, "ABC123", quizzes.prompts)
    assert all(i.stem in sheet for i in paper.items) and "答案：" not in sheet and "原文：" not in sheet
    assert all(i.source.quote in key for i in paper.items)
    text = "\n".join(p.text for p in Document(io.BytesIO(markdown_to_docx(sheet))).paragraphs)
    assert paper.items[0].stem in text and "一、单选题" in text


def test_cli_quiz_json_contract(corpus_settings) -> None:
    env = {**os.environ, "REGSTUDY_DATA_DIR": str(corpus_settings.data_dir)}
    command = [sys.executable, "-m", "regstudy", "quiz", "--n", "20", "--types", "single,multiple,judge,blank"]
    result = subprocess.run([*command, "--seed", "7", "--json"], cwd=REPO_ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    items = json.loads(result.stdout)
    assert len(items) == 20 and {i["type"] for i in items} == set(ALL)
    for item in items:
        assert set(item) >= {"type", "stem", "options", "answer", "source", "explanation"}
        assert set(item["source"]) >= {"document", "article", "quote"}
        if item["type"] == "single":
            assert item["answer"] in "ABCD" and len(item["options"]) == 4
        if item["type"] == "multiple":
            assert isinstance(item["answer"], list) and len(item["answer"]) >= 2
        if item["type"] == "judge":
            assert isinstance(item["answer"], bool)
        if item["type"] == "blank":
            assert BLANK_MARK in item["stem"] and isinstance(item["answer"], str)
    again = subprocess.run([*command, "--seed", "7", "--json"], cwd=REPO_ROOT, env=env, capture_output=True, text=True)
    assert json.loads(again.stdout) == items
    bad = subprocess.run([*command, "--scope", "规定第九十条"], cwd=REPO_ROOT, env=env, capture_output=True, text=True)
    assert bad.returncode == 2 and "没有第九十条" in bad.stderr and "Traceback" not in bad.stderr


GROUNDED = {
    "type": "blank",
    "stem": "党员不得擅自建立、使用非法定信道浏览、访问、使用____的网站、应用程序等。",
    "answer": "境外",
    "quote": "党员不得擅自建立、使用非法定信道浏览、访问、使用境外的网站、应用程序等",
    "explanation": "第十三条禁止访问“境外的网站”。",
}
INVENTED = {**GROUNDED, "answer": "境外专线", "stem": "党员不得擅自建立、使用____访问境外网站。"}


def test_llm_items_are_added_only_when_grounded(corpus_settings) -> None:
    def reply(messages: list[dict]) -> str:
        wanted = "填空题" in messages[-1]["content"]
        return json.dumps({"items": [INVENTED, GROUNDED] if wanted else [INVENTED]}, ensure_ascii=False)

    with FakeOpenAI(Behaviour(reply=reply)) as server:
        settings = corpus_settings.model_copy(
            update={"llm_base_url": server.base_url, "llm_model": "qwen2.5", "quiz_llm_share": 1.0}
        )
        paper = open_quizzes(settings).paper(4, ["blank"], ["规定第十三条"], seed=1)
    written = [i for i in paper.items if i.origin == "llm"]
    assert [i.answer for i in written] == ["境外"]
    assert all(i.answer != "境外专线" for i in paper.items)
    assert server.behaviour.requests and "非法定信道" in server.behaviour.requests[0]["messages"][-1]["content"]


def _category_item(quizzes: QuizService, unit_id: str, head: str, keys: list[str], others: list[str]) -> QuizItem:
    unit = quizzes.kb.by_id[unit_id]
    source = Source(unit.document, unit.label, keys[0], unit.id, unit.doc_id)
    stem = f"根据{unit.citation}，下列属于“{head}”的有（　）。"
    return QuizItem(MULTIPLE, stem, list(LETTERS[: len(keys)]), source, "", (*keys, *others))


def test_a_list_item_cut_from_its_governing_word_is_rejected(quizzes: QuizService) -> None:
    others = ["密切联系群众", "回应社会关切"]
    # 歪曲党的历史、中华人民共和国历史、人民军队历史: the history is not the problem, 歪曲 it is
    history = _category_item(
        quizzes, "guiding/a9", "有严重政治问题的信息", ["中华人民共和国历史", "人民军队历史"], others
    )
    assert [r.rule for r in misstatements(history, article(quizzes, history))] == ["fragment-of-list"] * 2
    assert not check(history, quizzes.pool).ok
    petition = _category_item(quizzes, "guiding/a10", "网上非法组织、非法活动", ["联署", "集会"], others)
    assert not check(petition, quizzes.pool).ok  # 不法 binds 串联、联署、集会 alike
    # 自觉抵制 stands outside the category: 炫富斗阔 alone is a 不良网络文化; 传播 is the act, 音频 the content
    culture = _category_item(quizzes, "guiding/a16", "不良网络文化", ["炫富斗阔", "铺张浪费"], others)
    content = _category_item(quizzes, "guiding/a2", "信息内容", ["音频", "视频"], others)
    assert misstatements(culture, article(quizzes, culture)) == misstatements(content, article(quizzes, content)) == []


def test_papers_over_the_whole_knowledge_base_state_nothing_the_articles_do_not(quizzes: QuizService) -> None:
    for seed in range(1, 6):
        for item in quizzes.paper(100, ALL, seed=seed).items:
            assert misstatements(item, article(quizzes, item), quizzes.pool.scope_texts) == [], item
            assert not (item.type == JUDGE and "不必" in item.stem), item


def test_the_printed_paper_is_a4_in_chinese_with_page_numbers(quizzes: QuizService) -> None:
    from docx import Document
    from docx.oxml.ns import qn

    paper = quizzes.paper(8, ALL, seed=9)
    document = Document(io.BytesIO(markdown_to_docx(paper_markdown(paper, "ABC123", quizzes.prompts))))
    size = document.sections[0]._sectPr.find(qn("w:pgSz"))
    assert (int(size.get(qn("w:w"))), int(size.get(qn("w:h")))) == (11906, 16838)  # A4 in twentieths of a point
    normal = document.styles["Normal"].element.rPr
    assert normal.find(qn("w:lang")).get(qn("w:eastAsia")) == "zh-CN" == normal.find(qn("w:lang")).get(qn("w:val"))
    assert normal.rFonts.get(qn("w:eastAsia")) == "宋体"
    footer = document.sections[0].footer._element.xml
    assert "PAGE" in footer and "第 " in footer
    assert "姓名：" in "\n".join(p.text for p in document.paragraphs) and "日期：" in footer + "\n".join(
        p.text for p in document.paragraphs
    )


def test_a_distractor_that_another_article_makes_true_is_rejected(quizzes: QuizService) -> None:
    unit = quizzes.kb.by_id["guiding/a12"]
    key = "参与网络宗教活动、迷信活动"
    source = Source(unit.document, unit.label, key, unit.id, unit.doc_id)
    banned_elsewhere = "通过网络泄露、扩散党和国家秘密、工作秘密"  # 第十四条 forbids it too
    stem = f"根据{unit.citation}，党员不得（　）。"
    item = QuizItem(SINGLE, stem, "A", source, "", (key, banned_elsewhere, "培育良好网络习惯", "密切联系群众"))
    found = misstatements(item, unit.text, quizzes.pool.scope_texts)
    assert [(r.rule, r.option) for r in found] == [("true-elsewhere", banned_elsewhere)]
    assert not check(item, quizzes.pool).ok


def test_a_false_statement_must_be_a_clean_flip_of_a_modal(quizzes: QuizService) -> None:
    unit = quizzes.kb.by_id["guiding/a4"]
    source = Source(unit.document, unit.label, unit.text[:20], unit.id, unit.doc_id)
    broken = "根据《党员网络行为规定》，党员应当积极通过网可以不广泛宣传习近平新时代中国特色社会主义思想。"
    clean = "根据《党员网络行为规定》，党员可以不践行网上群众路线，密切联系群众。"
    scope = quizzes.pool.scope_texts
    assert [r.rule for r in misstatements(QuizItem(JUDGE, broken, False, source, ""), unit.text, scope)] == [
        "broken-flip"
    ]
    assert misstatements(QuizItem(JUDGE, clean, False, source, ""), unit.text, scope) == []


def test_the_review_book_follows_the_schedule_and_survives_a_restart(quizzes: QuizService, tmp_path) -> None:
    from datetime import date, timedelta

    from regstudy.study.quiz.review import ReviewBook

    paper = quizzes.paper(4, ["single", "judge"], ["规定第十三条", "规定第十四条"], seed=3)
    first, second = paper.items[0], paper.items[1]
    wrong = [next(x for x in "ABCD" if x != i.answer) if i.type == SINGLE else not i.answer for i in paper.items]
    right = [i.answer for i in paper.items]
    day = date(2026, 11, 27)
    book = ReviewBook(tmp_path)
    book.record("张三", grade(paper.items, wrong), day)  # every article missed once
    missed = {i.source.unit_id for i in paper.items}
    assert set(book.due("张三", day)) == missed and book.due("李四", day) == []
    restarted = ReviewBook(tmp_path)  # the same folder after an app restart
    assert set(restarted.due("张三", day)) == missed
    d0, d1, d4 = day, day + timedelta(1), day + timedelta(4)
    restarted.record("张三", grade(paper.items, right), d0)  # right once: back tomorrow
    assert restarted.due("张三", d0) == [] and set(restarted.due("张三", d1)) == missed
    restarted.record("张三", grade(paper.items, right), d1)  # twice: back in three days
    assert restarted.due("张三", d4 - timedelta(1)) == [] and set(restarted.due("张三", d4)) == missed
    restarted.record("张三", grade(paper.items, right), d4)  # three in a row: out of the book
    assert restarted.entries("张三") == []
    restarted.record("张三", grade([first, second], [wrong[0], None]), day)  # unanswered is no miss
    assert restarted.due("张三", day) == [first.source.unit_id]


def test_review_papers_draw_cloze_and_true_false_from_the_articles_due(quizzes: QuizService) -> None:
    paper = quizzes.paper(6, ["single"], ["规定第十三条"], seed=4)
    wrong = [next(x for x in "ABCD" if x != i.answer) for i in paper.items]
    quizzes.record(quizzes.book.keep(paper), grade(paper.items, wrong), "王五")
    review = quizzes.review_paper("王五", 6)
    assert review.items and {i.type for i in review.items} <= {BLANK, JUDGE}
    assert {i.source.unit_id for i in review.items} == {"guiding/a13"}
    with pytest.raises(QuizRequestError, match="错题本"):
        quizzes.review_paper("赵六")


def test_the_server_limits_member_names(corpus_settings, quizzes: QuizService, tmp_path) -> None:
    service = open_quizzes(corpus_settings.model_copy(update={"data_dir": tmp_path / "data"}), quizzes.kb)
    paper = service.paper(4, ALL, seed=5)
    code = service.book.keep(paper)
    score = service.grade(paper.items, [i.answer for i in paper.items])
    with pytest.raises(QuizRequestError, match="姓名过长（1000000 字），最多 40 字"):
        service.record(code, score, "名" * 1_000_000)  # the page's max_length is not a server limit
    with pytest.raises(QuizRequestError, match="请填写姓名"):
        service.record(code, score, "   ")
    assert service.book.submissions(code) == []
    service.record(code, score, " 张三 ")
    assert [s["name"] for s in service.book.submissions(code)] == ["张三"]


def test_group_results_are_transactional_and_resubmission_moves_the_counts(quizzes: QuizService, tmp_path) -> None:
    """Submissions live in SQLite: eight threads submitting at once lose nothing and never read a half
    row (the .jsonl file was read without the lock: JSONDecodeError); a member who submits again
    replaces their counts; results kept by the earlier .jsonl files are taken in once."""
    from concurrent.futures import ThreadPoolExecutor

    paper = quizzes.paper(6, ALL, seed=3)
    legacy = tmp_path / "results"
    legacy.mkdir()
    old = {"at": 1.0, "name": "旧", "right": 0, "total": 6, "answered": 6,
           "wrong": [paper.items[0].source.unit_id], "asked": [paper.items[0].source.unit_id]}  # fmt: skip
    book = QuizBook(tmp_path)
    code = book.keep(paper)
    (legacy / f"{code}.jsonl").write_text(json.dumps(old, ensure_ascii=False) + "\n", encoding="utf-8")
    book = QuizBook(tmp_path)  # a restart takes the old file in
    first = paper.items[0].source.unit_id
    wrong_first = [None] + [i.answer for i in paper.items[1:]]

    def submit(n: int) -> int:
        book.record(code, grade(paper.items, wrong_first), f"成员{n % 40}")
        return book.people(code)

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(submit, range(400)))
    assert book.people(code) == 41 and len(book.submissions(code)) == 41
    weak = book.weakest(code, {})[0]
    assert (weak.unit_id, weak.wrong) == (first, 41)
    book.record(code, grade(paper.items, [i.answer for i in paper.items]), "成员0")  # now all right
    assert book.weakest(code, {})[0].wrong == 40 and book.people(code) == 41
    assert not list(legacy.glob("*.jsonl"))
