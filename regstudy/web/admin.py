"""The 管理 tab (Gradio), for admins only: upload a regulation, see how it parses (articles,
chapters, warnings, the first articles), confirm its identifier, title and short names, publish
it (re-ingest with progress); delete a document; re-ingest. Every handler checks the role, so the
tab's API is closed to members even though Gradio exposes the events."""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path

import gradio as gr

from ingest.library import Library, Preview
from ingest.manifest import Manifest
from ingest.pipeline import IngestReport
from regstudy.accounts import Accounts
from regstudy.errors import RegStudyError
from regstudy.prompts import Prompts
from regstudy.web.edge import at_the_edge, refuse, warn
from regstudy.web.limits import HEAVY

ALLOWED = [".txt", ".md", ".pdf", ".docx"]
PROGRESS = gr.Progress()  # Gradio passes each event its own tracker in place of this default


@at_the_edge
class AdminHandlers:
    def __init__(self, library: Library, accounts: Accounts, reload: Callable[[], None], prompts: Prompts) -> None:
        self.library = library
        self.accounts = accounts
        self.reload = reload  # re-open the services on the new index
        self.prompts = prompts

    def is_admin(self, request: gr.Request | None) -> bool:
        return self.accounts.is_admin(getattr(request, "username", None))

    def _require_admin(self, request: gr.Request | None) -> None:
        if not self.is_admin(request):
            raise refuse("需要管理员权限。")

    def visibility(self, request: gr.Request) -> gr.Tab:
        return gr.Tab(visible=self.is_admin(request))

    def preview(self, path: str | None, request: gr.Request) -> tuple:
        self._require_admin(request)
        if not path:
            return "", "", "", "", ""
        try:
            shown = self.library.preview(Path(path))
        except RegStudyError as error:
            # Not gr.Error: the box must also drop an earlier preview, so 确认发布 cannot publish it.
            warn(html.escape(str(error)))
            return self.prompts.html("upload_refused", message=str(error)), "", "", "", ""
        return preview_html(self.prompts, shown), shown.token, shown.doc_id, shown.title, ", ".join(shown.aliases)

    def publish(self, token: str, doc_id: str, title: str, aliases: str, request: gr.Request,
                progress: gr.Progress = PROGRESS) -> tuple:  # fmt: skip
        self._require_admin(request)
        if not token:
            raise refuse("请先上传文件并查看解析结果。")
        report = self.library.publish(token, doc_id, title, aliases.replace("，", ",").split(","),
                                      _progress(progress))  # fmt: skip
        return self._after(report), "", self.documents_html()

    def delete(self, doc_id: str, confirmed: bool, request: gr.Request, progress: gr.Progress = PROGRESS) -> tuple:
        self._require_admin(request)
        if not doc_id or not confirmed:
            raise refuse("请选择文件，并勾选“确认删除”。")
        report = self.library.delete(doc_id, _progress(progress))
        return self._after(report), self.documents_html()

    def reingest(self, request: gr.Request, progress: gr.Progress = PROGRESS) -> tuple:
        self._require_admin(request)
        report = self.library.reingest(_progress(progress))
        return self._after(report), self.documents_html()

    def _after(self, report: IngestReport) -> str:
        self.reload()
        return self.prompts.html(
            "ingest_done", up_to_date=report.up_to_date, generation=report.generation or "", documents=report.documents,
            units=report.units, seconds=report.seconds, problems=report.failures + report.warnings,
        )  # fmt: skip

    def documents_html(self) -> str:
        """The manifest's documents, with anything out of step between corpus, manifest and index."""
        try:
            entries = list(Manifest.load(self.library.settings.manifest_path).by_source.values())
        except RegStudyError as error:
            return self.prompts.html("document_table", documents=[], notices=[str(error)])
        notices = self.library.notices + self.library.out_of_step()
        return self.prompts.html("document_table", documents=entries, notices=notices)

    def documents_for(self, request: gr.Request) -> str:
        """The table as a page opens (admins only: it names files)."""
        return self.documents_html() if self.is_admin(request) else ""

    def document_ids(self) -> gr.Dropdown:
        try:
            entries = Manifest.load(self.library.settings.manifest_path).by_source.values()
        except RegStudyError:
            return gr.Dropdown(choices=[], value=None)
        return gr.Dropdown(choices=[(d.shown_title, d.id) for d in entries], value=None)


def _progress(progress: gr.Progress) -> Callable[[str, int], Callable[[int], None]]:
    """Ingest progress (description, total) → Gradio's progress bar."""

    def start(description: str, total: int) -> Callable[[int], None]:
        done = [0]

        def advance(n: int) -> None:
            done[0] += n
            progress(done[0] / max(total, 1), desc=description)

        return advance

    return start


def preview_html(prompts: Prompts, preview: Preview) -> str:
    return prompts.html(
        "upload_preview", file_name=preview.file_name, title=preview.title, articles=preview.articles,
        chapters="、".join(preview.chapters), ocr=preview.ocr, replaces=preview.replaces,
        warnings=preview.warnings, sample=preview.sample,
    )  # fmt: skip


def admin_tab(handlers: AdminHandlers) -> tuple[gr.Dropdown, gr.HTML]:
    gr.Markdown("上传新的规章（.txt / .md / .pdf / .docx，扫描版 .pdf 会做文字识别），先看解析结果，确认后发布。")
    upload = gr.File(label="上传规章文件", file_types=ALLOWED, type="filepath", elem_id="rs-admin-file")
    preview = gr.HTML(elem_id="rs-admin-preview")
    token = gr.Textbox(visible=False)
    with gr.Row():
        doc_id = gr.Textbox(label="文件标识（英文字母、数字）", elem_id="rs-admin-id")
        title = gr.Textbox(label="标题", elem_id="rs-admin-title")
        aliases = gr.Textbox(label="简称（逗号分隔）", elem_id="rs-admin-aliases")
    publish = gr.Button("确认发布", variant="primary", elem_id="rs-admin-publish")
    result = gr.HTML(elem_id="rs-admin-result")
    gr.Markdown("### 知识库中的文件")
    documents = gr.HTML(elem_id="rs-admin-documents")
    with gr.Row():
        chosen = gr.Dropdown(label="删除文件", choices=[], elem_id="rs-admin-delete-doc")
        confirmed = gr.Checkbox(label="确认删除")
        delete = gr.Button("删除", variant="stop", elem_id="rs-admin-delete")
        again = gr.Button("重新入库", elem_id="rs-admin-reingest")
    previewed = [preview, token, doc_id, title, aliases]
    upload.upload(handlers.preview, upload, previewed, api_visibility="private", **HEAVY)
    upload.clear(lambda: ("",) * len(previewed), None, previewed, api_visibility="private")  # nothing left to publish
    publish.click(handlers.publish, [token, doc_id, title, aliases], [result, token, documents],
                  api_visibility="private").then(handlers.document_ids, None, chosen)  # fmt: skip
    delete.click(handlers.delete, [chosen, confirmed], [result, documents], api_visibility="private").then(
        handlers.document_ids, None, chosen
    )
    again.click(handlers.reingest, None, [result, documents], api_visibility="private")
    return chosen, documents
