"""Remove text-extraction artifacts without changing a single word.

Extracted PDFs and OCR leave stray spaces inside Chinese text (`为 了规范`), spaces between digits
and Chinese (`2017 年 5 月`), half-width punctuation inside Chinese prose (`”,坚持`), full-width
Latin letters and digits, and page markers (`- 2 -`). Wrapped lines are rejoined into paragraphs by
`paragraphs`; this module works on single lines.
"""

from __future__ import annotations

import re

from regstudy.text import FULLWIDTH_ALNUM, HALF_TO_FULL_PUNCT

CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# Chinese punctuation, brackets and full-width forms count as "Chinese" for spacing purposes.
CJK_PUNCT = r"\u3001-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65\u2018-\u201f\u2014\u2026\u00b7"
CJK_CLASS = f"[{CJK}{CJK_PUNCT}]"

PAGE_MARKER = re.compile(
    r"^\s*(?:[-—–－―‒一]{0,2}\s*\d{1,4}\s*[-—–－―‒一]{0,2}"
    r"|第\s*\d{1,4}\s*页(?:\s*[/，,]?\s*共\s*\d{1,4}\s*页)?"
    r"|\d{1,4}\s*/\s*\d{1,4})\s*$"
)
STRAY_HALF_PUNCT = re.compile(rf"(?<={CJK_CLASS})\s*([,;:?!()])|([,;:?!()])\s*(?={CJK_CLASS})")
SPACE_BETWEEN_CJK = re.compile(rf"(?<={CJK_CLASS})[ \t\u3000\u00a0]+(?={CJK_CLASS})")
SPACE_DIGIT_CJK = re.compile(rf"(?<=\d)[ \t\u3000\u00a0]+(?=[{CJK}])|(?<=[{CJK}])[ \t\u3000\u00a0]+(?=\d)")
WHITESPACE_RUN = re.compile(r"[ \t\u3000\u00a0]+")
PROSE_PUNCT = re.compile(r"[，、。；：《》“”（）！？,;]")


def is_page_marker(line: str) -> bool:
    return bool(PAGE_MARKER.match(line))


def is_prose(line: str) -> bool:
    """Running text (as opposed to header lines such as issuer names, 文号 or dates)."""
    return bool(PROSE_PUNCT.search(line)) or len(line.strip()) >= 24


def _full_width(match: re.Match[str]) -> str:
    return HALF_TO_FULL_PUNCT[match.group(1) or match.group(2)]


def clean_prose(text: str) -> str:
    """Clean one paragraph of running text: spacing and punctuation-width artifacts."""
    text = text.translate(FULLWIDTH_ALNUM)
    text = STRAY_HALF_PUNCT.sub(_full_width, text)
    text = SPACE_BETWEEN_CJK.sub("", text)
    text = SPACE_DIGIT_CJK.sub("", text)
    return WHITESPACE_RUN.sub(" ", text).strip()


def clean_heading(text: str) -> str:
    """Clean a header line, keeping the single spaces that separate its parts (第一章 总则)."""
    text = text.translate(FULLWIDTH_ALNUM)
    text = SPACE_DIGIT_CJK.sub("", text)
    return WHITESPACE_RUN.sub(" ", text).strip()


def clean_line(text: str) -> str:
    return clean_prose(text) if is_prose(text) else clean_heading(text)
