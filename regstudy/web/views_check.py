"""HTML for the 引文核查 tab: the summary and one card per finding, with the verdict coloured, the
claimed and the real location, the diff marked and the articles in full behind 查看原文. Every
piece of document and user text is escaped."""

from __future__ import annotations

import html

from regstudy.records import Unit
from regstudy.study.citations.diffing import Segment
from regstudy.study.citations.findings import DIFFERS, VERDICT_NAMES, Finding
from regstudy.study.citations.passages import original_span
from regstudy.study.citations.report import summary_line
from regstudy.web.views import open_link

DIFF_TAGS = {"equal": "{}", "delete": "<del>{}</del>", "insert": "<ins>{}</ins>"}


def findings_html(findings: list[Finding]) -> str:
    if not findings:
        return '<div class="rs-check-summary">没有发现引文（引号中的原文、或“《文件》第N条”之类的出处）。</div>'
    cards = "\n".join(_card(n, f) for n, f in enumerate(findings, start=1))
    return f'<div class="rs-check-summary">{html.escape(summary_line(findings))}</div>\n{cards}'


def _card(number: int, finding: Finding) -> str:
    verdict = finding.verdict
    claimed = html.escape(finding.claimed.citation) if finding.claimed else "（未标出处）"
    found = "、".join(_link(u) for u in finding.found) or "—"
    similarity = f" · 相似度 {round(finding.similarity * 100)}%" if verdict == DIFFERS and finding.similarity else ""
    parts = [
        f'<div class="rs-finding-head"><span class="rs-badge rs-v-{verdict}">{VERDICT_NAMES[verdict]}</span> '
        f"<b>{number}.</b> 标注出处：{claimed} · 实际出处：{found}{similarity}</div>",
        f'<blockquote class="rs-finding-quote">{html.escape(finding.quote)}</blockquote>',
    ]
    if verdict == DIFFERS and finding.diff:
        parts.append(f'<div class="rs-diff">差异：{diff_html(finding.diff)}</div>')
    parts.append(f'<div class="rs-finding-note">{html.escape(finding.note)}</div>')
    parts += [_article(u, finding) for u in finding.articles_to_read]
    return f'<div class="rs-finding rs-v-{verdict}" data-verdict="{verdict}">{"".join(parts)}</div>'


def diff_html(segments: tuple[Segment, ...]) -> str:
    """<del> what the article has and the quote lacks, <ins> what the quote has instead."""
    return "".join(DIFF_TAGS[s.op].format(html.escape(s.text)) for s in segments)


def _article(unit: Unit, finding: Finding) -> str:
    """The article in full, folded: the passage the quote matched is marked."""
    passage = finding.passage if finding.passage else ""
    span = original_span(unit.text, passage) if unit in finding.found else None
    if span:
        body = (
            html.escape(unit.text[: span[0]])
            + f"<mark>{html.escape(unit.text[span[0] : span[1]])}</mark>"
            + html.escape(unit.text[span[1] :])
        )
    else:
        body = html.escape(unit.text)
    return (
        f'<details class="rs-article"><summary>查看原文：{html.escape(unit.citation)}</summary>'
        f"<div>{body.replace(chr(10), '<br>')}</div></details>"
    )


def _link(unit: Unit) -> str:
    return f'<a href="{open_link(unit.id)}" class="rs-open">{html.escape(unit.citation)}</a>'
