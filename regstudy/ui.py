"""The web UI (the only module that touches Gradio). For now: the 原文 browser and a status line;
the chat, quiz and checker tabs build on the answering service."""

from __future__ import annotations

import html

import gradio as gr

from regstudy import generations
from regstudy.ingestion import Ingestor
from regstudy.knowledge_base import KnowledgeBase
from regstudy.records import SECTION, Unit
from regstudy.settings import Settings


def _open_or_build(settings: Settings) -> KnowledgeBase:
    if generations.current_generation(settings.index_dir) is None:
        print("首次运行：正在建立知识库索引……", flush=True)
        Ingestor(settings).run()
    return KnowledgeBase.open(settings)


def _render_unit(unit: Unit) -> str:
    heading = html.escape(unit.label if unit.kind == SECTION else f"{unit.label}")
    body = "<br>".join(html.escape(p) for p in unit.paragraphs)
    return f'<div id="{html.escape(unit.id)}"><h4>{heading}</h4><p>{body}</p></div>'


def _render_document(kb: KnowledgeBase, doc_id: str) -> str:
    info = kb.document(doc_id)
    if info is None:
        return ""
    parts = [f"<h3>《{html.escape(info.title)}》</h3>"]
    facts = [f"文号：{html.escape(n.number)}（{html.escape(n.role)}）" for n in info.numbers]
    facts += [f"发文机关：{html.escape('、'.join(info.issuers))}"] if info.issuers else []
    parts += [f"<p><small>{'<br>'.join(facts)}</small></p>"] if facts else []
    chapter = None
    for unit in kb.units_of(doc_id):
        if unit.chapter and unit.chapter != chapter:
            chapter = unit.chapter
            parts.append(f"<h4>{html.escape(chapter)}</h4>")
        parts.append(_render_unit(unit))
    return "\n".join(parts)


def build_app(kb: KnowledgeBase) -> gr.Blocks:
    articles = sum(1 for u in kb.units if u.kind != SECTION)
    status = f"知识库：{len(kb.documents)} 份文件，{articles} 条条文/要点；向量模型：{kb.model_id}；大模型：未配置"
    choices = [(f"《{d.title}》", d.id) for d in kb.documents]
    with gr.Blocks(title="规章学习助手") as app:
        gr.Markdown("## 规章学习助手")
        gr.Markdown(html.escape(status))
        with gr.Tab("原文"):
            document = gr.Dropdown(choices=choices, value=choices[0][1] if choices else None, label="文件")
            text = gr.HTML(_render_document(kb, choices[0][1]) if choices else "知识库为空")
            document.change(lambda doc_id: _render_document(kb, doc_id), document, text)
    return app


def launch(settings: Settings) -> None:
    build_app(_open_or_build(settings)).launch()
