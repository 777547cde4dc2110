"""The lists an article makes — the items of a ；-list or a 、-list, with the noun that names them
(等不良网络现象, 以下网络活动) — as quiz material: verbatim items with their offsets."""

from __future__ import annotations

import re

from regstudy.kb.lexical import words
from regstudy.records import Unit
from regstudy.study.quiz.material import (
    HEAD_MAX,
    ITEM_MAX,
    Enumeration,
    Piece,
    bare,
    pieces,
    polarity,
    sentences,
)


def enumerations(unit: Unit) -> list[Enumeration]:
    found = []
    for sentence in sentences(unit):
        found += _semicolon_list(unit, sentence)
        for clause in pieces(unit, "，；：", sentence):
            found += _comma_lists(unit, sentence, bare(clause))
    return found


def _semicolon_list(unit: Unit, sentence: Piece) -> list[Enumeration]:
    if "：" not in sentence.text or sentence.text.count("；") < 2:
        return []
    colon = sentence.text.index("：")
    lead = sentence.text[:colon]
    body = Piece(unit, sentence.start + colon + 1, sentence.text[colon + 1 :])
    items = tuple(_strip_etc(bare(p, "；。")) for p in pieces(unit, "；", body))
    head = lead.split("以下", 1)[1] if "以下" in lead else ""
    return [Enumeration(unit, items, None, head, lead, polarity(lead), True)]


def _strip_etc(piece: Piece) -> Piece:
    return Piece(piece.unit, piece.start, piece.text[:-1]) if piece.text.endswith("等") else piece


def _comma_lists(unit: Unit, sentence: Piece, clause: Piece) -> list[Enumeration]:
    """The 、-lists in one clause. Nested lists (制作、复制、传播文字、图片等信息内容) are cut where a
    chunk is much longer than the items around it; only the list that ends in 等 gets the head."""
    chunks = [bare(c, "、") for c in pieces(unit, "、", clause)]
    etc = next((i for i, c in enumerate(chunks) if i > 0 and "等" in c.text), None)
    head = ""
    if etc is not None:
        item, head = chunks[etc].text.split("等", 1)
        head = _head(unit.text[chunks[etc].start + len(item) + 1 : clause.end])
        chunks = [*chunks[:etc], Piece(unit, chunks[etc].start, item)]
    found = []
    segments = _segments(chunks, closed=etc is not None)
    for n, (first, inner, last) in enumerate(segments):
        certain = [c for c in [*inner, last] if c is not None]
        if len(certain) < 2 or max(map(len_, certain)) > 3 * min(map(len_, certain)):
            continue
        lead = unit.text[sentence.start : (first or certain[0]).start]
        named = head if n == len(segments) - 1 else ""
        found.append(Enumeration(unit, tuple(certain), first, named, lead, polarity(lead + named), False))
    return found


def _head(text: str) -> str:
    """What a 等-list names: 等不良网络现象 → 不良网络现象; 等信息内容及其相关活动 → 信息内容."""
    head = re.split(r"[，。；：]|及其|以及", text, maxsplit=1)[0]
    return head if len(head) <= HEAD_MAX else ""


def len_(piece: Piece) -> int:
    return len(piece.text)


def _segments(chunks: list[Piece], closed: bool) -> list[tuple[Piece | None, list[Piece], Piece | None]]:
    """(first item, inner items, last item) per list. A chunk far longer than the typical item joins
    two lists: its first word ends one, its last word starts the next. First items share their chunk
    with the words introducing the list and are trimmed; an open last item is kept only when short."""
    if len(chunks) < 2 or (len(chunks) < 3 and not closed):
        return []
    sized = chunks[1:] if closed else chunks[1:-1]
    typical = sorted(len_(c) for c in sized)[(len(sized) - 1) // 2] if sized else 0
    segments, current = [], [chunks[0]]
    for chunk in chunks[1:]:
        if chunk is not chunks[-1] and len_(chunk) > max(1.5 * typical, typical + 1):
            parts = words(chunk.text)
            current.append(Piece(chunk.unit, chunk.start, parts[0]))
            segments.append((current, False))
            current = [Piece(chunk.unit, chunk.end - len(parts[-1]), parts[-1])]
        else:
            current.append(chunk)
    segments.append((current, closed))
    return [_ends(items, ends_with_etc, typical) for items, ends_with_etc in segments if len(items) >= 2]


def _ends(items: list[Piece], closed: bool, typical: int) -> tuple[Piece | None, list[Piece], Piece | None]:
    inner = [c for c in items[1:-1] if c.text.isalnum() and len_(c) <= ITEM_MAX]
    if len(inner) != len(items) - 2:
        return None, [], None
    last = items[-1]
    keep_last = last.text.isalnum() and (closed or len_(last) <= max(typical, 2)) and len_(last) <= ITEM_MAX
    return _trim_first(items[0], typical), inner, last if keep_last else None


def _trim_first(chunk: Piece, typical: int) -> Piece | None:
    """The first item shares its chunk with the words that introduce the list (自觉抵制崇洋媚外):
    keep the chunk's last word when it alone is about as long as the other items."""
    last = words(chunk.text)[-1]
    if last.isalnum() and typical - 1 <= len(last) <= typical + 2:
        return Piece(chunk.unit, chunk.end - len(last), last)
    return None
