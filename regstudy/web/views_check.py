"""HTML for the 引文核查 tab, rendered from autoescaped templates (prompts/html/findings, finding_card):
the summary and one card per finding, with the verdict coloured, the claimed and the real location,
the diff marked and the articles in full behind 查看原文."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from regstudy.prompts import Prompts
from regstudy.records import Unit
from regstudy.study.citations.findings import DIFFERS, MEANING_NAME, VERDICT_NAMES, Finding
from regstudy.study.citations.passages import original_span
from regstudy.study.citations.report import summary_line
from regstudy.web.views import open_link


def findings_html(prompts: Prompts, findings: list[Finding]) -> Markup:
    cards = [_card(n, f) for n, f in enumerate(findings, start=1)]
    return prompts.html("findings", findings=cards, summary=summary_line(findings) if findings else "")


def _card(number: int, finding: Finding) -> dict[str, Any]:
    verdict = finding.verdict
    similarity = f" · 相似度 {round(finding.similarity * 100)}%" if verdict == DIFFERS and finding.similarity else ""
    return {
        "number": number,
        "verdict": verdict,
        "severity": "meaning" if finding.substantive else verdict,
        "verdict_name": MEANING_NAME if finding.substantive else VERDICT_NAMES[verdict],
        "changes": [{"name": c.name, "article": c.article, "quote": c.quote} for c in finding.meaning_changes],
        "omitted": finding.omitted,
        "claimed": finding.claimed.citation if finding.claimed else "（未标出处）",
        "found": [{"link": open_link(u.id), "citation": u.citation} for u in finding.found],
        "similarity": similarity,
        "quote": finding.quote,
        "diff": finding.diff if verdict == DIFFERS and finding.diff else (),
        "note": finding.note,
        "articles": [_article(u, finding) for u in finding.articles_to_read],
    }


def _article(unit: Unit, finding: Finding) -> dict[str, Any]:
    """The article in full, folded: the passage the quote matched is marked."""
    passage = finding.passage if finding.passage else ""
    span = original_span(unit.text, passage) if unit in finding.found else None
    if not span:
        return {"citation": unit.citation, "before": unit.text, "mark": False}
    start, end = span
    return {"citation": unit.citation, "before": unit.text[:start], "mark": True, "marked": unit.text[start:end],
            "after": unit.text[end:]}  # fmt: skip
