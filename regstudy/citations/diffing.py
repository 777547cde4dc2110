"""Character-level comparison of a quote with the passage of an article it resembles: the passage
is the stretch of the article the quote lines up with, so a quote of one clause is not penalised
for the clauses it leaves out."""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher

MIN_BLOCK = 2  # a single shared character is chance, not alignment


@dataclass(frozen=True)
class Segment:
    op: str  # "equal", "delete" (in the article, not in the quote) or "insert" (in the quote only)
    text: str

    def to_json(self) -> dict[str, str]:
        return {"op": self.op, "text": self.text}


@dataclass(frozen=True)
class Comparison:
    similarity: float  # 0..1, 2 × matching characters / (quote + passage)
    passage: str  # the aligned stretch of the article (comparable form)
    start: int  # where that stretch starts in the article's comparable text
    segments: tuple[Segment, ...]


def compare(quote: str, article: str) -> Comparison:
    """Align a (comparable) quote with the (comparable) article text and diff the two."""
    blocks = [b for b in SequenceMatcher(None, article, quote, autojunk=False).get_matching_blocks() if b.size]
    strong = [b for b in blocks if b.size >= MIN_BLOCK] or blocks
    if not strong:
        return Comparison(0.0, "", 0, (Segment("insert", quote),) if quote else ())
    start, end = _best_window(strong, len(quote))
    passage = article[start:end]
    matcher = SequenceMatcher(None, passage, quote, autojunk=False)
    return Comparison(round(matcher.ratio(), 3), passage, start, _segments(matcher, passage, quote))


def _best_window(blocks: list, quote_length: int) -> tuple[int, int]:
    """The run of aligned blocks whose stretch of article matches the quote best."""
    best, window = -1.0, (blocks[0].a, blocks[0].a + blocks[0].size)
    for i in range(len(blocks)):
        matched = 0
        for j in range(i, len(blocks)):
            matched += blocks[j].size
            start, end = blocks[i].a, blocks[j].a + blocks[j].size
            score = 2 * matched / (quote_length + end - start)
            if score > best:
                best, window = score, (start, end)
    return window


def _segments(matcher: SequenceMatcher, passage: str, quote: str) -> tuple[Segment, ...]:
    out: list[Segment] = []
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op in ("delete", "replace"):
            out.append(Segment("delete", passage[a1:a2]))
        if op in ("insert", "replace"):
            out.append(Segment("insert", quote[b1:b2]))
        if op == "equal":
            out.append(Segment("equal", passage[a1:a2]))
    return tuple(out)
