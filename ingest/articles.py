"""Split a document's paragraphs into addressable units: articles, numbered points and sections.

Recognises 编/分编/章/节 headings (plain text or Markdown `#`), 第X条 articles (Chinese or Arabic
numerals, 之一 insertions) with their 款, the numbered points 一、二、… of documents that have no
articles (such as the 意见), and keeps every other part — title, preamble, forwarding notices,
distribution lines, signature and date blocks — as sections of its own, so nothing is dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.cleaning import SPACE_BETWEEN_CJK, clean_heading, clean_line, clean_prose, is_prose
from ingest.paragraphs import (
    ARTICLE_START,
    DISTRIBUTION_START,
    HEADING_START,
    POINT_START,
    Paragraph,
    ends_sentence,
)
from regstudy.records import ARTICLE, POINT, SECTION, DocumentInfo, Unit
from regstudy.text import article_label, parse_number, point_label

HEADING_RANK = (("分编", 2), ("编", 1), ("章", 3), ("节", 4))
DATE_LINE = re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日(?:印发|发布|施行)?$")
SECTION_LABELS = (  # (label, id slug, test on the section's cleaned paragraphs)
    ("转发通知", "forwarding-notice", lambda ps: any(re.search(r"转发.*通知$", p) for p in ps)),
    ("印发通知", "issuing-notice", lambda ps: any(re.search(r"印发.*通知$", p) for p in ps)),
    ("通知", "notice", lambda ps: any(re.search(r"通知$", p) for p in ps)),
    ("报送范围", "distribution", lambda ps: bool(DISTRIBUTION_START.match(ps[0]))),
    ("印发机关和日期", "imprint", lambda ps: any(re.search(r"^\d{4}年.*印发$", p) for p in ps)),
    ("题注", "history", lambda ps: bool(re.match(r"^\d{4}年\d{1,2}月", ps[0]))),
)


@dataclass
class _Open:
    """The unit being collected."""

    kind: str
    chapter_path: tuple[str, ...]
    number: int = 0
    sub: int = 0
    marker: str = ""
    label: str = ""
    paragraphs: list[str] = field(default_factory=list)
    last_raw: str = ""


def parse_units(paragraphs: list[Paragraph], info: DocumentInfo, ocr: bool = False) -> list[Unit]:
    """All units of one document, in document order."""
    return _Parser(info, ocr, _has_articles(paragraphs)).run(paragraphs)


def _has_articles(paragraphs: list[Paragraph]) -> bool:
    return any(p.level == 0 and ARTICLE_START.match(p.text) for p in paragraphs)


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


class _Parser:
    def __init__(self, info: DocumentInfo, ocr: bool, article_mode: bool) -> None:
        self.info, self.ocr, self.article_mode = info, ocr, article_mode
        self.chapter: list[tuple[int, str]] = []
        self.open: _Open | None = None
        self.closed: list[_Open] = []
        self.title_seen = False
        self.last_point = 0
        self.seen_article = False

    def run(self, paragraphs: list[Paragraph]) -> list[Unit]:
        for paragraph in paragraphs:
            self.feed(paragraph)
        self.close()
        return _Numberer(self.info, self.ocr).units(self.closed)

    @property
    def path(self) -> tuple[str, ...]:
        return tuple(text for _, text in self.chapter)

    def feed(self, p: Paragraph) -> None:
        text = p.text.strip()
        if p.level:
            return self.markdown_heading(p.level, text)
        if not self.title_seen and _squash(text) == _squash(self.info.title):
            return self.title(text)
        if HEADING_START.match(text) and len(text) <= 40 and not ends_sentence(text):
            return self.push_chapter(_keyword_rank(text), _heading(text))
        if self.article_mode and (match := ARTICLE_START.match(text)):
            return self.start_article(match, text)
        if not self.article_mode and (match := POINT_START.match(text)) and self.is_next_point(match):
            return self.start_point(match, text)
        self.body(text)

    def markdown_heading(self, level: int, text: str) -> None:
        if level == 1 and not self.title_seen:
            return self.title(text)
        self.push_chapter(level, _heading(text))
        if not HEADING_START.match(text):
            self.open = _Open(SECTION, self.path, label=clean_heading(text))

    def title(self, text: str) -> None:
        self.close()
        self.title_seen = True
        self.closed.append(_Open(SECTION, (), label="标题", paragraphs=[clean_heading(text)]))

    def push_chapter(self, rank: int, heading: str) -> None:
        self.close()
        self.chapter = [(r, t) for r, t in self.chapter if r < rank] + [(rank, heading)]

    def start_article(self, match: re.Match[str], text: str) -> None:
        self.close()
        number = parse_number(match.group(1) or match.group(3))
        sub = parse_number(match.group(2)) if match.group(2) else 0
        marker, body = clean_heading(match.group(0)), text[match.end() :]
        self.open = _Open(ARTICLE, self.path, number, sub, marker, article_label(number, sub))
        self.open.paragraphs.append(clean_prose(body))
        self.seen_article = True

    def is_next_point(self, match: re.Match[str]) -> bool:
        return parse_number(match.group(1)) == self.last_point + 1

    def start_point(self, match: re.Match[str], text: str) -> None:
        self.close()
        self.last_point = parse_number(match.group(1))
        self.open = _Open(POINT, self.path, self.last_point, 0, match.group(0), point_label(self.last_point))
        self.open.paragraphs.append(clean_prose(text[match.end() :]))
        self.seen_article = True

    def body(self, text: str) -> None:
        current = self.open
        if current and current.kind != SECTION and self.belongs_to_article(text):
            current.paragraphs.append(clean_prose(text))
            return
        if current is None or current.kind != SECTION or self.starts_section(current, text):
            self.close()
            self.open = current = _Open(SECTION, self.path)
        current.paragraphs.append(clean_line(text))
        current.last_raw = text

    @staticmethod
    def belongs_to_article(text: str) -> bool:
        """A 款 continues an article; header, signature, date and 报/送 lines do not."""
        return is_prose(text) and not DISTRIBUTION_START.match(text) and not DATE_LINE.match(_squash(text))

    @staticmethod
    def starts_section(current: _Open, text: str) -> bool:
        previous = current.last_raw
        if not previous:
            return False
        if DISTRIBUTION_START.match(text):
            return not DISTRIBUTION_START.match(previous)
        if DATE_LINE.match(_squash(previous)):
            return True  # a date closes a notice or an imprint block
        return not is_prose(text) and (is_prose(previous) or bool(DISTRIBUTION_START.match(previous)))

    def close(self) -> None:
        current, self.open = self.open, None
        if not current or not any(current.paragraphs):
            return
        if current.kind == SECTION and self.is_signature_of_previous(current):
            self.closed[-1].paragraphs.extend(current.paragraphs)
            return
        if current.kind == SECTION and not current.label:
            current.label = _section_label(current.paragraphs, self.seen_article)
        self.closed.append(current)

    def is_signature_of_previous(self, current: _Open) -> bool:
        """Issuer lines closed by a bare date sign the notice or preamble just before them."""
        previous = self.closed[-1] if self.closed else None
        return (
            previous is not None
            and previous.kind == SECTION
            and previous.label != "标题"
            and not current.label
            and bool(re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", _squash(current.paragraphs[-1])))
            and not any(is_prose(p) for p in current.paragraphs)
        )


NUMBERED_HEADING = re.compile(r"^(第\s*[^\s编章节]+?\s*(?:分编|编|章|节))\s*(.*)$")


def _heading(text: str) -> str:
    """`第一章　总则`, `第一章总则` (OCR) → `第一章 总则`; `管 辖` (letter-spaced) → `管辖`."""
    match = NUMBERED_HEADING.match(clean_heading(text))
    if not match:
        return clean_heading(text)
    name = SPACE_BETWEEN_CJK.sub("", match.group(2))
    return f"{_squash(match.group(1))} {name}".strip()


def _keyword_rank(heading: str) -> int:
    word = re.sub(r"^第\s*[^\s编章节]+?\s*", "", heading)
    return next((rank for key, rank in HEADING_RANK if word.startswith(key)), 3)


def _section_label(paragraphs: list[str], after_articles: bool) -> str:
    for label, _, test in SECTION_LABELS:
        if test(paragraphs):
            return label
    return "附" if after_articles else "序言"


SLUGS = {label: slug for label, slug, _ in SECTION_LABELS} | {"标题": "title", "序言": "preamble", "附": "appendix"}


class _Numberer:
    """Turns collected units into records with stable, human-readable, unique ids."""

    def __init__(self, info: DocumentInfo, ocr: bool) -> None:
        self.info, self.ocr = info, ocr
        self.taken: set[str] = set()
        self.suffix: dict[str, int] = {}  # the last ~N tried for each key: repeated numbers cost O(1) each

    def units(self, collected: list[_Open]) -> list[Unit]:
        return [self.unit(ordinal, item) for ordinal, item in enumerate(collected)]

    def unique(self, key: str) -> str:
        candidate, n = key, self.suffix.get(key, 1)
        while candidate in self.taken:
            n += 1
            candidate = f"{key}~{n}"
        self.suffix[key] = n
        self.taken.add(candidate)
        return candidate

    def unit(self, ordinal: int, item: _Open) -> Unit:
        if item.kind == SECTION:
            key = f"{self.info.id}/{SLUGS.get(item.label, 'part')}"
        else:
            key = f"{self.info.id}/a{item.number}" + (f"-{item.sub}" if item.sub else "")
        return Unit(
            id=self.unique(key),
            doc_id=self.info.id,
            document=self.info.title,
            kind=item.kind,
            article=item.number if item.kind != SECTION else 0,
            label=item.label,
            text="\n".join(p for p in item.paragraphs if p),
            chapter_path=item.chapter_path,
            marker=item.marker,
            ordinal=ordinal,
            source=self.info.source,
            ocr=self.ocr,
        )
