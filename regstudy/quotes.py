"""Verbatim checks for quoted text: is a span really in the article? Used to vet what an LLM
writes inside quotation marks (and, later, by the citation checker)."""

from __future__ import annotations

import re

from regstudy.text import HALF_TO_FULL_PUNCT

# Punctuation width and whitespace do not make a quote inexact; wording does.
# A quote nested in a quotation is written ‘…’ where the article has “…”.
_HALF_TO_FULL = str.maketrans({**HALF_TO_FULL_PUNCT, "‘": "“", "’": "”"})
_SPACE = re.compile(r"\s+")

QUOTE_PAIRS = {"“": "”", "「": "」", "『": "』", '"': '"'}
REMOVED = "〔此处引文与原文不符，已删除〕"


def comparable(text: str) -> str:
    """The form in which quotes are compared: no whitespace, full-width punctuation, no final 。"""
    return _SPACE.sub("", text).translate(_HALF_TO_FULL).rstrip("。")


def is_verbatim(span: str, sources: list[str]) -> bool:
    """Whether `span` is in one of the sources, up to whitespace and punctuation width."""
    needle = comparable(span)
    return bool(needle) and any(needle in comparable(source) for source in sources)


class QuoteGuard:
    """Filters streamed text: text inside quotation marks is held back until the quote closes,
    then passed through when it is verbatim in one of the sources, or replaced by a notice."""

    def __init__(self, sources: list[str]) -> None:
        self.sources = sources
        self.closing: str | None = None  # the mark that ends the open quote
        self.opening = ""
        self.held = ""
        self.removed: list[str] = []

    def feed(self, text: str) -> str:
        """The part of `text` that is safe to show now."""
        out = []
        for char in text:
            if self.closing is None:
                if char in QUOTE_PAIRS:
                    self.closing, self.opening, self.held = QUOTE_PAIRS[char], char, ""
                else:
                    out.append(char)
            elif char == self.closing:
                out.append(self._settle(self.held, char))
                self.closing = None
            else:
                self.held += char
        return "".join(out)

    def finish(self) -> str:
        """Whatever is still held (an unclosed quote), vetted the same way."""
        if self.closing is None:
            return ""
        self.closing = None
        return self._settle(self.held, "")

    def _settle(self, span: str, closing: str) -> str:
        if is_verbatim(span, self.sources):
            return f"{self.opening}{span}{closing}"
        self.removed.append(span)
        return REMOVED
