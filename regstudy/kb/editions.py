"""Editions: documents with the same title and different dates are versions of one regulation. The
newest is in force; each older one is superseded by it. Dates come from the file name's `(YYYY-MM-DD)`,
the manifest, or the dated lines (通过, 修正, 修订, 公布…) before the first article."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace

from regstudy.records import SECTION, DocumentInfo, Unit

IN_FORCE = "in_force"
SUPERSEDED = "superseded"
NAME_DATE = re.compile(r"[(（](\d{4})-(\d{2})-(\d{2})[)）]")
TEXT_DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日[^\n]{0,60}?(通过|修正|修订|公布|发布|施行|印发)")


def edition_date(info: DocumentInfo, units: Iterable[Unit]) -> str:
    """The document's latest dated event as an ISO date ('' when it states none)."""
    found = [f"{y}-{m}-{d}" for y, m, d in NAME_DATE.findall(info.source)]
    found += [d for d, _ in info.dates]
    for unit in units:
        if unit.kind != SECTION:
            break  # only the heading lines before the first article date the edition
        found += [f"{y}-{int(m):02d}-{int(d):02d}" for y, m, d, _ in TEXT_DATE.findall(unit.text)]
    return max(found, default="")


def with_editions(documents: list[DocumentInfo], units: Iterable[Unit]) -> list[DocumentInfo]:
    """The documents with `edition`, `status` and `superseded_by` filled in. Same-titled documents with
    one shared date (the parts of a code) are parts, not editions, and get no status."""
    units_of: dict[str, list[Unit]] = {}
    for unit in units:
        units_of.setdefault(unit.doc_id, []).append(unit)
    dated = [replace(d, edition=d.edition or edition_date(d, units_of.get(d.id, ()))) for d in documents]
    by_title: dict[str, list[DocumentInfo]] = {}
    for info in dated:
        by_title.setdefault(info.title, []).append(info)
    status: dict[str, tuple[str, str]] = {}
    for group in by_title.values():
        dates = {d.edition for d in group if d.edition}
        if len(dates) < 2:
            continue
        newest = max(dates)
        current = [d.id for d in group if d.edition == newest]
        for info in group:
            if info.edition == newest:
                status[info.id] = (IN_FORCE, "")
            elif info.edition:
                status[info.id] = (SUPERSEDED, current[0])
    return [
        replace(d, status=status.get(d.id, ("", ""))[0], superseded_by=status.get(d.id, ("", ""))[1]) for d in dated
    ]
