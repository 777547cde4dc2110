"""The 问答 tab: a streamed chat whose answers show each citation as a quote card (views.answer_html),
and the `/ask` JSON API."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import gradio as gr

from regstudy.answering.answers import Answer
from regstudy.answering.service import Assistant
from regstudy.web import memory
from regstudy.web.edge import at_the_edge, refuse
from regstudy.web.inert import inert_text, markdown_inert
from regstudy.web.live import LiveServices
from regstudy.web.views import answer_html
from regstudy.web.views_related import parallel_views

EXAMPLES = ["党员可以访问境外网站吗？", "第十三条规定了什么？", "能不能给主播刷礼物？", "意见的文号是什么？"]


def citations_text(answer: Answer) -> str:
    """Plain text of the citations, for copying."""
    return "\n\n".join(f"{c.unit.citation}：{c.quote}" for c in answer.citations)


@at_the_edge
class ChatHandlers:
    """Event handlers over the answering service in service; per-user state lives in gr.State values."""

    def __init__(self, live: LiveServices) -> None:
        self.live = live

    @property
    def service(self) -> Assistant:
        return self.live.services.assistant

    def respond(self, question: str, messages: list, history: list, scope: list) -> Iterator[tuple]:
        if not question.strip():
            raise refuse("请输入问题。")
        messages = [
            *messages,
            {"role": "user", "content": inert_text(question)},
            {"role": "assistant", "content": "……"},
        ]
        yield "", messages, history, ""
        partial = ""
        for event in self.service.stream(question, history, self.service.scope_of(scope or [])):
            if isinstance(event, str):
                partial += event
                messages[-1] = {"role": "assistant", "content": inert_text(partial)}
                yield "", messages, history, ""
            else:
                content = markdown_inert(answer_html(self.service.prompts, event, self._parallels(event)))
                messages[-1] = {"role": "assistant", "content": content}
                yield "", messages, [*history, event], citations_text(event)

    def remember(self, messages: list, history: list, request: gr.Request) -> dict[str, Any]:
        """The conversation for the browser to keep, after each answer, with the member's name."""
        return memory.kept(messages, history, getattr(request, "username", None))

    def recall(self, stored: Any, request: gr.Request) -> tuple[list, list]:
        """The conversation the browser kept for this member, for a page being opened (reload, Back
        into the app); another member's, on a shared browser, is not shown."""
        return memory.restored(stored, self.service.kb, getattr(request, "username", None))

    def _parallels(self, answer: Answer) -> list[dict[str, Any]]:
        """相关规定 under an answer: the other documents' provisions on the first cited article's conduct."""
        if answer.refused or not answer.citations:
            return []
        return parallel_views(self.live.services.parallels, answer.citations[0].unit)

    def ask_json(self, question: str) -> dict[str, Any]:
        """`/ask`: the same JSON object as `python -m regstudy ask --json`."""
        return self.service.ask(question).to_json()


def chat_tab(app: gr.Blocks, handlers: ChatHandlers, documents: list, secret: str) -> gr.Dropdown:
    """The chat (as tall as its answers, scrolling with the page), the question box kept at the foot of
    the screen, examples, the document scope, the copyable citations, and the conversation kept in
    the browser."""
    chatbot = gr.Chatbot(
        label="对话",
        show_label=False,
        height="auto",
        autoscroll=False,  # a new question is brought to the top of the screen (page.js), not the end
        buttons=["copy"],
        sanitize_html=True,
        elem_id="rs-chat",
        placeholder="输入问题，答案会引用条文原文。",
    )
    kept = gr.BrowserState(None, storage_key=memory.STORAGE_KEY, secret=secret)
    question, ask = _question_row()
    gr.Examples(EXAMPLES, inputs=question, label="示例问题")
    with gr.Row():
        scope = gr.Dropdown(documents, multiselect=True, label="只在这些文件中查找（不选则全部）", scale=4)
        new = gr.Button("新对话", scale=1, min_width=80, elem_id="rs-new")
    copy = gr.Textbox(label="本次回答的引文（可复制）", buttons=["copy"], interactive=False, lines=3, elem_id="rs-copy")
    history = gr.State([])
    inputs, outputs = [question, chatbot, history, scope], [question, chatbot, history, copy]
    # Also reachable as /chat (undocumented) so that tests and tools can hold a real conversation.
    typed = question.submit(handlers.respond, inputs, outputs, api_visibility="private")
    clicked = ask.click(handlers.respond, inputs, outputs, api_name="chat", api_visibility="undocumented")
    for asked in (typed, clicked):  # success, not then: a failed answer is not kept
        asked.success(handlers.remember, [chatbot, history], kept, api_visibility="private")
    for clear in (new.click, chatbot.clear):  # 新对话, and the chat's own clear button; an answer still
        clear(  # being written is stopped, or it would bring the old conversation back
            lambda: ("", [], [], "", memory.kept([], [])), None, [*outputs, kept], api_visibility="private",
            cancels=[typed, clicked],
        )  # fmt: skip
    app.load(handlers.recall, kept, [chatbot, history], api_visibility="private")
    return scope


def _question_row() -> tuple[gr.Textbox, gr.Button]:
    """The question box and its button, kept at the foot of the screen (page.css: #rs-ask-row)."""
    with gr.Row(elem_id="rs-ask-row"):
        question = gr.Textbox(
            label="问题",
            placeholder="输入问题，例如：党员可以访问境外网站吗？",
            show_label=False,
            scale=5,
            elem_id="rs-question",
            max_length=500,
        )
        ask = gr.Button("提问", variant="primary", scale=1, min_width=80, elem_id="rs-ask")
    return question, ask
