"""Direct addressing: `第十三条`, `第13条`, `规定第5条`, `《意见》第四条`, `第三章` resolve to units
by id, with document names and aliases from the manifest; numbers that do not exist are reported,
never guessed."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from regstudy.kb.editions import SUPERSEDED
from regstudy.records import ARTICLE, POINT, DocumentInfo, Unit
from regstudy.text import NUM, article_label, parse_number, point_label, to_chinese

REFERENCE = re.compile(rf"第\s*({NUM})\s*(条|点|章)(?:\s*之\s*({NUM}))?")
MAX_GAP = 4  # characters allowed between a document name and the reference it qualifies (的、》…)


@dataclass(frozen=True)
class Reference:
    """One 第X条 / 第X点 / 第X章 in a question, with the document it names (if any)."""

    kind: str  # "article" (条 or 点) or "chapter"
    number: int
    sub: int
    doc_id: str | None
    start: int
    point: bool = False  # written 第X点: a document numbered by points is meant

    @property
    def label(self) -> str:
        if self.kind == "chapter":
            return f"第{to_chinese(self.number)}章"
        return point_label(self.number) if self.point else article_label(self.number, self.sub)


@dataclass(frozen=True)
class Missing:
    """A referenced article or chapter that the document does not have."""

    document: DocumentInfo
    requested: str  # 第三十条
    count: int  # how many articles (or points, or chapters) it does have
    noun: str  # 条, 点 or 章


_NAMES: dict[tuple[int, ...], tuple[list[DocumentInfo], dict[str, list[tuple[int, str, str]]]]] = {}
NAMES_KEPT = 8  # the knowledge base in service, the one being swapped in, and scoped subsets


def _names(documents: list[DocumentInfo]) -> dict[str, list[tuple[int, str, str]]]:
    """First character → (rank, name, doc id) of every document name. Rank orders names longest
    first; editions share their names, and the one in force ranks first. Kept per set of document
    records (the entry holds them, so their ids stay unique)."""
    key = tuple(map(id, documents))
    if key not in _NAMES:
        ranked = sorted(documents, key=lambda d: d.status == SUPERSEDED)
        names = sorted(((name, d.id) for d in ranked for name in d.names()), key=lambda x: -len(x[0]))
        by_first: dict[str, list[tuple[int, str, str]]] = {}
        for rank, (name, doc_id) in enumerate(names):
            if name:
                by_first.setdefault(name[0], []).append((rank, name, doc_id))
        if len(_NAMES) >= NAMES_KEPT:
            del _NAMES[next(iter(_NAMES))]
        _NAMES[key] = (list(documents), by_first)
    return _NAMES[key][1]


def document_mentions(query: str, documents: list[DocumentInfo]) -> list[tuple[int, int, str]]:
    """(start, end, doc id) of every document name in the query, longest names first, no overlaps.
    Names are looked up by the query's characters (thousands of names, a short query)."""
    by_first = _names(documents)
    found = sorted(
        (rank, start, name, doc_id)
        for start, char in enumerate(query)
        for rank, name, doc_id in by_first.get(char, ())
        if query.startswith(name, start)
    )
    taken: list[tuple[int, int, str]] = []
    occupied = bytearray(len(query))  # per character, so a long text costs no more per name than a short one
    for _, start, name, doc_id in found:
        end = start + len(name)
        if not any(occupied[start:end]):
            occupied[start:end] = b"\x01" * (end - start)
            taken.append((start, end, doc_id))
    return sorted(taken)


def parse_references(query: str, documents: list[DocumentInfo]) -> list[Reference]:
    """The references in the query; each bound to the document named just before it, or to the only
    document the query names, or to none."""
    mentions = document_mentions(query, documents)
    only = {doc_id for _, _, doc_id in mentions}
    references = []
    for match in REFERENCE.finditer(query):
        try:
            number = parse_number(match.group(1))
            sub = parse_number(match.group(3)) if match.group(3) else 0
        except ValueError:
            continue
        kind = "chapter" if match.group(2) == "章" else "article"
        before = [m for m in mentions if m[1] <= match.start() and match.start() - m[1] <= MAX_GAP]
        doc_id = before[-1][2] if before else (next(iter(only)) if len(only) == 1 else None)
        references.append(Reference(kind, number, sub, doc_id, match.start(), match.group(2) == "点"))
    return references


def numbered_units(units: list[Unit]) -> list[Unit]:
    return [u for u in units if u.kind in (ARTICLE, POINT)]


def find_article(units: list[Unit], reference: Reference) -> Unit | None:
    suffix = f"/a{reference.number}" + (f"-{reference.sub}" if reference.sub else "")
    return next((u for u in numbered_units(units) if u.id.endswith(suffix)), None)


def chapter_units(units: list[Unit], number: int) -> list[Unit]:
    """The numbered units under the document's 第N章 (at any depth of 编/章/节)."""
    return [u for u in numbered_units(units) if any(_chapter_number(h) == number for h in u.chapter_path)]


def _chapter_number(heading: str) -> int | None:
    match = re.match(rf"^第\s*({NUM})\s*章", heading)
    try:
        return parse_number(match.group(1)) if match else None
    except ValueError:
        return None


def missing(document: DocumentInfo, units: list[Unit], reference: Reference) -> Missing:
    """What to say when `reference` does not exist in `document`."""
    if reference.kind == "chapter":
        chapters = {n for u in units for h in u.chapter_path if (n := _chapter_number(h)) is not None}
        return Missing(document, reference.label, len(chapters), "章")
    count, noun = extent(units)
    return Missing(document, reference.label, count, noun)


def extent(units: list[Unit]) -> tuple[int, str]:
    """How many articles (or points) a document has, and the noun to count them with: inserted
    articles (第X条之一) do not add to the count."""
    numbered = numbered_units(units)
    noun = "点" if numbered and all(u.kind == POINT for u in numbered) else "条"
    return len([u for u in numbered if "-" not in u.id.rsplit("/", 1)[1]]), noun


def resolve(reference: Reference, units: list[Unit]) -> list[Unit]:
    """The units a reference names within one document's units (empty when it does not exist)."""
    if reference.kind == "chapter":
        return chapter_units(units, reference.number)
    found = find_article(units, reference)
    return [found] if found else []


def first_documents(units: list[Unit], limit: int) -> tuple[list[Unit], int]:
    """The units of the first `limit` documents among them, and how many documents were left out."""
    doc_ids = list(dict.fromkeys(u.doc_id for u in units))
    kept = set(doc_ids[:limit])
    return [u for u in units if u.doc_id in kept], len(doc_ids) - len(kept)


def locate(text: str, doc_id: str, documents: list[DocumentInfo], units_of: Callable[[str], list[Unit]]) -> Unit | None:
    """The unit `第十三条`, `13` or `第三章` names within a document (a document named alone, such
    as 中宣发〔2017〕20号: its first unit)."""
    text = f"第{text}条" if text.isdigit() else text
    references = parse_references(text, documents)
    if not references:
        named = document_mentions(text, documents)
        return next(iter(units_of(named[0][2])), None) if named else None
    found = resolve(references[0], units_of(references[0].doc_id or doc_id))
    return found[0] if found else None
