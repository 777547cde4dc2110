"""The 测验 tab (Gradio): the organiser picks scope, types and number; members answer in the page
or load the same paper by its code; submitting shows the score, every right answer with its
article quoted, and the articles the group got wrong most. Papers export as DOCX and Markdown."""

from __future__ import annotations

import html
from typing import Any

import gradio as gr

from regstudy.accounts import Accounts
from regstudy.prompts import Prompts
from regstudy.study.docx import write_markdown_and_docx
from regstudy.study.quiz.grading import Score
from regstudy.study.quiz.items import BLANK, JUDGE, LETTERS, MULTIPLE, SINGLE, TYPE_NAMES, TYPES, QuizItem
from regstudy.study.quiz.paper import Paper
from regstudy.study.quiz.service import QuizService
from regstudy.web.edge import at_the_edge, refuse
from regstudy.web.exports import export_folder
from regstudy.web.inert import markdown_inert
from regstudy.web.limits import HEAVY
from regstudy.web.live import LiveServices
from regstudy.web.views import open_link

JUDGE_CHOICES = [("正确", "true"), ("错误", "false")]
EMPTY = "选择范围、题型和数量后点击“出题”，把试卷码发给成员；成员在“答题”中输入试卷码作答。"
MEMBER_EMPTY = "输入组织者给出的试卷码，点“加载试卷”。"


@at_the_edge
class QuizHandlers:
    def __init__(self, live: LiveServices, accounts: Accounts | None = None) -> None:
        self.live = live
        self.accounts = accounts

    def is_organiser(self, request: gr.Request | None) -> bool:
        """With login, organisers are the admin accounts; without, the 出题 view is the organiser's."""
        return self.accounts is None or self.accounts.is_admin(getattr(request, "username", None))

    def organiser_visibility(self, request: gr.Request) -> gr.Tab:
        return gr.Tab(visible=self.is_organiser(request))

    @property
    def service(self) -> QuizService:
        return self.live.services.quizzes

    def make(self, scope: list[str], types: list[str], n: float, request: gr.Request) -> tuple:
        """The organiser's paper: its code to hand out, the seed, a preview with the answers, and
        the printable paper and key."""
        if not self.is_organiser(request):
            raise refuse("出题需要组织者（管理员）账号；成员请在“答题”中输入试卷码。")
        paper = self.service.paper(int(n), types or [], scope or [])
        code = self.service.book.keep(paper)
        scope_label = markdown_inert(html.escape(paper.scope_label))
        info = (
            f"试卷码 **{code}**（请发给成员）· 范围：{scope_label} · 共 {len(paper.items)} 题 · 种子 {paper.spec.seed}"
        )
        preview = self.service.prompts.html("quiz_preview", items=[_preview(i) for i in paper.items])
        return info, code, preview, self._exports(paper, code)

    def coverage(self, request: gr.Request) -> str:
        """The organiser's view of which articles the branch's papers asked and members missed."""
        if not self.is_organiser(request):
            raise refuse("只有组织者可以查看本支部的答题情况。")
        rows = [{**row, "link": open_link(row["unit_id"])} for row in self.service.coverage()]
        return self.service.prompts.html("quiz_coverage", rows=rows, papers=self.service.handed_out())

    def record(self, code: str, request: gr.Request) -> list[str]:
        """The 学习记录 of the session held on this paper, as DOCX and Markdown."""
        if not self.is_organiser(request):
            raise refuse("只有组织者可以导出学习记录。")
        markdown = self.service.session_record(code)
        folder = export_folder("record")
        return [str(p) for p in write_markdown_and_docx(folder, f"学习记录-{code.strip().upper()}", markdown)]

    def review(self, name: str) -> tuple:
        """A paper of 填空 and 判断 on the articles due in the member's 错题本."""
        paper = self.service.review_paper(name)
        code = self.service.book.keep(paper)
        return self.load(code)

    def load(self, code: str) -> tuple:
        """A member's paper by its code: the items only — no key, no seed, no organiser controls."""
        paper = self.service.book.paper(code)
        code = code.strip().upper()
        state = {"code": code, "items": [i.to_json() for i in paper.items]}
        info = f"试卷码 **{code}** · 共 {len(paper.items)} 题。答完填写姓名后点“交卷”。"
        return state, info, "", code

    def _exports(self, paper: Paper, code: str) -> list[str]:
        folder = export_folder(f"quiz-{code}")
        texts = self.service.exports(paper, code)
        files = []
        for name, key in (("试卷", "paper"), ("答案", "key")):
            files += [str(p) for p in write_markdown_and_docx(folder, f"{name}-{code}", texts[key])]
        return files

    def submit(self, state: dict | None, name: str, *answers: Any) -> str:
        if not state:
            raise refuse("还没有试卷。请先出题或加载试卷。")
        items = [QuizItem.from_json(i) for i in state["items"]]
        given = [_given(item, a) for item, a in zip(items, answers, strict=False)]
        score = self.service.grade(items, given)
        self.service.record(state["code"], score, name.strip())
        return result_html(self.service.prompts, score, given) + self._group_html(state["code"])

    def _group_html(self, code: str) -> str:
        weak = [{"link": open_link(w.unit_id), "citation": w.citation, "wrong": w.wrong, "answered": w.answered}
                for w in self.service.weakest(code)]  # fmt: skip
        people = self.service.book.people(code)
        return self.service.prompts.html("quiz_group", weak=weak, people=people)


