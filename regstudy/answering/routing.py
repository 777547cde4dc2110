"""Document routing: how much of a question its words name a document's title (劳动合同 → 《劳动合同
法》). In a knowledge base of many documents the titles a question names are searched on their own, so
their articles compete even when the whole-corpus lists miss them."""

from __future__ import annotations

from collections.abc import Sequence

from regstudy.kb.lexical import LexicalIndex, tokenize
from regstudy.records import DocumentInfo

ROUTE_MIN = 0.2  # share of the question's (IDF-weighted) words a title must explain to be searched
ROUTE_CLOSE = 0.8  # titles nearly as well matched as the best are searched too (editions, code parts)


class TitleIndex:
    """The content words of every document's title and aliases."""

    def __init__(self, documents: Sequence[DocumentInfo], lexical: LexicalIndex) -> None:
        self.lexical = lexical
        self.by_token: dict[str, list[str]] = {}
        for info in documents:
            for token in set(tokenize(" ".join((info.title, *info.aliases)))):
                self.by_token.setdefault(token, []).append(info.id)

    def shares(self, tokens: list[str]) -> dict[str, float]:
        """Document id → the IDF-weighted share of the question's words found in its title."""
        unique = list(dict.fromkeys(tokens))
        weights = {t: self.lexical.idf(t) for t in unique}
        total = sum(weights.values())
        shares: dict[str, float] = {}
        if not total:
            return shares
        for token, weight in weights.items():
            for doc_id in self.by_token.get(token, ()):
                shares[doc_id] = shares.get(doc_id, 0.0) + weight / total
        return shares

    @staticmethod
    def routed(shares: dict[str, float], limit: int, scope: Sequence[str] | None) -> list[str]:
        """The documents worth searching on their own: well named, and nearly as well as the best."""
        ranked = sorted(((s, d) for d, s in shares.items() if not scope or d in scope), reverse=True)
        if not ranked or ranked[0][0] < ROUTE_MIN:
            return []
        best = ranked[0][0]
        return [d for s, d in ranked if s >= max(ROUTE_MIN, ROUTE_CLOSE * best)][:limit]
