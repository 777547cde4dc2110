"""Article references in free text: 第九条、第十条 · 第11至13条 · 第十一、十二条 · 意见“五、” · 意见（六）,
each run read as one group of (article, sub-article) numbers. Linear in the text's length."""

from __future__ import annotations

import re
from dataclasses import dataclass

from regstudy.study.citations.spans import inside
from regstudy.text import NUM, parse_number

ARTICLE = re.compile(rf"第\s*({NUM})\s*(?:条|点)(?:\s*之\s*({NUM}))?")
# 第十一、十二条 · 第11-13条 (one 第…条 around several numbers)
COMPACT = re.compile(rf"第\s*({NUM})\s*([、和及至到\-－—~～])\s*({NUM})\s*(?:条|点)")
# 意见“五、”: a point named by the document's own marker, right after the document's name
POINT_MARK = re.compile(rf"[“「]\s*({NUM})\s*、\s*[”」]()")
POINT_PAREN = re.compile(r"[（(]\s*([一二三四五六七八九十]{1,3})\s*[）)]()")  # 意见（六）
JOINER = re.compile(r"\s*(?:、|，|,|和|及|与|以及|至|到|-|－|—|~|～)\s*")
RANGE_WORDS = "至到-－—~～"
MAX_RANGE = 50  # 第1至50条 names fifty articles; a wider range is read as its two ends


@dataclass(frozen=True)
class Group:
    start: int
    end: int
    articles: tuple[tuple[int, int], ...]
    marker: bool = False  # named by a quoted point marker (“五、”), which needs a document before it


def article_groups(text: str, quotes: list[tuple[int, int]]) -> list[Group]:
    """Runs of article references outside quotes: 第九条、第十条 · 第11至13条 · 第十一、十二条."""
    groups: list[Group] = []
    pos, references = 0, _References(text, quotes)
    while match := references.next(pos):
        articles, end = list(_numbers(match)), match.end()
        while (joiner := JOINER.match(text, end)) and (follow := _reference_at(text, joiner.end())):
            more = _numbers(follow)
            ranged = any(ch in joiner.group(0) for ch in RANGE_WORDS) and articles and more
            if ranged and articles[-1][0] < more[0][0] <= articles[-1][0] + MAX_RANGE:
                more = tuple((n, 0) for n in range(articles[-1][0] + 1, more[0][0] + 1)) + more[1:]
            articles.extend(more)
            end = follow.end()
        groups.append(Group(match.start(), end, tuple(articles), match.re in (POINT_MARK, POINT_PAREN)))
        pos = end
    return groups


class _References:
    """The next article reference at or after a position. Each pattern's next match is kept until the
    position passes it, so a text is scanned about once per pattern (searching every pattern afresh
    from every position made reference-like text quadratic)."""

    PATTERNS = (COMPACT, ARTICLE, POINT_MARK, POINT_PAREN)

    def __init__(self, text: str, quotes: list[tuple[int, int]]) -> None:
        self.text, self.quotes = text, quotes
        self.ahead: dict[re.Pattern, re.Match | None] = {}

    def next(self, pos: int) -> re.Match | None:
        while True:
            candidates = [m for m in (self._ahead(pattern, pos) for pattern in self.PATTERNS) if m]
            if not candidates:
                return None
            match = min(candidates, key=lambda m: (m.start(), -len(m.group(0))))
            if not inside(match.start(), self.quotes) and _numbers(match):
                return match
            pos = match.end()

    def _ahead(self, pattern: re.Pattern, pos: int) -> re.Match | None:
        if pattern in self.ahead:
            kept = self.ahead[pattern]
            if kept is None or kept.start() >= pos:
                return kept
        found = self.ahead[pattern] = pattern.search(self.text, pos)
        return found


def _reference_at(text: str, pos: int) -> re.Match | None:
    return COMPACT.match(text, pos) or ARTICLE.match(text, pos)


def _numbers(match: re.Match) -> tuple[tuple[int, int], ...]:
    try:
        if match.re is COMPACT:
            first, last = parse_number(match.group(1)), parse_number(match.group(3))
            if match.group(2) in RANGE_WORDS and first < last <= first + MAX_RANGE:
                return tuple((n, 0) for n in range(first, last + 1))
            return ((first, 0), (last, 0))
        return ((parse_number(match.group(1)), parse_number(match.group(2)) if match.group(2) else 0),)
    except ValueError:
        return ()
