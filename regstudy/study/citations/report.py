"""The findings of one check as a report: a summary, a table of every citation, and the details
of the ones that need fixing; Markdown from prompts/citation_report.j2, DOCX from that Markdown."""

from __future__ import annotations

from regstudy.prompts import Prompts
from regstudy.study.citations.diffing import Segment
from regstudy.study.citations.findings import (
    DIFFERS,
    EXACT,
    MEANING_NAME,
    NOT_FOUND,
    VERDICT_NAMES,
    VERDICTS,
    Finding,
    summary,
)

TABLE_QUOTE = 60  # characters of a quote shown in the table; the details show it whole


def summary_line(findings: list[Finding]) -> str:
    counts = summary(findings)
    parts = [f"{VERDICT_NAMES[v]} {counts[v]}" for v in VERDICTS]
    meaning = sum(1 for f in findings if f.substantive)
    tail = f"（其中{MEANING_NAME} {meaning}）" if meaning else ""
    return f"共 {len(findings)} 处引文：" + "，".join(parts) + tail


def report_markdown(findings: list[Finding], source: str, prompts: Prompts) -> str:
    rows = [_row(n, f) for n, f in enumerate(findings, start=1)]
    return prompts.render(
        "citation_report",
        source=source,
        summary=summary_line(findings),
        rows=rows,
        problems=[r for r in rows if r["verdict_code"] != EXACT],
    )


def _row(number: int, finding: Finding) -> dict:
    found = "、".join(u.citation for u in finding.found)
    quote = _cell(finding.quote)
    return {
        "number": number,
        "quote": quote if len(quote) <= TABLE_QUOTE else quote[:TABLE_QUOTE] + "…（略）",
        "full_quote": finding.quote.replace("\n", " "),
        "claimed": _cell(finding.claimed.citation) if finding.claimed else "（未标出处）",
        "verdict": MEANING_NAME if finding.substantive else VERDICT_NAMES[finding.verdict],
        "changes": [f"{c.name}变了：原文“{c.article}”，引文“{c.quote}”" for c in finding.meaning_changes],
        "omitted": "；".join(f"“{gap}”" for gap in finding.omitted),
        "verdict_code": finding.verdict,
        "found": _cell(found) or "—",
        "similarity": _percent(finding),
        "note": finding.note,
        "diff": diff_markdown(finding.diff) if finding.diff and finding.verdict == DIFFERS else "",
        "articles": [f"{u.citation}：{u.text}".replace("\n", " ") for u in finding.articles_to_read],
    }


def _percent(finding: Finding) -> str:
    """The similarity, where it describes the quote against a located article."""
    if finding.similarity is None or finding.verdict == NOT_FOUND:
        return "—"
    return f"{round(finding.similarity * 100)}%"


def diff_markdown(segments: tuple[Segment, ...]) -> str:
    """~~in the article, missing from the quote~~ and **in the quote, not in the article**."""
    marks = {"equal": "{}", "delete": "~~{}~~", "insert": "**{}**"}
    return "".join(marks[s.op].format(s.text) for s in segments)


def _cell(text: str) -> str:
    return text.replace("\n", " ").replace("|", "\\|")