def _preview(item: QuizItem) -> dict[str, Any]:
    options = [f"{LETTERS[n]}. {o}" for n, o in enumerate(item.options)]
    return {"type": TYPE_NAMES[item.type], "stem": item.stem, "options": options, "answer": item.answer_text(),
            "citation": item.source.citation}  # fmt: skip


def _given(item: QuizItem, value: Any) -> Any:
    if item.type == JUDGE and value in ("true", "false"):
        return value == "true"
    return value


def result_html(prompts: Prompts, score: Score, given: list[Any]) -> str:
    reviews = [
        _review(outcome.item, outcome.correct, value) for outcome, value in zip(score.outcomes, given, strict=False)
    ]
    return prompts.html("quiz_result", right=score.right, total=score.total, reviews=reviews)


def _review(item: QuizItem, correct: bool, value: Any) -> dict[str, Any]:
    return {
        "correct": correct,
        "type_name": TYPE_NAMES[item.type],
        "mine": _shown_answer(item, value),
        "answer": item.answer_text(),
        "explanation": "\n".join(item.explanation.splitlines()),
    }


def _shown_answer(item: QuizItem, value: Any) -> str:
    if value is None or value == [] or value == "":
        return ""
    if item.type == JUDGE:
        return "正确" if value is True else "错误" if value is False else str(value)
    if item.type == MULTIPLE:
        return "、".join(sorted(value))
    return str(value)


def quiz_tab(handlers: QuizHandlers, documents: list) -> gr.Tab:
    """Two views: 答题 for members (a code, then the paper: nothing that gives the key away) and
    出题 for the organiser (scope, types, number, the code to hand out, the key and the printouts)."""
    with gr.Tabs(elem_id="rs-quiz-views"):
        with gr.Tab("答题", elem_id="rs-quiz-member"):
            _member_view(handlers)
        with gr.Tab("出题（组织者）", elem_id="rs-quiz-organiser") as organiser:
            _organiser_view(handlers, documents)
    return organiser


def _member_view(handlers: QuizHandlers) -> None:
    with gr.Row(equal_height=True):
        code = gr.Textbox(
            label="试卷码", placeholder="输入试卷码", show_label=False, container=False, scale=3, elem_id="rs-quiz-code"
        )
        load = gr.Button("加载试卷", variant="primary", scale=1, min_width=100, elem_id="rs-quiz-load")
    with gr.Accordion("复习我的错题", open=False, elem_id="rs-review-box"), gr.Row(equal_height=True):
        who = gr.Textbox(
            label="姓名", placeholder="姓名", show_label=False, container=False, scale=3, elem_id="rs-review-name"
        )
        review = gr.Button("开始复习", scale=1, min_width=100, elem_id="rs-review")
    info = gr.Markdown(MEMBER_EMPTY, elem_id="rs-quiz-info")
    state = gr.State(None)
    result = gr.HTML(elem_id="rs-quiz-result", render=False)
    _paper_view(handlers, state, result)
    result.render()
    shown = [state, info, result, code]
    for event in (load.click, code.submit):
        event(handlers.load, code, shown, api_visibility="private")
    review.click(handlers.review, who, shown, api_visibility="private")


