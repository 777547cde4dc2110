"""A document's own title, from the lines before its first article, chapter or point: a line that
ends like a title (…条例, …办法（试行）), a title in 《》, or the regulation a notice issues
(印发《…》的通知). The last such line wins (a notice's own heading comes before the title of what it
issues); the file name is the caller's fallback."""

from __future__ import annotations

import re

from ingest.cleaning import clean_heading
from ingest.paragraphs import (
    CJK_SPACING,
    TITLE_END,
    TRAILING_NOTE,
    Paragraph,
    starts_body,
    title_goes_on,
)

BRACKETED = re.compile(r"^《([^《》]{2,80})》")
ISSUING = re.compile(r"(?:印发|转发|发布)《([^《》]{2,80})》的通知")
NOT_TITLE = re.compile(r"^(根据|为了|为|依据|按照)|[。；：:，,]|年.{0,3}月.{0,3}日|〔\d{4}〕|\[\d{4}\]|施行$")
MAX_TITLE = 80
SENTENCE_END = re.compile(r"[。！？]$")
ISSUER_END = re.compile(r"(委员会|委|厅|部|局|院|办公室|署|会|组)$")


def guess_title(paragraphs: list[Paragraph]) -> str | None:
    """The last title-like line before the body starts, or None. The body starts at the first article,
    chapter or point, or at the first sentence after a title (a preamble's headings are not titles)."""
    found: str | None = None
    previous = ""
    for paragraph in paragraphs:
        text = paragraph.text.strip()
        if starts_body(text):
            break
        if found and SENTENCE_END.search(text):
            break
        found = title_of_line(_rejoined(previous, text)) or title_of_line(text) or found
        previous = text
    return found


def _rejoined(previous: str, text: str) -> str:
    """A title wrapped before its last words (…基层组织工作 / 条例, 关于…新担当 / 新作为的意见): the
    fragment joined to the line before it; otherwise the line itself. An issuer's line (…办公厅,
    …组织部) is never the head of a title."""
    fragment = CJK_SPACING.sub("", text)
    head = CJK_SPACING.sub("", previous)
    if not head or NOT_TITLE.search(head) or ISSUER_END.search(head):
        return text
    if title_of_line(head):  # …中央八项规定 / 实施细则: joined only when the words carry the title on
        return previous + text if title_goes_on(head, fragment) else text
    wrapped = len(fragment) <= 4 or fragment.startswith("的")
    if wrapped or (len(fragment) <= 8 and (head.startswith("关于") or len(head) >= 14)):
        return previous + text
    return text


def title_of_line(line: str) -> str | None:
    """The title a line states, without 《》, keeping a trailing note such as （试行）; None for
    anything else (issuers, 文号, dates, recipients, sentences)."""
    text = CJK_SPACING.sub("", line.strip())
    if issued := ISSUING.search(text):
        return issued.group(1)
    if bracketed := BRACKETED.match(text):
        text = bracketed.group(1) + text[bracketed.end() :]
    core = TRAILING_NOTE.sub("", text)
    if not text or len(text) > MAX_TITLE or NOT_TITLE.search(core) or not TITLE_END.search(core):
        return None
    return clean_heading(text)
