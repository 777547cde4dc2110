"""The 引文核查 tab (Gradio): paste a handout or upload it (.txt, .md, .docx, .pdf); every citation
is checked and shown with its verdict, the claimed and the real location, the diff and the
articles in full; the report downloads as Markdown and DOCX. Also the `/check` JSON API."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import gradio as gr

from regstudy.study.citations.checker import CitationChecker
from regstudy.study.citations.claims import MAX_TEXT
from regstudy.study.citations.findings import EXACT, Finding
from regstudy.study.docx import write_markdown_and_docx
from regstudy.web.edge import at_the_edge
from regstudy.web.exports import export_folder
from regstudy.web.limits import HEAVY
from regstudy.web.live import LiveServices
from regstudy.web.views_check import findings_html

PLACEHOLDER = "把讲稿、学习材料或答题内容粘贴在这里，例如：\n《党员网络行为规定》第十三条：“党员不得擅自建立……”"


@at_the_edge
class CheckHandlers:
    def __init__(self, live: LiveServices) -> None:
        self.live = live

    @property
    def checker(self) -> CitationChecker:
        return self.live.services.checker

    def read_file(self, path: str | None) -> str:
        """The text of an uploaded handout, placed in the text box for checking."""
        if not path:
            return gr.skip()
        text = self.checker.read_file(Path(path))
        return text

    def check_page(self, text: str, upload: str | None) -> tuple[str, list[str]]:
        findings = self.checker.check(text)
        source = Path(upload).name if upload else "粘贴的文字"
        report = self.checker.report(findings, source)
        folder = export_folder("check")
        files = write_markdown_and_docx(folder, "引文核查报告", report)
        if any(f.verdict != EXACT for f in findings):
            files.append(self._corrected(folder, findings, text, upload))
        return findings_html(self.checker.prompts, findings), [str(p) for p in files]

    def _corrected(self, folder: Path, findings: list[Finding], text: str, upload: str | None) -> Path:
        """The handout with the corrections as Word tracked changes (the uploaded .docx itself)."""
        source = Path(upload) if upload else None
        outcome = self.checker.corrected(findings, text, source)
        path = folder / f"{source.stem if source else '讲稿'}（改正稿·修订模式）.docx"
        path.write_bytes(outcome.data)
        return path

    def check_json(self, text: str) -> list[dict[str, Any]]:
        """`/check`: the same JSON array as `python -m regstudy check --json`."""
        return [f.to_json() for f in self.checker.check(text)]


def check_tab(handlers: CheckHandlers) -> None:
    gr.Markdown("逐条核对讲稿中的引文：原文是否一字不差、出处（文件和条号）是否正确。可粘贴文字，或上传文件。")
    text = gr.Textbox(
        label="要核查的文字",
        placeholder=PLACEHOLDER,
        lines=8,
        max_lines=20,
        max_length=MAX_TEXT,
        elem_id="rs-check-text",
    )
    with gr.Row():
        upload = gr.File(
            label="或上传讲稿（.txt / .md / .docx / .pdf）",
            file_types=[".txt", ".md", ".docx", ".pdf"],
            type="filepath",
            scale=3,
            elem_id="rs-check-file",
        )
        run = gr.Button("核查", variant="primary", scale=1, min_width=80, elem_id="rs-check-run")
    result = gr.HTML(elem_id="rs-check-result")
    files = gr.File(label="下载核查报告和改正稿", file_count="multiple", interactive=False, elem_id="rs-check-files")
    run.click(handlers.check_page, [text, upload], [result, files], api_visibility="private", **HEAVY)
    upload.upload(handlers.read_file, upload, text, api_visibility="private", **HEAVY).success(
        handlers.check_page, [text, upload], [result, files], api_visibility="private", **HEAVY
    )
    gr.api(handlers.check_json, api_name="check", **HEAVY)
