"""Which sentences of an article answer the question: split on sentence ends, score by the
IDF-weighted share of query terms each sentence contains."""

from __future__ import annotations

import math
from collections.abc import Callable

from regstudy.kb.lexical import tokenize
from regstudy.text import sentences


def answering_sentences(
    text: str, query: str, document_frequency: Callable[[str], int], units: int, share: float = 0.6
) -> tuple[str, ...]:
    """The sentences scoring at least `share` of the best one; none when no query term occurs.
    A one-sentence text is returned whole when it matches at all."""
    terms = set(tokenize(query))
    if not terms:
        return ()
    weight = {t: math.log((units + 1) / (document_frequency(t) + 0.5)) for t in terms}
    # a term counts where it occurs in the sentence's characters: as exact as its tokens, and no
    # tokenizing of every cited sentence on every answer
    scored = [(sum(weight[t] for t in terms if t in s), s) for s in sentences(text)]
    best = max((score for score, _ in scored), default=0.0)
    if best <= 0:
        return ()
    return tuple(s for score, s in scored if score >= share * best)
