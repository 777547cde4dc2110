"""The HTML views, rendered from the autoescaped templates: document and user text is escaped,
the answering sentences are marked, links open the article in 原文."""

from __future__ import annotations

import html
from pathlib import Path

from regstudy.answering.answers import Answer, Citation
from regstudy.answering.service import Assistant
from regstudy.composition import Services, open_checker, open_quizzes
from regstudy.kb.parallels import ParallelProvisions
from regstudy.records import Unit
from regstudy.settings import Settings
from regstudy.web.live import LiveServices
from regstudy.web.quiz import QuizHandlers, result_html
from regstudy.web.views import answer_html, document_html

TEXT = "党员不得<script>alert(1)</script>。\n第二款。"
HOSTILE = Unit("x/a1", "x", "<规定>", "article", 1, "第一条", TEXT, ("第一章 & 总则",))


def test_a_citation_card_escapes_the_article_and_marks_the_answering_sentence(assistant: Assistant) -> None:
    citation = Citation(HOSTILE, HOSTILE.text, ("党员不得<script>alert(1)</script>。",))
    html = str(answer_html(assistant.prompts, Answer("问", "", False, (citation,), (citation,), notice="<b>注意</b>")))
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<mark>党员不得&lt;script&gt;alert(1)&lt;/script&gt;。</mark><br>第二款。" in html
    assert "<b>《&lt;规定&gt;》第一条</b>（第一章 &amp; 总则）" in html
    assert 'href="#rs:x%2Fa1" class="rs-open">在原文中查看</a>' in html
    assert '相关条文：<a href="#rs:x%2Fa1"' in html and "&lt;b&gt;注意&lt;/b&gt;" in html


def test_a_refusal_and_the_real_answer_render(assistant: Assistant) -> None:
    refused = str(answer_html(assistant.prompts, Answer("问", "知识库中没有<相关>内容。\n可以换个问法。", True)))
    expected = '<div class="rs-refused"><b>未找到依据</b><br>知识库中没有&lt;相关&gt;内容。<br>可以换个问法。'
    assert refused.startswith(expected)
    real = str(answer_html(assistant.prompts, assistant.ask("党员可以访问境外网站吗？")))
    assert real.count('<div class="rs-cite">') >= 1 and "《党员网络行为规定》第十三条" in real and "<mark>" in real


def test_the_document_view_lists_chapters_once_and_selects_the_target(assistant: Assistant) -> None:
    kb = assistant.kb
    html = str(document_html(assistant.prompts, kb.document("guiding"), kb.units_of("guiding"), "guiding/a13"))
    assert html.startswith('<h3 data-doc="guiding">《党员网络行为规定》</h3>')
    assert html.count("<h4>第三章 网络行为管理</h4>") == 1
    assert (
        html.count("rs-selected") == 1 and 'class="rs-unit rs-selected" data-unit="guiding/a13"><b>第十三条</b>' in html
    )


def test_the_quiz_result_and_the_group_record_render(
    corpus_settings: Settings, assistant: Assistant, tmp_path: Path
) -> None:
    service = open_quizzes(corpus_settings.model_copy(update={"data_dir": tmp_path / "data"}), assistant.kb)
    paper = service.paper(4, ["single", "judge"], ["规定第十三条"], seed=3)
    code = service.book.keep(paper)
    score = service.grade(paper.items, [None] * len(paper.items))
    service.book.record(code, score, "李四")  # a blank paper: not in the group's figures
    wrong = [
        not i.answer if isinstance(i.answer, bool) else next(x for x in "ABCD" if x != i.answer) for i in paper.items
    ]
    service.book.record(code, service.grade(paper.items, wrong), "张三")
    checker = open_checker(corpus_settings, assistant.kb, assistant.prompts)
    parallels = ParallelProvisions(assistant.kb, assistant.retriever.embeddings)
    live = LiveServices(Services(corpus_settings, assistant, service, checker, parallels))
    page = result_html(service.prompts, score, [None] * len(paper.items)) + QuizHandlers(live)._group_html(code)
    assert page.count('class="rs-quiz-review rs-wrong"') == len(paper.items) and "你的答案：未作答" in page
    assert "本组错得最多的条文（1 人交卷）" in page and 'href="#rs:guiding%2Fa13"' in page


