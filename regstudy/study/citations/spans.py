"""Where the quotation marks and the sentences of a text are: the raw material for reading
citations out of a handout. Offsets are into the text as given."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator

OPENERS = {"“": "”", "「": "」", "『": "』", "‘": "’", "《": "》"}
STRAIGHT = '"'
SENTENCE_END = "。！？!?\n"
# Numbering a handout puts before a sentence: 1.  （2）  三、  -  •
LIST_MARKER = re.compile(r"\s*(?:\d{1,3}[.、．)）]|[（(]\d{1,3}[)）]|[一二三四五六七八九十]{1,3}、|[-•·*●▪])\s*")
TRAILING = "。，；、：,;:\u3000 \t\n"
BETWEEN = TRAILING + "！？!?”’」』）)"  # what separates one sentence from the next


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of the text inside each outermost pair of quotation marks; a quote nested in
    another (“…“两个确立”…”) belongs to the outer one. 《titles》 are not quotes but are skipped
    as a unit so that marks inside them do not pair with marks outside."""
    spans: list[tuple[int, int]] = []
    stack: list[tuple[int, str, str]] = []  # (position, closing mark, opening mark)
    for pos, char in enumerate(text):
        if stack and char == stack[-1][1]:
            opener_pos, _, mark = stack.pop()
            if not stack and mark != "《":
                spans.append((opener_pos + 1, pos))
        elif char in OPENERS:
            stack.append((pos, OPENERS[char], char))
        elif char == STRAIGHT:
            stack.append((pos, STRAIGHT, STRAIGHT))
        elif char == "\n" and pos > 0 and text[pos - 1] == "\n":
            stack.clear()  # a blank line ends any quote left open
    return spans


def inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    """Whether pos lies in one of the spans (disjoint and in order, as quoted_spans gives them)."""
    n = bisect.bisect_right(spans, (pos, float("inf"))) - 1
    return n >= 0 and spans[n][0] <= pos < spans[n][1]


def starting_between(spans: list[tuple[int, int]], lo: int, hi: int) -> Iterator[tuple[int, int]]:
    """The spans (disjoint and in order) that start at lo..hi, in order: a bisection, not a scan, so
    that a handout with thousands of quotes is read in near-linear time."""
    n = bisect.bisect_left(spans, (lo, lo))
    while n < len(spans) and spans[n][0] <= hi:
        yield spans[n]
        n += 1


def ending_at(spans: list[tuple[int, int]], end: int) -> tuple[int, int] | None:
    """The span (of disjoint spans in order, so ends are in order too) that ends at `end`, if any."""
    n = bisect.bisect_left(spans, end, key=lambda span: span[1])
    return spans[n] if n < len(spans) and spans[n][1] == end else None


def overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether [start, end) meets one of the spans (disjoint and in order)."""
    n = bisect.bisect_left(spans, (start, start))
    return (n > 0 and spans[n - 1][1] > start) or (n < len(spans) and spans[n][0] < end)


# a semicolon that opens the next numbered item or names a document ends a quote: ……举报；（2）意见第五点
NEXT_ITEM = re.compile(r"[；;]\s*(?:[（(]\d{1,3}[)）]|\d{1,3}[.、．]|[一二三四五六七八九十]{1,3}、|《)")
BULLETS = " \t\u3000·•-*●▪◆■□○"


def sentence_after(text: str, pos: int) -> tuple[int, int]:
    """The sentence that starts at `pos` (up to 。！？, the end of the line, or a semicolon that opens
    the next numbered item), trimmed."""
    end = pos
    while end < len(text) and text[end] not in SENTENCE_END and not NEXT_ITEM.match(text, end):
        end += 1
    return trimmed(text, pos, end)


def line_after(text: str, pos: int) -> tuple[int, int] | None:
    """For a reference alone on its line (· 《规定》第五条), the next line without its bullet."""
    line_end = text.find("\n", pos)
    if line_end < 0 or text[pos:line_end].strip(" \t\u3000：:"):
        return None
    start = line_end + 1
    while start < len(text) and text[start] in BULLETS:
        start += 1
    end = text.find("\n", start)
    return trimmed(text, start, len(text) if end < 0 else end)


def cell_after(text: str, pos: int) -> tuple[int, int] | None:
    """For a reference in a table cell (第十条<TAB>党员不得……<TAB>红线), the next cell."""
    if not text.startswith("\t", pos):
        return None
    end = pos + 1
    while end < len(text) and text[end] not in "\t\n":
        end += 1
    return trimmed(text, pos + 1, end)


def sentence_before(text: str, pos: int) -> tuple[int, int]:
    """The sentence that ends just before `pos` (its 。 and any spaces skipped), trimmed, without
    the numbering a list puts in front of it."""
    end = pos
    while end > 0 and text[end - 1] in TRAILING:
        end -= 1
    start = end
    while start > 0 and text[start - 1] not in SENTENCE_END:
        start -= 1
    marker = LIST_MARKER.match(text, start)
    if marker and marker.end() <= end:
        start = marker.end()
    return trimmed(text, start, end)


def sentences_following(text: str, end: int) -> list[tuple[int, int]]:
    """The further sentences on the same line after `end`: an unmarked quote may run on."""
    found: list[tuple[int, int]] = []
    pos = end
    while True:
        while pos < len(text) and text[pos] != "\n" and text[pos] in BETWEEN:
            pos += 1
        if pos >= len(text) or text[pos] == "\n":
            return found
        span = sentence_after(text, pos)
        if span[1] <= span[0]:
            return found
        found.append(span)
        pos = span[1]


def sentences_preceding(text: str, start: int) -> list[tuple[int, int]]:
    """The further sentences on the same line before `start`, nearest first."""
    found: list[tuple[int, int]] = []
    pos = start
    while True:
        span = sentence_before(text, pos)
        if span[1] <= span[0] or span[0] >= pos or "\n" in text[span[1] : pos]:
            return found
        found.append(span)
        pos = span[0]


def trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in TRAILING:
        start += 1
    while end > start and text[end - 1] in TRAILING:
        end -= 1
    return start, end
