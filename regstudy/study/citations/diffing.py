"""Character-level comparison of a quote with the passage of an article it resembles: the passage
is the stretch of the article the quote lines up with, so a quote of one clause is not penalised
for the clauses it leaves out."""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher

MIN_BLOCK = 2  # a single shared character is chance, not alignment
MAX_EXTRA = 8  # article characters beyond the quote's own that a replaced stretch may span


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
    start, end = _widened(strong, *_best_window(strong, len(quote)))
    passage = article[start:end]
    matcher = SequenceMatcher(None, passage, quote, autojunk=False)
    return Comparison(round(matcher.ratio(), 3), passage, start, _segments(matcher, passage, quote))


def full_diff(old: str, new: str) -> tuple[Segment, ...]:
    """The whole of `old` diffed against the whole of `new` (delete: only in old; insert: only in new)."""
    return _segments(SequenceMatcher(None, old, new, autojunk=False), old, new)


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


def _widened(blocks: list, start: int, end: int) -> tuple[int, int]:
    """Take in neighbouring aligned blocks when the stretch of article between is about as long as
    the stretch of quote between: a replaced phrase (有关部门和网络平台 → 公安机关) is shown as
    replaced, not left out of the passage."""
    inner = [n for n, b in enumerate(blocks) if start <= b.a and b.a + b.size <= end]
    first, last = inner[0], inner[-1]
    while last + 1 < len(blocks) and _close(blocks[last], blocks[last + 1]):
        last += 1
    while first > 0 and _close(blocks[first - 1], blocks[first]):
        first -= 1
    return blocks[first].a, blocks[last].a + blocks[last].size


def _close(left, right) -> bool:
    article_gap = right.a - (left.a + left.size)
    quote_gap = right.b - (left.b + left.size)
    return quote_gap >= 0 and article_gap <= max(quote_gap + MAX_EXTRA, 3 * quote_gap)


def _segments(matcher: SequenceMatcher, passage: str, quote: str) -> tuple[Segment, ...]:
    """Equal runs, and each change as what the article has (delete) then what the quote has
    (insert); a lone shared character inside a change (有关 / 机关) is part of the change."""
    codes = matcher.get_opcodes()
    out: list[Segment] = []
    deleted = inserted = ""
    for n, (op, a1, a2, b1, b2) in enumerate(codes):
        inside_change = 0 < n < len(codes) - 1 and a2 - a1 < MIN_BLOCK
        if op == "equal" and not inside_change:
            out += [*_change(deleted, inserted), Segment("equal", passage[a1:a2])]
            deleted = inserted = ""
        else:
            deleted, inserted = deleted + passage[a1:a2], inserted + quote[b1:b2]
    return tuple(out + _change(deleted, inserted))


def _change(deleted: str, inserted: str) -> list[Segment]:
    return [Segment(op, text) for op, text in (("delete", deleted), ("insert", inserted)) if text]