def test_with_login_only_organisers_make_papers(
    corpus_settings: Settings, assistant: Assistant, tmp_path: Path
) -> None:
    import gradio as gr
    import pytest

    from regstudy.accounts import Accounts

    accounts = Accounts.load(tmp_path / "users.json")
    accounts.add("zhang", "admin", "correct horse")
    accounts.add("li", "member", "battery staple")
    service = open_quizzes(corpus_settings.model_copy(update={"data_dir": tmp_path / "data"}), assistant.kb)
    checker = open_checker(corpus_settings, assistant.kb, assistant.prompts)
    parallels = ParallelProvisions(assistant.kb, assistant.retriever.embeddings)
    handlers = QuizHandlers(LiveServices(Services(corpus_settings, assistant, service, checker, parallels)), accounts)
    member, organiser = gr.Request(username="li"), gr.Request(username="zhang")
    assert handlers.organiser_visibility(member).visible is False
    assert handlers.organiser_visibility(organiser).visible is True
    with pytest.raises(gr.Error, match="组织者"):
        handlers.make([], ["single"], 4, member)
    info, code, preview, files = handlers.make([], ["single"], 4, organiser)
    assert code in info and "种子" in info and "答案：" in preview and len(files) == 4
    state, shown, _, _ = handlers.load(code)
    assert "种子" not in shown and len(state["items"]) == 4
    items = service.book.paper(code).items
    wrong = [next(x for x in "ABCD" if x != i.answer) for i in items]
    service.record(code, service.grade(items, wrong), "李四")
    rows = {r["unit_id"]: r for r in service.coverage()}
    first = rows[items[0].source.unit_id]
    assert first["papers"] == 1 and first["wrong"] >= 1 and first["answered"] >= first["wrong"]
    table = handlers.coverage(organiser)
    assert items[0].source.citation in table and "答错人次" in table
    with pytest.raises(gr.Error, match="组织者"):
        handlers.coverage(member)
    record = service.session_record(code)
    assert "党支部学习记录" in record and "（1 人交卷）" in record and items[0].source.citation in record
    assert assistant.kb.by_id[service.weakest(code)[0].unit_id].text in record  # the most-missed article in full
    docx, markdown = handlers.record(code, organiser)
    assert docx.endswith(".docx") and Path(markdown).read_text(encoding="utf-8").strip() == record.strip()


def test_document_text_with_markdown_stays_text_in_the_chat(assistant: Assistant) -> None:
    """An article holding Markdown image and link syntax shows as those characters: rendered with a
    CommonMark renderer (as the chat renders its messages), no image and no link appear."""
    from markdown_it import MarkdownIt

    from regstudy.web.inert import inert_text, markdown_inert

    hostile = "A![p](http://host/x.png)B A[请点此重新登录](http://host/phish)B *强调* `代码`"
    unit = Unit("guiding-a99", "guiding", "党员网络行为规定", "article", 99, "第九十九条", hostile)
    answer = Answer("问", hostile, False, (Citation(unit, hostile),))
    render = MarkdownIt("commonmark").render
    assert "<img" in render(html.escape(hostile))  # escaping alone is not enough: Markdown still acts
    shown = render(inert_text(hostile))
    assert "<img" not in shown and 'href="http://host' not in shown and "<em>" not in shown
    assert "A![p](http://host/x.png)B" in html.unescape(shown)  # the characters themselves are shown
    card = markdown_inert(answer_html(assistant.prompts, answer, []))
    assert "](" not in card and "![" not in card  # nothing left to act on, whatever a renderer does with HTML
    assert "A![p](http://host/x.png)B" in html.unescape(card)


def test_a_fault_in_any_handler_reaches_the_page_as_a_chinese_message(caplog) -> None:
    """Unexpected exceptions (a 100,000-character quiz code, a None name) used to show Gradio's bare
    "Error"; every handler class now answers them in Chinese and logs the traceback."""
    import gradio as gr
    import pytest

    from regstudy.errors import QuizRequestError
    from regstudy.web import admin, chat, check, quiz, source
    from regstudy.web.edge import FAULT, at_the_edge

    @at_the_edge
    class Handlers:
        def fails(self) -> None:
            raise KeyError("boom")

        def refuses(self) -> None:
            raise QuizRequestError("没有<b>这份</b>试卷")

        def streams(self):
            yield 1
            raise ValueError("late")

    with pytest.raises(gr.Error) as fault:
        Handlers().fails()
    assert fault.value.message == FAULT and "KeyError" in caplog.text
    with pytest.raises(gr.Error) as refusal:
        Handlers().refuses()
    assert refusal.value.message == "没有&lt;b&gt;这份&lt;/b&gt;试卷"
    with pytest.raises(gr.Error, match="意外错误"):
        list(Handlers().streams())
    classes = (admin.AdminHandlers, chat.ChatHandlers, check.CheckHandlers, quiz.QuizHandlers, source.SourceHandlers)
    for cls in classes:
        assert all(hasattr(m, "__wrapped__") for n, m in vars(cls).items() if callable(m) and not n.startswith("_"))


def test_a_refusal_quoting_member_text_is_one_short_log_line(caplog) -> None:
    import logging

    from regstudy.web.edge import refuse

    forged = "没有试卷码为「1\n2026-11-28 ERROR regstudy.web.edge：未预料的错误\nTraceback」的试卷。" + "长" * 500
    with caplog.at_level(logging.INFO, logger="regstudy.web.edge"):
        error = refuse(forged)
    (line,) = [r.getMessage() for r in caplog.records]
    assert "\n" not in line and "\\x0a2026-11-28 ERROR" in line and len(line) < 220 and line.endswith("…")
    assert error.message == forged  # the member still sees the whole message
