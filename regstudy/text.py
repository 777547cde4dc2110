"""Shared Chinese-text helpers, one of each: numerals (第十三条 = 第13条 = 第１３条), the article-number
pattern, full-width tables, query normalisation, sentence splitting."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

import cn2an

#: A Chinese or Arabic (half- or full-width) number in 第N条, 第N章…
NUM = r"[零〇一二两三四五六七八九十百千0-9０-９]+"
#: 第N条 or 第N条之M, anywhere in a text.
ARTICLE_MENTION = re.compile(rf"第\s*{NUM}\s*条(?:\s*之\s*{NUM})?")
CHINESE_DIGITS = "零〇一二两三四五六七八九十百千"

#: Full-width Latin letters and digits → ASCII.
FULLWIDTH_ALNUM = str.maketrans(
    {chr(c): chr(c - 0xFEE0) for c in [*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B)]}
)
#: Half-width punctuation that belongs in Chinese prose → its full-width form.
HALF_TO_FULL_PUNCT = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}
ZERO_WIDTH = str.maketrans("", "", "\u200b\u200c\u200d\u2060\ufeff")
# Queries: full-width letters/digits and the ideographic space become ASCII. Chinese punctuation
# stays: it carries meaning (《》 marks a title) and the texts use it.
_QUERY_WIDTH: dict[int, str | int | None] = {**FULLWIDTH_ALNUM, 0x3000: 0x20}
_SPACE = re.compile(r"\s+")

SENTENCE_END = "。；！？"
SENTENCE = re.compile(r"[^。；！？\n]+[。；！？]?")


@lru_cache(maxsize=4096)  # the same few numbers recur; cn2an validates each call at length
def parse_number(text: str) -> int:
    """Parse `13`, `１３`, `十三`, `一百零五`, `两百` as an int; ValueError if it is none of them."""
    text = text.strip().translate(FULLWIDTH_ALNUM)
    if text.isdigit():
        return int(text)
    if not text or any(ch not in CHINESE_DIGITS for ch in text):
        raise ValueError(f"not a number: {text!r}")
    return int(cn2an.cn2an(text.replace("〇", "零"), "normal"))


def to_chinese(number: int) -> str:
    """13 → 十三, 126 → 一百二十六 (the form used in article labels)."""
    return str(cn2an.an2cn(number))


def point_label(number: int) -> str:
    """第四点: a numbered point (四、) is labelled as documents numbered so call it, not 第四条."""
    return f"第{to_chinese(number)}点"


def article_label(number: int, sub: int = 0) -> str:
    """第十三条, or 第一百二十条之一 for an inserted article."""
    label = f"第{to_chinese(number)}条"
    return f"{label}之{to_chinese(sub)}" if sub else label


@lru_cache(maxsize=1)
def _t2s() -> Any:
    from opencc import OpenCC

    return OpenCC("t2s")


def normalize(text: str) -> str:
    """The form every query is searched in: NFC, simplified characters, ASCII letters and digits,
    single spaces."""
    text = unicodedata.normalize("NFC", text).translate(ZERO_WIDTH).translate(_QUERY_WIDTH)
    text = _t2s().convert(text)
    return _SPACE.sub(" ", text).strip()


def sentences(text: str) -> list[str]:
    """The sentences (and semicolon clauses) of a text, each a verbatim substring of it."""
    return [s for s in SENTENCE.findall(text) if s.strip()]
