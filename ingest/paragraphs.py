"""Rebuild logical paragraphs from extracted lines.

PDF and OCR text wraps every ~25 characters, breaks articles across pages and even across blank
lines (`认真学习《意` / `见》内容`). A line continues the previous one unless the previous one ended a
sentence, or this one opens a new structural element. Markdown and DOCX are not wrapped: there a
paragraph is a block (Markdown) or a paragraph (DOCX), and `#` headings carry their level.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.cleaning import is_page_marker, is_prose
from regstudy.text import NUM, ZERO_WIDTH

ARTICLE_START = re.compile(rf"^第\s*({NUM})\s*条(?:\s*之\s*({NUM}))?(?=[\s\u3000]|$)|^第\s*({NUM})\s*条")
# A heading is followed by a space, or (OCR drops the space) is a short line without punctuation.
HEADING_START = re.compile(rf"^第\s*{NUM}\s*(?:分编|编|章|节)(?:[\s\u3000]|$|(?=[^\s，。；、：]{{1,20}}$))")
POINT_START = re.compile(r"^([一二三四五六七八九十]{1,3})、")
ITEM_START = re.compile(rf"^[（(]{NUM}[)）]")
DISTRIBUTION_START = re.compile(r"^(?:报|送|抄送|抄报|主送|分送)[：:]")
TERMINAL = re.compile(r"[。！？；：!?;:…][”’」』）)]*$")
OPENERS, CLOSERS = "《〈（(“「『【〔", "》〉）)”」』】〕"
MD_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)
FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.S)


# Some sources run several articles into one line: `……同意。 第六十五条 航路……`.
RUN_ON_ARTICLE = re.compile(rf"(?<=[。；！？])[ \t\u3000]+(?=第\s*{NUM}\s*条(?:之{NUM})?[ \t\u3000])")


@dataclass(frozen=True)
class Paragraph:
    """A logical paragraph, whitespace still raw; `level` > 0 for a Markdown heading."""

    text: str
    level: int = 0


TITLE_END = re.compile(
    r"(规定|条例|办法|意见|决定|细则|规则|准则|规范|通知|法|纲要|方案|规划|决议|章程|解释|批复|制度|要点|标准)$"
)
BRACKETED_LINE = re.compile(r"^《[^《》]{2,80}》(?:[（(][^（）()]{1,20}[）)])?$")
TRAILING_NOTE = re.compile(r"[（(][^（）()]{1,20}[）)]$")  # （试行）（2019年修订）（征求意见稿）
# 中 国 共 产 党 (a spaced-out PDF title) → 中国共产党; the space between joint issuers stays (中共中央 国务院)
CJK_SPACING = re.compile(
    r"(?<=[\u4e00-\u9fff（）《》])(?<!中央)(?<!国务院)(?<!办公厅)(?<!委员会)(?<!军委)"
    r"[ \u3000]+(?=[\u4e00-\u9fff（）《》])"
)
# words that carry a title on past a title-like ending: …中央八项规定 / 实施细则, …规定 / 精神的实施办法
TITLE_GOES_ON = re.compile(r"^(的|之|和|及|与|精神|实施|执行|暂行|若干|补充)")
PROSE_PUNCT_IN_TITLE = re.compile(r"[。；：:，,！？]")


def ends_sentence(text: str) -> bool:
    return bool(TERMINAL.search(text.rstrip()))


class _Growing:
    """A paragraph being rebuilt line by line, with what deciding the next line needs kept up to date
    (its last characters, bracket depth, whether it is prose): deciding costs the same however long
    the paragraph already is, so joining is linear in the text."""

    TAIL = 32

    def __init__(self, line: str) -> None:
        self.parts: list[str] = []
        self.tail, self.depth, self.length, self.prose = "", 0, 0, False
        self._add(line.strip())

    @property
    def text(self) -> str:
        return "".join(self.parts)

    @property
    def ends_sentence(self) -> bool:
        return bool(TERMINAL.search(self.tail.rstrip()))

    def append(self, line: str) -> None:
        """Join a wrapped line: directly, or with a space between two Latin letters or digits."""
        right, last = line.strip(), self.tail[-1:]
        spaced = bool(
            last and right and last.isascii() and last.isalnum() and right[0].isascii() and right[0].isalnum()
        )
        self._add((" " if spaced else "") + right)

    def _add(self, piece: str) -> None:
        self.parts.append(piece)
        self.tail = (self.tail + piece)[-self.TAIL :]
        self.length += len(piece)
        self.prose = self.prose or is_prose(piece) or self.length >= 24
        for ch in piece:
            if ch in OPENERS:
                self.depth += 1
            elif ch in CLOSERS and self.depth:
                self.depth -= 1


def opens_element(line: str, previous: _Growing) -> bool:
    """Does `line` start a new article, heading, point or item rather than continue `previous`?"""
    line = line.lstrip()
    after_sentence = previous.ends_sentence or not previous.prose
    if ARTICLE_START.match(line):
        # `第十条的规定` wrapped onto a new line is a cross-reference, not an article.
        return after_sentence or bool(re.match(rf"^第\s*{NUM}\s*条[\s\u3000]", line))
    if HEADING_START.match(line) or DISTRIBUTION_START.match(line):
        return True
    return after_sentence and bool(POINT_START.match(line) or ITEM_START.match(line))


def starts_body(line: str) -> bool:
    """Does the line open the body of a document: its first article, chapter or numbered point?"""
    line = line.lstrip()
    return bool(ARTICLE_START.match(line) or HEADING_START.match(line) or POINT_START.match(line))


def stands_as_title(line: str) -> bool:
    """A short line that is a whole title by itself (《…》, …条例, …办法（试行）): nothing joins onto it."""
    line = CJK_SPACING.sub("", line.strip())
    return (
        len(line) <= 40
        and not PROSE_PUNCT_IN_TITLE.search(line)
        and not starts_body(line)
        and bool(BRACKETED_LINE.match(line) or TITLE_END.search(TRAILING_NOTE.sub("", line)))
    )


def title_goes_on(head: str, line: str) -> bool:
    """A title wrapped just after a title-like word: the next line carries on (实施细则, 精神的…)."""
    return bool(TITLE_GOES_ON.match(line.strip())) and stands_as_title(head.strip() + line.strip())


def continues(
    previous: _Growing, last_line: str, line: str, blank_between: bool, width: int, in_body: bool = False
) -> bool:
    """Does `line` continue the paragraph `previous`, whose last physical line was `last_line`? Before
    the body (the first article, chapter or point) a line that is a title by itself ends its paragraph;
    inside the body a wrapped line may end in 规定 or 办法 mid-sentence (违反本规定 / 的行为)."""
    if opens_element(line, previous) or previous.ends_sentence:
        return False
    if not in_body and len(previous.parts) == 1 and stands_as_title(last_line):
        return title_goes_on(last_line, line)
    if previous.depth > 0:  # an unclosed bracket: 《意 / 见》 wrapped
        return True
    if len(last_line.strip()) < min(16, 0.6 * width):
        return False  # a line well short of the page width ends its paragraph (titles, headers)
    if blank_between:
        return previous.prose and len(last_line.strip()) >= 20
    return previous.prose or len(last_line.strip()) >= 0.75 * width


def _normalise(text: str, paragraph_break: str = "\n") -> str:
    text = text.translate(ZERO_WIDTH).replace("\r\n", "\n").replace("\r", "\n")
    return RUN_ON_ARTICLE.sub(paragraph_break, text)


def from_wrapped_text(text: str) -> list[Paragraph]:
    """Paragraphs of plain text extracted from PDF, OCR or a .txt file."""
    lines = _normalise(text).split("\n")
    width = typical_width(lines)
    paragraphs: list[_Growing] = []
    last_line = ""
    blank = in_body = False
    for raw in lines:
        if is_page_marker(raw):
            continue
        if not raw.strip():
            blank = True
            continue
        if paragraphs and continues(paragraphs[-1], last_line, raw, blank, width, in_body):
            paragraphs[-1].append(raw)
        else:
            paragraphs.append(_Growing(raw))
            in_body = in_body or starts_body(raw)
        last_line, blank = raw, False
    return [Paragraph(p.text) for p in paragraphs]


def typical_width(lines: list[str]) -> int:
    """The wrap width of a page: the 80th percentile of the lengths of lines that look wrapped."""
    lengths = sorted(len(line.strip()) for line in lines if 0 < len(line.strip()) <= 60)
    return lengths[int(len(lengths) * 0.8)] if lengths else 0


def from_markdown(text: str) -> list[Paragraph]:
    """Paragraphs of a Markdown document: blank-line separated blocks and `#` headings."""
    text = FRONT_MATTER.sub("", _normalise(text, paragraph_break="\n\n"))
    text = HTML_COMMENT.sub("\n", text)
    paragraphs: list[Paragraph] = []
    for block in re.split(r"\n\s*\n", text):
        lines = [line for line in block.split("\n") if line.strip() and not is_page_marker(line)]
        paragraphs.extend(_markdown_block(lines))
    return paragraphs


def _markdown_block(lines: list[str]) -> list[Paragraph]:
    out: list[Paragraph] = []
    pending: list[str] = []
    for line in lines:
        heading = MD_HEADING.match(line.strip())
        if heading:
            if pending:
                out.append(Paragraph("".join(pending)))
                pending = []
            out.append(Paragraph(heading.group(2).strip(), level=len(heading.group(1))))
        else:
            pending.append(line.strip())
    if pending:
        out.append(Paragraph(_join_all(pending)))
    return out


def _join_all(lines: list[str]) -> str:
    paragraph = _Growing(lines[0])
    for line in lines[1:]:
        paragraph.append(line)
    return paragraph.text
