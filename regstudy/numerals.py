"""Chinese and Arabic numerals in article references: 第十三条 = 第13条 = 第１３条."""

from __future__ import annotations

import cn2an

CHINESE_DIGITS = "零〇一二两三四五六七八九十百千"
FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def parse_number(text: str) -> int:
    """Parse `13`, `１３`, `十三`, `一百零五`, `两百` as an int; ValueError if it is none of them."""
    text = text.strip().translate(FULLWIDTH_DIGITS)
    if text.isdigit():
        return int(text)
    if not text or any(ch not in CHINESE_DIGITS for ch in text):
        raise ValueError(f"not a number: {text!r}")
    return int(cn2an.cn2an(text.replace("〇", "零"), "normal"))


def to_chinese(number: int) -> str:
    """13 → 十三, 126 → 一百二十六 (the form used in article labels)."""
    return cn2an.an2cn(number)


def article_label(number: int, sub: int = 0) -> str:
    """第十三条, or 第一百二十条之一 for an inserted article."""
    label = f"第{to_chinese(number)}条"
    return f"{label}之{to_chinese(sub)}" if sub else label
