"""The web UI — the only module that touches Gradio. 问答: a streamed chat whose answers show each
citation as a quote block; 原文: the documents by chapter and article; 测验 and 引文核查 come from
ui_quiz and ui_check. Plus the `/ask` JSON API."""

from __future__ import annotations

import html
from collections.abc import Iterator
from typing import Any

import gradio as gr

from regstudy.accounts import Accounts, login_required
from regstudy.answers import Answer
from regstudy.assistant import Assistant
from regstudy.citations.checker import CitationChecker
from regstudy.errors import RegStudyError
from regstudy.library import Library
from regstudy.quiz.service import QuizService
from regstudy.records import SECTION
from regstudy.settings import Settings
from regstudy.ui_admin import AdminHandlers, admin_tab
from regstudy.ui_assets import CSS, page_head
from regstudy.ui_check import CheckHandlers, check_tab
from regstudy.ui_quiz import QuizHandlers, quiz_tab
from regstudy.views import answer_html, document_html

EXAMPLES = ["党员可以访问境外网站吗？", "第十三条规定了什么？", "能不能给主播刷礼物？", "意见的文号是什么？"]
SCROLL_TO_SELECTED = """() => { setTimeout(() => {
  const el = document.querySelector('.rs-selected'); if (el) el.scrollIntoView({ block: 'center' }); }, 300); }"""


def status_line(service: Assistant, settings: Settings) -> str:
    kb = service.kb
    articles = sum(1 for u in kb.units if u.kind != SECTION)
    dense = "未启用（仅关键词检索）" if service.retriever.embeddings is None else kb.model_id
    llm = (
        f"已配置（{settings.llm_model or settings.llm_base_url}）"
        if settings.llm_base_url
        else "未配置（摘录原文作答）"
    )
    return f"知识库：{len(kb.documents)} 份文件，{articles} 条条文/要点 · 向量模型：{dense} · 大模型：{llm}"


def document_choices(service: Assistant) -> list[tuple[str, str]]:
    return [(f"《{d.title}》", d.id) for d in service.kb.documents]


def citations_text(answer: Answer) -> str:
    """Plain text of the citations, for copying."""
    return "\n\n".join(f"{c.unit.citation}：{c.quote}" for c in answer.citations)


class Handlers:
    """Event handlers bound to one answering service; per-user state lives in gr.State values."""

    def __init__(self, service: Assistant) -> None:
        self.service = service

    def respond(self, question: str, messages: list, history: list, scope: list) -> Iterator[tuple]:
        if not question.strip():
            raise gr.Error("请输入问题。")
        messages = [
            *messages,
            {"role": "user", "content": html.escape(question)},
            {"role": "assistant", "content": "……"},
        ]
        yield "", messages, history, ""
        partial = ""
        try:
            for event in self.service.stream(question, history, self.service.scope_of(scope or [])):
                if isinstance(event, str):
                    partial += event
                    messages[-1] = {"role": "assistant", "content": html.escape(partial)}
                    yield "", messages, history, ""
                else:
                    messages[-1] = {"role": "assistant", "content": answer_html(event)}
                    yield "", messages, [*history, event], citations_text(event)
        except RegStudyError as error:
            raise gr.Error(str(error)) from error

    def ask_json(self, question: str) -> dict[str, Any]:
        """`/ask`: the same JSON object as `python -m regstudy ask --json`."""
        try:
            return self.service.ask(question).to_json()
        except RegStudyError as error:
            raise gr.Error(str(error)) from error

    def show_document(self, doc_id: str, target: str = "") -> str:
        info = self.service.kb.document(doc_id)
        return document_html(info, self.service.kb.units_of(doc_id), target) if info else "知识库中没有这份文件。"

    def jump(self, text: str, doc_id: str) -> str:
        unit = self.service.locate(text, doc_id)
        if unit is None:
            raise gr.Error(f"没有找到「{text}」。请输入如“第十三条”或“13”。")
        return self.show_document(unit.doc_id, unit.id)

    def open_unit(self, unit_id: str) -> tuple:
        unit = self.service.kb.by_id.get(unit_id)
        if unit is None:
            raise gr.Error("知识库中没有这一条。")
        return gr.Tabs(selected="source"), gr.Dropdown(value=unit.doc_id), self.show_document(unit.doc_id, unit.id)


