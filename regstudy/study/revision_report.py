"""The 修订对照表 as Markdown (prompts/revision_table.j2) and DOCX: every article that changed, was
added, deleted or moved, with its character diff; articles that only changed number are listed too,
so the table reads 原第X条 → 现第Y条 throughout."""

from __future__ import annotations

from regstudy.prompts import Prompts
from regstudy.study.citations.report import diff_markdown
from regstudy.study.revisions import ADDED, KIND_NAMES, UNCHANGED, Revision, Row


def revision_markdown(revision: Revision, prompts: Prompts, unchanged: bool = False) -> str:
    """The table; articles left as they were are counted but not listed unless `unchanged`."""
    counts = [{"name": KIND_NAMES[k], "count": n} for k, n in revision.counts().items()]
    rows = [_row(r) for r in revision.rows if unchanged or r.kind != UNCHANGED]
    return prompts.render(
        "revision_table", old_title=revision.old_title, new_title=revision.new_title, counts=counts, rows=rows
    )


def _row(row: Row) -> dict[str, str]:
    unit = row.whole
    text = unit.text if unit else ""
    mark = "**{}**" if row.kind == ADDED else "~~{}~~"
    return {
        "labels": row.labels,
        "kind": KIND_NAMES[row.kind],
        "similarity": f"{round(row.similarity * 100)}%" if row.old and row.new else "—",
        "diff": _cell(diff_markdown(row.diff)) if row.diff else "",
        "text": _cell(mark.format(text)) if text else "",
    }


def _cell(text: str) -> str:
    return text.replace("\n", " ").replace("|", "\\|")
