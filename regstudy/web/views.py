"""HTML for the chat and the 原文 tab, rendered from autoescaped templates (prompts/html/): the view
models here hold plain text; the templates escape every piece of it. No Gradio here."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from markupsafe import Markup

from regstudy.answering.answers import Answer, Citation
from regstudy.answering.unstated import missing_of
from regstudy.prompts import Prompts
from regstudy.records import SECTION, DocumentInfo, Unit
from regstudy.study.revisions import KIND_NAMES, UNCHANGED, Revision, Row

ISSUING, FORWARDING = "印发通知", "转发通知"  # the roles of 文号 in the manifest


def anchor(unit_id: str) -> str:
    """The element id of a unit in the 原文 view."""
    return "unit-" + re.sub(r"[^0-9A-Za-z_-]", lambda m: f"_{ord(m.group(0)):x}", unit_id)


def open_link(unit_id: str) -> str:
    """The href of a link that opens a unit in the 原文 tab (the page script handles `#rs:` links;
    the chat's HTML sanitiser keeps href but drops data attributes)."""
    return "#rs:" + quote(unit_id, safe="")


def marked_segments(text: str, highlights: tuple[str, ...]) -> list[tuple[str, bool]]:
    """The text in pieces, each with whether it is an answering sentence (shown in <mark>)."""
    spans = sorted({(text.find(h), text.find(h) + len(h)) for h in highlights if h and h in text})
    segments, pos = [], 0
    for start, end in spans:
        if start < pos:
            continue
        segments += [(text[pos:start], False), (text[start:end], True)]
        pos = end
    return [*segments, (text[pos:], False)]


def citation_card(citation: Citation) -> dict[str, Any]:
    unit = citation.unit
    return {
        "citation": unit.citation,
        "chapter": unit.chapter,
        "link": open_link(unit.id),
        "segments": marked_segments(citation.quote, citation.highlights),
    }


def answer_html(prompts: Prompts, answer: Answer, parallels: list[dict[str, Any]] | None = None) -> Markup:
    """One assistant message in the chat; `parallels`: provisions of other documents that govern the
    same conduct as the first citation (相关规定)."""
    return prompts.html(
        "answer",
        refused=answer.refused,
        answer=answer.answer,
        explanation=answer.explanation,
        cards=[citation_card(c) for c in answer.citations],
        related=[
            {"link": open_link(c.unit.id), "citation": c.unit.citation}
            for c in answer.related
            if c.unit.id not in {p["id"] for p in parallels or []}  # listed with its clause under 相关规定
        ],
        parallels=parallels or [],
        notice=answer.notice,
        confidence=answer.confidence,
        conclusion=answer.conclusion.to_json() if answer.conclusion else None,
        unstated=missing_of(answer.unstated),
    )


def document_html(
    prompts: Prompts,
    info: DocumentInfo,
    units: list[Unit],
    target: str = "",
    related: Callable[[Unit], list[dict[str, Any]]] | None = None,
) -> Markup:
    """A whole document for the 原文 tab: metadata, then chapters and units; `target` is highlighted;
    `related` gives an article's parallel provisions in other documents."""
    views, chapter = [], None
    for unit in units:
        heading = unit.chapter if unit.chapter and unit.chapter != chapter else ""
        chapter = unit.chapter or chapter
        views.append(
            {
                "heading": heading,
                "anchor": anchor(unit.id),
                "id": unit.id,
                "selected": unit.id == target,
                "section": unit.kind == SECTION,
                "label": unit.label,
                "text": unit.text,
                "related": related(unit) if related and unit.kind != SECTION else [],
            }
        )
    return prompts.html("document", title=info.title, facts=_facts(info), units=views, doc_id=info.id)


def _edition(info: DocumentInfo) -> str:
    if info.status == "superseded":
        return f"版本：{info.edition}版，已被新版本取代（现行版本：{info.superseded_by}），问答不引用此版本"
    if info.status == "in_force":
        return f"版本：{info.edition}版，现行有效（知识库另收有旧版本）"
    return f"版本：{info.edition}"


def _facts(info: DocumentInfo) -> list[str]:
    facts = [f"文号：{line}" for line in forwarding_chain(info)]
    facts += [f"日期：{d}　{event}" for d, event in info.dates]
    facts += [f"发文机关：{'、'.join(info.issuers)}"] if info.issuers else []
    facts += [_edition(info)] if info.edition else []
    return facts + ([info.note] if info.note else [])


def forwarding_chain(info: DocumentInfo) -> list[str]:
    """文号 of the notices around a document, each saying what it does: 中宣发〔2017〕20号 印发本文件;
    豫宣通〔2017〕70号 转发中宣发〔2017〕20号."""
    issuing = [n for n in info.numbers if n.role == ISSUING]
    lines = []
    for number in info.numbers:
        by = f"（{'、'.join(number.issuers)}{'，' + number.date if number.date else ''}）" if number.issuers else ""
        if number.role == ISSUING:
            lines.append(f"{number.number}{by}印发《{info.title}》")
        elif number.role == FORWARDING and issuing:
            lines.append(f"{number.number}{by}转发{issuing[0].number}（连同《{info.title}》）")
        else:
            lines.append(f"{number.number}{by}（{number.role}）")
    return lines


def revision_html(prompts: Prompts, revision: Revision) -> Markup:
    """The 修订对照表 in the page: counts, then each article that changed with its diff."""
    rows = [_revision_row(r) for r in revision.rows if r.kind != UNCHANGED]
    counts = [{"name": KIND_NAMES[k], "count": n} for k, n in revision.counts().items()]
    return prompts.html("revision", old=revision.old_title, new=revision.new_title, counts=counts, rows=rows)


def _revision_row(row: Row) -> dict[str, Any]:
    return {"labels": row.labels, "kind": row.kind, "name": KIND_NAMES[row.kind], "diff": row.diff,
            "text": row.whole.text if row.whole else ""}  # fmt: skip
