"""The stored articles as a citation checker needs them: where a quote is verbatim (whitespace,
punctuation width and a final 。 aside; …… for an omission), and which article a quote resembles
most, by the share of its distinctive wording (IDF-weighted character pairs) the article has."""

from __future__ import annotations

import math
import re
from collections import defaultdict

import numpy as np

from regstudy.quotes import comparable
from regstudy.records import Unit

ELLIPSIS = re.compile(r"…+|⋯+|\.{3,}|。{3,}")
WORD_CHAR = re.compile(r"\w")
QUOTE_EDGES = "。，；、：！？,;:!?（）()"


def fragments(quote: str) -> list[str]:
    """The comparable pieces of a quote: one, or several where it marks an omission with ……"""
    pieces = (comparable(p).strip(QUOTE_EDGES) for p in ELLIPSIS.split(quote))
    return [p for p in pieces if p]


def pairs(text: str) -> set[str]:
    """The character pairs of a comparable text that carry wording (punctuation aside)."""
    return {text[i : i + 2] for i in range(len(text) - 1) if WORD_CHAR.match(text[i]) and WORD_CHAR.match(text[i + 1])}


class PassageIndex:
    """Comparable texts of every unit plus an inverted index of their character pairs."""

    def __init__(self, units: list[Unit]) -> None:
        self.units = units
        self.texts = [comparable(u.text) for u in units]
        postings: dict[str, list[int]] = defaultdict(list)
        for n, text in enumerate(self.texts):
            for pair in pairs(text):
                postings[pair].append(n)
        self.postings = {pair: np.array(ids, dtype=np.int32) for pair, ids in postings.items()}
        total = len(units)
        self._unseen = math.log((total + 1) / 0.5)
        self.idf = {pair: math.log((total + 1) / (len(ids) + 0.5)) for pair, ids in postings.items()}

    def coverage(self, pieces: list[str]) -> np.ndarray:
        """For every unit, the IDF-weighted share of the quote's character pairs it contains."""
        wanted = set().union(*(pairs(p) for p in pieces)) if pieces else set()
        scores = np.zeros(len(self.units))
        weight = sum(self.idf.get(p, self._unseen) for p in wanted)
        if not wanted or weight == 0:
            return scores
        for pair in wanted:
            if pair in self.postings:
                scores[self.postings[pair]] += self.idf[pair]
        return scores / weight

    def holders(self, pieces: list[str], scores: np.ndarray | None = None) -> list[int]:
        """The units in which the pieces appear verbatim, in order (and in no other way)."""
        if not pieces:
            return []
        scores = self.coverage(pieces) if scores is None else scores
        full = np.flatnonzero(scores >= 1 - 1e-9) if any(len(p) > 1 for p in pieces) else range(len(self.units))
        return [int(n) for n in full if _in_order(pieces, self.texts[n])]


def _in_order(pieces: list[str], text: str) -> bool:
    pos = 0
    for piece in pieces:
        found = text.find(piece, pos)
        if found < 0:
            return False
        pos = found + len(piece)
    return True


def original_span(text: str, passage: str) -> tuple[int, int] | None:
    """Where a comparable passage lies in the original text (whose whitespace and punctuation
    width may differ), or None."""
    kept = [n for n, char in enumerate(text) if not char.isspace()]
    flat = comparable("".join(text[n] for n in kept) + "#")[:-1]  # the "#" keeps a final 。
    found = flat.find(passage) if passage else -1
    if found < 0:
        return None
    return kept[found], kept[found + len(passage) - 1] + 1
