"""The 原文 tab: each document with its 文号, dates and issuers, by chapter and article; 跳到 第N条;
and the hidden control that citation links (`#rs:<id>`) use to open an article here."""

from __future__ import annotations

import html

import gradio as gr

from regstudy.answering.service import Assistant
from regstudy.study.docx import write_markdown_and_docx
from regstudy.study.revision_report import revision_markdown
from regstudy.study.revisions import compare_editions
from regstudy.web.edge import at_the_edge, refuse, warn
from regstudy.web.exports import export_folder
from regstudy.web.live import LiveServices
from regstudy.web.views import document_html, revision_html
from regstudy.web.views_related import parallel_views

ADDRESSABLE_TABS = ("chat", "source", "quiz", "check")  # 管理 is shown to admins only
GONE = "链接中的条文已不在知识库中（文件可能已更新或删除），请在原文中重新查找。"
SCROLL_TO_SELECTED = """() => { setTimeout(() => {
  const el = document.querySelector('.rs-selected'); if (el) el.scrollIntoView({ block: 'center' }); }, 300); }"""


@at_the_edge
class SourceHandlers:
    def __init__(self, live: LiveServices) -> None:
        self.live = live

    @property
    def service(self) -> Assistant:
        return self.live.services.assistant

    def show_document(self, doc_id: str, target: str = "") -> str:
        info = self.service.kb.document(doc_id)
        if not info:
            return "知识库中没有这份文件。"
        parallels = self.live.services.parallels
        units = self.service.kb.units_of(doc_id)
        return document_html(self.service.prompts, info, units, target, lambda u: parallel_views(parallels, u))

    def compare_editions(self, doc_id: str) -> tuple[str, list[str]]:
        """修订对照 of the document shown with its other edition (older → newer), as HTML and DOCX."""
        kb = self.service.kb
        info = kb.document(doc_id)
        others = [d for d in kb.documents if info and d.title == info.title and d.id != doc_id and d.edition]
        if info is None or not others:
            raise refuse("这份文件在知识库中只有一个版本，无从对照。")
        old, new = sorted([info, max(others, key=lambda d: d.edition)], key=lambda d: d.edition)
        revision = compare_editions(kb.units_of(old.id), kb.units_of(new.id), old.shown_title, new.shown_title)
        markdown = revision_markdown(revision, self.service.prompts)
        folder = export_folder("revision")
        files = write_markdown_and_docx(folder, f"{info.title}修订对照表", markdown)
        return revision_html(self.service.prompts, revision), [str(p) for p in files]

    def jump(self, text: str, doc_id: str) -> str:
        unit = self.service.locate(text, doc_id)
        if unit is None:
            raise refuse(f"没有找到「{html.escape(text)}」。请输入如“第十三条”或“13”。")
        return self.show_document(unit.doc_id, unit.id)

    def from_address(self, request: gr.Request) -> tuple:
        """The tab and the article an address names (?tab=source&article=<id>), for a page being
        opened from a shared link or a reload; anything unknown leaves the page as it is."""
        tab, unit_id = request.query_params.get("tab", ""), request.query_params.get("article", "")
        if unit_id:
            return self.open_unit(unit_id)
        return (gr.Tabs(selected=tab) if tab in ADDRESSABLE_TABS else gr.skip()), gr.skip(), gr.skip()

    def open_unit(self, unit_id: str) -> tuple:
        """原文 at the article; one no longer in the knowledge base (a link kept from before a document
        was replaced) opens 原文 as it is, with a notice instead of an error."""
        unit = self.service.kb.by_id.get(unit_id)
        if unit is None:
            warn(GONE)
            return gr.Tabs(selected="source"), gr.skip(), gr.skip()
        return gr.Tabs(selected="source"), gr.Dropdown(value=unit.doc_id), self.show_document(unit.doc_id, unit.id)


def source_tab(handlers: SourceHandlers, documents: list, first: str | None) -> tuple[gr.Dropdown, gr.HTML]:
    with gr.Row():
        document = gr.Dropdown(documents, value=first, label="文件", scale=3, elem_id="rs-doc")
        where = gr.Textbox(label="跳到", placeholder="第十三条 或 13", scale=2, elem_id="rs-jump")
        go = gr.Button("跳转", scale=1, min_width=80)
    with gr.Accordion("修订对照（同一规章的新旧版本）", open=False):
        compare = gr.Button("与另一版本对照", elem_id="rs-compare")
        table = gr.HTML(elem_id="rs-revision")
        table_files = gr.File(label="下载对照表", file_count="multiple", interactive=False)
    compare.click(handlers.compare_editions, document, [table, table_files], api_visibility="private")
    text = gr.HTML(handlers.show_document(first) if first else "知识库为空。", elem_id="rs-source")
    # input, not change: a handler that opens an article in another document sets the dropdown too,
    # and a change event would then re-render the document without the article marked
    document.input(handlers.show_document, document, text, api_visibility="private")
    for trigger in (where.submit, go.click):
        trigger(handlers.jump, [where, document], text, api_visibility="private").then(None, js=SCROLL_TO_SELECTED)
    return document, text


def open_links(app: gr.Blocks, handlers: SourceHandlers, tabs: gr.Tabs, document: gr.Dropdown, text: gr.HTML) -> None:
    """The hidden box and button the page script fills and clicks when a citation link is followed
    (or Back or Forward returns to an article), and the tab and article of the address the page was
    opened with."""
    goto = gr.Textbox(label="打开条文", elem_id="rs-goto", elem_classes="rs-hidden", show_label=False, container=False)
    goto_button = gr.Button("打开", elem_id="rs-goto-btn", elem_classes="rs-hidden")
    goto_button.click(handlers.open_unit, goto, [tabs, document, text], api_visibility="private").then(
        None, js=SCROLL_TO_SELECTED
    )
    app.load(handlers.from_address, None, [tabs, document, text], api_visibility="private").then(
        None, js=SCROLL_TO_SELECTED
    )