def _organiser_view(handlers: QuizHandlers, documents: list) -> None:
    with gr.Row():
        scope = gr.Dropdown(
            documents,
            multiselect=True,
            allow_custom_value=True,
            label="范围（不选则全部；可输入“规定第三章”“意见第2-4条”）",
            scale=3,
            elem_id="rs-quiz-scope",
        )
        # Chinese names as the values too: Gradio shows a choice's value as its tooltip
        names = [TYPE_NAMES[t] for t in TYPES]
        types = gr.CheckboxGroup(names, value=names, label="题型", scale=2)
        number = gr.Slider(4, 50, value=10, step=1, label="题目数量", scale=2, elem_id="rs-quiz-n")
    with gr.Row():
        make = gr.Button("出题", variant="primary", elem_id="rs-quiz-make")
        again = gr.Button("再来一组", elem_id="rs-quiz-again")
    info = gr.Markdown(EMPTY, elem_id="rs-quiz-made")
    code = gr.Textbox(label="试卷码（成员在“答题”中输入）", interactive=False, elem_id="rs-quiz-made-code")
    downloads = gr.File(
        label="打印用：试卷与答案（.docx 文档、.md 文本）", file_count="multiple", elem_id="rs-quiz-files"
    )
    preview = gr.HTML(elem_id="rs-quiz-preview")
    for button in (make, again):
        button.click(handlers.make, [scope, types, number], [info, code, preview, downloads],
                     api_visibility="private", **HEAVY)  # fmt: skip
    with gr.Accordion("本支部各条文的出题与答错情况", open=False, elem_id="rs-coverage-box"):
        show = gr.Button("查看", elem_id="rs-coverage")
        table = gr.HTML(elem_id="rs-coverage-table")
    show.click(handlers.coverage, None, table, api_visibility="private")
    with gr.Accordion("导出本次学习记录（.docx 文档）", open=False, elem_id="rs-record-box"):
        record = gr.Button("导出学习记录", elem_id="rs-record")
        record_files = gr.File(label="学习记录", file_count="multiple", elem_id="rs-record-files")
    record.click(handlers.record, code, record_files, api_visibility="private")


def _paper_view(handlers: QuizHandlers, state: gr.State, result: gr.HTML) -> None:
    @gr.render(inputs=state)
    def show(paper: dict | None) -> None:
        if not paper:
            return
        fields = [_field(n, QuizItem.from_json(item)) for n, item in enumerate(paper["items"], start=1)]
        name = gr.Textbox(label="姓名（必填：小组统计每人只计一次）", max_length=40, elem_id="rs-quiz-name")
        submit = gr.Button("交卷", variant="primary", elem_id="rs-quiz-submit")
        submit.click(handlers.submit, [state, name, *fields], result, api_visibility="private")


def _field(number: int, item: QuizItem) -> gr.components.Component:
    gr.HTML(f"<b>{number}. 【{TYPE_NAMES[item.type]}】</b> {html.escape(item.stem)}", elem_classes="rs-quiz-stem")
    # 出自哪一条 items would be given away by the article number: their hint names the document only.
    where = f"《{item.source.document}》" if item.source.article in item.options else item.source.citation
    gr.HTML(f"提示/出处：{html.escape(where)}", elem_classes="rs-quiz-hint")
    options = [(f"{LETTERS[n]}. {o}", LETTERS[n]) for n, o in enumerate(item.options)]
    ident = f"rs-quiz-q{number}"
    if item.type == SINGLE:
        return gr.Radio(options, label="作答", show_label=False, elem_id=ident, elem_classes="rs-quiz-answer")
    if item.type == MULTIPLE:
        return gr.CheckboxGroup(options, label="作答", show_label=False, elem_id=ident, elem_classes="rs-quiz-answer")
    if item.type == JUDGE:
        return gr.Radio(JUDGE_CHOICES, label="作答", show_label=False, elem_id=ident, elem_classes="rs-quiz-answer")
    assert item.type == BLANK
    return gr.Textbox(
        label="作答", placeholder="填写原文词语", show_label=False, elem_id=ident, elem_classes="rs-quiz-answer"
    )