def build_app(
    service: Assistant,
    settings: Settings,
    quizzes: QuizService,
    checker: CitationChecker,
    accounts: Accounts | None = None,
) -> gr.Blocks:
    handlers, quiz, check = Handlers(service), QuizHandlers(quizzes), CheckHandlers(checker)
    accounts = accounts or Accounts(settings.users_path, {})
    admin = AdminHandlers(Library(settings), accounts, lambda: _reload(settings, handlers, quiz, check))
    documents = document_choices(service)
    first = documents[0][1] if documents else None
    with gr.Blocks(title="规章学习助手") as app:
        gr.Markdown("## 规章学习助手")
        status = gr.Markdown(html.escape(status_line(service, settings)), elem_id="rs-status")
        with gr.Tabs() as tabs:
            with gr.Tab("问答", id="chat"):
                chat, scope = _chat_tab(handlers, documents)
            with gr.Tab("原文", id="source"):
                document, text = _source_tab(handlers, documents, first)
            with gr.Tab("测验", id="quiz"):
                quiz_tab(quiz, documents)
            with gr.Tab("引文核查", id="check"):
                check_tab(check)
            with gr.Tab("管理", id="admin", visible=False) as admin_panel:
                deletable = admin_tab(admin)
        app.load(admin.visibility, None, admin_panel, api_visibility="private")
        app.load(admin.document_ids, None, deletable, api_visibility="private")
        app.load(lambda: _current(handlers, settings), None, [status, scope, document], api_visibility="private")
        goto = gr.Textbox(elem_id="rs-goto", elem_classes="rs-hidden", show_label=False, container=False)
        goto_button = gr.Button("open", elem_id="rs-goto-btn", elem_classes="rs-hidden")
        goto_button.click(handlers.open_unit, goto, [tabs, document, text], api_visibility="private").then(
            None, js=SCROLL_TO_SELECTED
        )
        gr.api(handlers.ask_json, api_name="ask")
        del chat
    return app


def _reload(settings: Settings, handlers: Handlers, quiz: QuizHandlers, check: CheckHandlers) -> None:
    """After an admin's ingest: every service re-opened on the new index (pages pick it up on load)."""
    service = Assistant.open(settings)
    handlers.service = service
    quiz.service = QuizService.open(settings, service.kb, service.prompts)
    check.checker = CitationChecker.open(settings, service.kb, service.prompts)


def _current(handlers: Handlers, settings: Settings) -> tuple:
    """The status line and document choices of the index in service, for a page being opened."""
    service = handlers.service
    documents = document_choices(service)
    return (
        html.escape(status_line(service, settings)),
        gr.Dropdown(choices=documents),
        gr.Dropdown(choices=documents),
    )


def _chat_tab(handlers: Handlers, documents: list) -> tuple[gr.Chatbot, gr.Dropdown]:
    chatbot = gr.Chatbot(
        label="问答",
        height=480,
        buttons=["copy"],
        sanitize_html=True,
        elem_id="rs-chat",
        placeholder="输入问题，答案会引用条文原文。",
    )
    history = gr.State([])
    with gr.Row():
        question = gr.Textbox(
            placeholder="输入问题，例如：党员可以访问境外网站吗？",
            show_label=False,
            scale=5,
            elem_id="rs-question",
            max_length=500,
        )
        ask = gr.Button("提问", variant="primary", scale=1, min_width=80, elem_id="rs-ask")
    gr.Examples(EXAMPLES, inputs=question, label="示例问题")
    with gr.Row():
        scope = gr.Dropdown(documents, multiselect=True, label="只在这些文件中查找（不选则全部）", scale=4)
        new = gr.Button("新对话", scale=1, min_width=80, elem_id="rs-new")
    copy = gr.Textbox(label="本次回答的引文（可复制）", buttons=["copy"], interactive=False, lines=3, elem_id="rs-copy")
    outputs = [question, chatbot, history, copy]
    inputs = [question, chatbot, history, scope]
    question.submit(handlers.respond, inputs, outputs, api_visibility="private")
    # Also reachable as /chat (undocumented) so that tests and tools can hold a real conversation.
    ask.click(handlers.respond, inputs, outputs, api_name="chat", api_visibility="undocumented")
    new.click(lambda: ("", [], [], ""), None, outputs, api_visibility="private")
    return chatbot, scope


def _source_tab(handlers: Handlers, documents: list, first: str | None) -> tuple[gr.Dropdown, gr.HTML]:
    with gr.Row():
        document = gr.Dropdown(documents, value=first, label="文件", scale=3, elem_id="rs-doc")
        where = gr.Textbox(label="跳到", placeholder="第十三条 或 13", scale=2, elem_id="rs-jump")
        go = gr.Button("跳转", scale=1, min_width=80)
    text = gr.HTML(handlers.show_document(first) if first else "知识库为空。", elem_id="rs-source")
    document.change(handlers.show_document, document, text, api_visibility="private")
    for trigger in (where.submit, go.click):
        trigger(handlers.jump, [where, document], text, api_visibility="private").then(None, js=SCROLL_TO_SELECTED)
    return document, text


def launch(service: Assistant, settings: Settings, quizzes: QuizService, checker: CitationChecker) -> None:
    accounts = Accounts.load(settings.users_path)
    try:
        login = login_required(settings.server_name, accounts)
    except RegStudyError as error:
        raise SystemExit(f"错误：{error}") from error
    service.ask("党员可以访问境外网站吗？")  # warm the tokenizer and the model before the first user
    build_app(service, settings, quizzes, checker, accounts).queue(default_concurrency_limit=4).launch(
        css=CSS,
        head=page_head(service.prompts, settings),
        server_name=settings.server_name,
        auth=accounts.verify if login else None,
        auth_message="请用管理员分配的账号登录规章学习助手。",
        max_file_size=f"{settings.upload_max_mb}mb",
    )
