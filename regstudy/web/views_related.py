"""The provisions of other documents that govern the same conduct as an article (相关规定), as shown
under chat answers and beside each article in 原文."""

from __future__ import annotations

from typing import Any

from regstudy.kb.parallels import ParallelProvisions, issue_date
from regstudy.records import DocumentInfo, Unit
from regstudy.web.views import open_link


def parallel_views(parallels: ParallelProvisions, unit: Unit) -> list[dict[str, Any]]:
    """Each parallel provision of `unit`: its link, the words that parallel the article's, and dates."""
    views = []
    for parallel in parallels.of(unit):
        later = parallels.later(unit, parallel)
        views.append(
            {
                "id": parallel.unit.id,
                "link": open_link(parallel.unit.id),
                "citation": parallel.unit.citation,
                "clause": parallel.clause,
                "dates": _dates(parallels, unit, parallel.unit, parallel.document),
                "later": later,
            }
        )
    return views


def _dates(parallels: ParallelProvisions, unit: Unit, other: Unit, document: DocumentInfo) -> str:
    mine = issue_date(parallels.kb.document(unit.doc_id))
    theirs = issue_date(document)
    own = f"《{unit.document}》{mine}" if mine else f"《{unit.document}》未载明发布日期"
    return f"{own}；《{other.document}》{theirs or '未载明发布日期'}"
