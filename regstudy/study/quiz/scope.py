"""Quiz scopes as an organiser writes them: a document (规定), chapters (规定第三章), articles or
ranges (意见第二条、第四条；规定第9-16条). Each resolves to articles; nothing is guessed."""

from __future__ import annotations

import re
from collections.abc import Sequence

from regstudy.errors import QuizScopeError, UnknownDocumentError
from regstudy.kb import addressing
from regstudy.kb.addressing import Reference
from regstudy.kb.knowledge_base import KnowledgeBase
from regstudy.records import Unit
from regstudy.study.quiz.material import quiz_units
from regstudy.text import NUM, normalize, parse_number, to_chinese

RANGE = re.compile(rf"第?\s*({NUM})\s*(?:条|点)?\s*(?:至|到|-|－|—|~|～)\s*第?\s*({NUM})\s*(条|点)")
SEPARATORS = re.compile(r"[,，;；\s]+")
FILLER = "的中第条点章、和及与至到-－—~～《》 "  # what may stand between the names and numbers of a scope


def resolve_scope(kb: KnowledgeBase, specs: Sequence[str]) -> list[Unit]:
    """The articles the specs name, in knowledge-base order; all articles when there are no specs."""
    wanted: set[str] = set()
    for spec in (s for raw in specs for s in SEPARATORS.split(normalize(raw)) if s):
        wanted |= {u.id for u in _one(kb, spec)}
    pool = quiz_units(kb.units)
    return [u for u in pool if u.id in wanted] if wanted else pool


def _one(kb: KnowledgeBase, spec: str) -> list[Unit]:
    mentions = addressing.document_mentions(spec, kb.documents)
    _check_nothing_left(kb, spec, mentions)
    doc_ids = list(dict.fromkeys(doc_id for _, _, doc_id in mentions))
    references = _ranges(spec, doc_ids) + addressing.parse_references(RANGE.sub("", spec), kb.documents)
    if not references:
        if not doc_ids:
            raise UnknownDocumentError(spec, [d.title for d in kb.documents])
        return [u for d in doc_ids for u in quiz_units(kb.units_of(d))]
    return [u for r in references for u in _units(kb, spec, r, doc_ids)]


def _check_nothing_left(kb: KnowledgeBase, spec: str, mentions: list[tuple[int, int, str]]) -> None:
    """Every word of a scope must be understood: 不存在规定第一条 names no document, even though it ends
    with one's short name (it is not read as 规定第一条)."""
    covered = [(s, e) for s, e, _ in mentions]
    covered += [m.span() for pattern in (RANGE, addressing.REFERENCE) for m in pattern.finditer(spec)]
    left = "".join(ch for n, ch in enumerate(spec) if not any(s <= n < e for s, e in covered))
    if left.strip(FILLER):
        raise UnknownDocumentError(spec, [d.title for d in kb.documents][:10])


def _ranges(spec: str, doc_ids: list[str]) -> list[Reference]:
    found = []
    for match in RANGE.finditer(spec):
        low, high = sorted((parse_number(match.group(1)), parse_number(match.group(2))))
        doc_id = doc_ids[-1] if doc_ids else None
        found += [Reference("article", n, 0, doc_id, match.start()) for n in range(low, high + 1)]
    return found


def _units(kb: KnowledgeBase, spec: str, reference: Reference, doc_ids: list[str]) -> list[Unit]:
    doc_id = reference.doc_id or (doc_ids[0] if len(doc_ids) == 1 else None)
    candidates = [doc_id] if doc_id else [d.id for d in kb.documents]
    found = {d: addressing.resolve(reference, kb.units_of(d)) for d in candidates}
    hits = {d: units for d, units in found.items() if units}
    if len(hits) == 1:
        return next(iter(hits.values()))
    if len(hits) > 1:
        raise QuizScopeError(
            f"「{spec}」中的{reference.label}在多份文件中都有，请写明文件，例如“规定{reference.label}”。"
        )
    document = kb.document(candidates[0]) if len(candidates) == 1 else None
    if document is None:
        raise QuizScopeError(f"知识库中没有「{spec}」所说的{reference.label}。")
    gap = addressing.missing(document, kb.units_of(document.id), reference)
    raise QuizScopeError(f"《{document.title}》共{to_chinese(gap.count)}{gap.noun}，没有{gap.requested}。")
