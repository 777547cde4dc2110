"""The relevance and refusal decision: which retrieved units may be cited at all (none left means an
honest refusal), and which of them are cited rather than only listed as related."""

from __future__ import annotations

from regstudy.answering.retrieval import Hit
from regstudy.settings import Settings


def is_relevant(hit: Hit, settings: Settings, dense: bool) -> bool:
    """Similar enough to the question on its own, or matching it lexically (its words, or the
    regulation terms behind its everyday wording) above a lower similarity floor. Without an
    embedding model (`dense` False) the lexical match decides alone."""
    lexical = hit.lexical >= settings.refusal_lexical_min or hit.concept > 0
    if not dense:
        return lexical
    return hit.dense >= settings.refusal_dense_accept or (lexical and hit.dense >= settings.refusal_dense_floor)


def select(hits: list[Hit], limit: int, settings: Settings) -> tuple[list[Hit], list[Hit]]:
    """Citations: the best hit and those nearly as good; related: the next relevant ones, the best
    one from another document first (it often covers the same ground)."""
    if not hits:
        return [], []
    top = hits[0]
    close = [
        h
        for h in hits[1:]
        if h.dense >= top.dense - settings.citation_dense_margin
        and h.lexical >= settings.citation_lexical_share * top.lexical
    ]
    cited = [top, *close][: max(limit, 0)]
    rest = [h for h in hits if h not in cited]
    other_docs = [h for h in rest if h.unit.doc_id != top.unit.doc_id]
    related = (other_docs[:1] + [h for h in rest if h not in other_docs[:1]])[: settings.max_related]
    return cited, related
