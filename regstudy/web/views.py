"""HTML for the web UI, built from our records with every document and user text escaped.
No Gradio here: the UI module places these fragments into components."""

from __future__ import annotations

import html
import re
from urllib.parse import quote

from regstudy.answering.answers import Answer, Citation
from regstudy.records import SECTION, DocumentInfo, Unit


def anchor(unit_id: str) -> str:
    """The element id of a unit in the 原文 view."""
    return "unit-" + re.sub(r"[^0-9A-Za-z_-]", lambda m: f"_{ord(m.group(0)):x}", unit_id)


def open_link(unit_id: str) -> str:
    """The href of a link that opens a unit in the 原文 tab (the page script handles `#rs:` links;
    the chat's HTML sanitiser keeps href but drops data attributes)."""
    return "#rs:" + quote(unit_id, safe="")


def _marked(text: str, highlights: tuple[str, ...]) -> str:
    """Escaped text with the answering sentences wrapped in <mark>."""
    spans = sorted({(text.find(h), text.find(h) + len(h)) for h in highlights if h and h in text})
    out, pos = [], 0
    for start, end in spans:
        if start < pos:
            continue
        out += [html.escape(text[pos:start]), f"<mark>{html.escape(text[start:end])}</mark>"]
        pos = end
    out.append(html.escape(text[pos:]))
    return "".join(out).replace("\n", "<br>")


def citation_html(citation: Citation) -> str:
    unit = citation.unit
    chapter = f"（{html.escape(unit.chapter)}）" if unit.chapter else ""
    link = f'<a href="{open_link(unit.id)}" class="rs-open">在原文中查看</a>'
    return (
        f'<div class="rs-cite"><div class="rs-cite-head"><b>{html.escape(unit.citation)}</b>{chapter} {link}</div>'
        f"<blockquote>{_marked(citation.quote, citation.highlights)}</blockquote></div>"
    )


def answer_html(answer: Answer) -> str:
    """One assistant message in the chat."""
    if answer.refused:
        return f'<div class="rs-refused"><b>未找到依据</b><br>{_paragraphs(answer.answer)}</div>'
    parts = [f"<p>{_paragraphs(answer.explanation)}</p>"] if answer.explanation else []
    parts += [citation_html(c) for c in answer.citations]
    if answer.related:
        links = "、".join(
            f'<a href="{open_link(c.unit.id)}" class="rs-open">{html.escape(c.unit.citation)}</a>'
            for c in answer.related
        )
        parts.append(f'<p class="rs-related">相关条文：{links}</p>')
    if answer.notice:
        parts.append(f'<p class="rs-notice">{html.escape(answer.notice)}</p>')
    return "\n".join(parts)


def _paragraphs(text: str) -> str:
    return html.escape(text).replace("\n", "<br>")


def document_html(info: DocumentInfo, units: list[Unit], target: str = "") -> str:
    """A whole document for the 原文 tab: metadata, then chapters and units; `target` is highlighted."""
    parts = [f"<h3>《{html.escape(info.title)}》</h3>", _metadata(info)]
    chapter = None
    for unit in units:
        if unit.chapter and unit.chapter != chapter:
            chapter = unit.chapter
            parts.append(f"<h4>{html.escape(chapter)}</h4>")
        parts.append(_unit_html(unit, unit.id == target))
    return "\n".join(parts)


def _metadata(info: DocumentInfo) -> str:
    facts = [f"文号：{html.escape(n.number)}（{html.escape(n.role)}）" for n in info.numbers]
    facts += [f"日期：{html.escape(d)}　{html.escape(event)}" for d, event in info.dates]
    facts += [f"发文机关：{html.escape('、'.join(info.issuers))}"] if info.issuers else []
    facts += [html.escape(info.note)] if info.note else []
    return f'<p class="rs-meta"><small>{"<br>".join(facts)}</small></p>' if facts else ""


def _unit_html(unit: Unit, selected: bool) -> str:
    label = html.escape(unit.label)
    body = "<br>".join(html.escape(p) for p in unit.paragraphs)
    style = ' class="rs-unit rs-selected"' if selected else ' class="rs-unit"'
    heading = f"<b>{label}</b>" if unit.kind != SECTION else f"<i>{label}</i>"
    return f'<div id="{anchor(unit.id)}"{style}>{heading}　{body}</div>'
