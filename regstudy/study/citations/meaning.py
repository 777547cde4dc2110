"""Whether a misquote changes what the article means, read off the character diff: a modal word
swapped (不得 → 可以), a negation added or dropped, the subject narrowed or widened (党员 ↔ 党员干部),
a number or date changed, a list item added or removed. A change that touches none of these (a
synonym, 的 dropped, 、 → ，, a typo) is a change of wording only.

Each change of the diff is read with a few characters of context on both sides, so a word cut by the
diff (党员|干部) is still seen whole; only words that overlap the changed stretch count. This is its own
small lexicon, independent of the answering side's reading of stances."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from regstudy.study.citations.diffing import Segment
from regstudy.text import parse_number

MODALITY, NEGATION, SUBJECT, NUMBER, LIST = "modality", "negation", "subject", "number", "list"
KINDS = (MODALITY, NEGATION, SUBJECT, NUMBER, LIST)
KIND_NAMES = {MODALITY: "情态", NEGATION: "否定", SUBJECT: "主体", NUMBER: "数字", LIST: "列举"}
CONTEXT = 6  # characters of unchanged text read on each side of a change

# Longest first where one contains another; spellings of one word share a canonical form.
MODAL_WORDS = (
    "不得不", "不可以", "不应当", "不应该", "不允许", "不得", "不准", "不许", "不能", "不可", "不应", "不要",
    "不宜", "不必", "无须", "无需", "严禁", "禁止", "必须", "务必", "应当", "应该", "可以", "允许", "鼓励",
    "提倡", "倡导", "支持", "有权", "要求",
)  # fmt: skip
SAME_MODAL = {"应该": "应当", "不许": "不准", "不应该": "不应当", "无需": "无须"}
# 要 as a modal (党员干部要严守), not inside 重要, 主要, 需要, 要点…
MODAL = re.compile("|".join(MODAL_WORDS) + r"|(?<![重主需只紧纪摘概提简必])要(?![素点件闻害紧])")
# Characters that negate, and the words in which they do not (不断, 未来, 无论…).
NEGATORS = re.compile(r"[不没未无非勿莫否别]")
NOT_NEGATION = (
    "不断", "不仅", "不少", "不同", "不管", "不论", "无论", "非常", "未来", "别人", "别的", "特别",
    "区别", "分别", "识别", "级别", "类别", "个别", "不久", "不过", "不但", "不光", "不然", "否则", "是否",
    "能否", "无产", "毫无疑问", "无一例外", "无私", "莫大", "不正之风",
)  # fmt: skip
SUBJECTS = (
    "各级党员领导干部", "党员领导干部", "领导干部", "党员干部", "全体党员", "预备党员", "各级党组织",
    "基层党组织", "党组织", "党总支", "党支部", "党小组", "党委", "党组", "纪检监察机关", "组织部门",
    "宣传部门", "网信部门", "公职人员", "国家工作人员", "党员", "干部", "群众", "网民", "公民",
)  # fmt: skip
SUBJECT_TERMS = re.compile("|".join(SUBJECTS))
NUMBERS = re.compile(
    r"\d+(?:\.\d+)?|[０-９]+|第[〇零一二两三四五六七八九十百千]+|"
    r"[〇零一二两三四五六七八九十百千万]+(?=[年月日个次项条款点名人天周岁倍万亿%％]|小时|分钟)"
)
LIST_JOINER = re.compile(r"^[、，]?(?:、|，|和|及|以及|或者|或)\w|\w[、，]$")


@dataclass(frozen=True)
class MeaningChange:
    """One change of meaning: its kind, and the stretch as the article and as the quote word it."""

    kind: str
    article: str
    quote: str

    @property
    def name(self) -> str:
        return KIND_NAMES[self.kind]

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "article": self.article, "quote": self.quote}


@dataclass(frozen=True)
class _Change:
    article: str  # the changed stretch with context, as the article has it
    quote: str  # and as the quote has it
    spans: tuple[tuple[int, int], tuple[int, int]]  # the changed part inside each window
    deleted: str
    inserted: str


def meaning_changes(segments: tuple[Segment, ...], boundaries: frozenset[int] = frozenset()) -> list[MeaningChange]:
    """The changes of meaning in a diff of article against quote. A stretch of article left out at
    one of the quote's …… (its `boundaries`, offsets into the joined quote) is an omission, not a change."""
    found: list[MeaningChange] = []
    for change in _changes(segments, boundaries):
        for kind in _kinds(change):
            if not any(m.kind == kind and m.article == change.article for m in found):
                found.append(MeaningChange(kind, change.article, change.quote))
    return found


def omission_changes(gaps: list[tuple[str, str]]) -> list[MeaningChange]:
    """Text left out at a …… (each gap with the quote's words before it) that carries the modal word
    or a negation of a clause the quote has none for: 党员……传播谣言 says something else."""
    found = []
    for before, text in gaps:
        clause = re.split(r"[。；;！？]", before)[-1]
        if re.search(r"[。；;！？]", text) or _modals(clause, (0, len(clause))):
            continue
        if _modals(text, (0, len(text))):
            found.append(MeaningChange(MODALITY, text, "……"))
        elif _negations(text, (0, len(text))) and not _negations(clause, (0, len(clause))):
            found.append(MeaningChange(NEGATION, text, "……"))
    return found


def _changes(segments: tuple[Segment, ...], boundaries: frozenset[int]) -> list[_Change]:
    """Each run of delete/insert segments with its context on both sides."""
    out, article, quote = [], "", ""
    pending: list[Segment] = []
    ops = [*segments, Segment("equal", "")]
    for seg in ops:
        if seg.op != "equal":
            pending.append(seg)
            continue
        if pending:
            deleted = "".join(s.text for s in pending if s.op == "delete")
            inserted = "".join(s.text for s in pending if s.op == "insert")
            omitted = not inserted and len(quote) in boundaries
            if not omitted:
                out.append(_with_context(article, quote, deleted, inserted, seg.text))
            article, quote = article + deleted, quote + inserted
            pending = []
        article, quote = article + seg.text, quote + seg.text
    return out


def _with_context(article: str, quote: str, deleted: str, inserted: str, after: str) -> _Change:
    before_a, before_q, tail = article[-CONTEXT:], quote[-CONTEXT:], after[:CONTEXT]
    a, q = len(before_a), len(before_q)
    spans = ((a, a + len(deleted)), (q, q + len(inserted)))
    return _Change(before_a + deleted + tail, before_q + inserted + tail, spans, deleted, inserted)


def _kinds(change: _Change) -> list[str]:
    (a_span, q_span), kinds = change.spans, []
    if _modals(change.article, a_span) != _modals(change.quote, q_span):
        kinds.append(MODALITY)
    dropped = {change.deleted, change.inserted} - {""}  # 不得 → 得: a lone negator dropped (or added)
    single = len(dropped) == 1 and not (change.deleted and change.inserted) and NEGATORS.fullmatch(dropped.pop())
    if single or _negations(change.article, a_span) != _negations(change.quote, q_span):
        kinds.append(NEGATION)
    if _terms(SUBJECT_TERMS, change.article, a_span) != _terms(SUBJECT_TERMS, change.quote, q_span):
        kinds.append(SUBJECT)
    if _numbers(change.article, a_span) != _numbers(change.quote, q_span):
        kinds.append(NUMBER)
    if _list_item(change):
        kinds.append(LIST)
    return kinds


def _overlaps(start: int, end: int, span: tuple[int, int]) -> bool:
    """A word touching the changed stretch counts on both sides alike: a word the change extends
    (党员 + 干部) is read whole, and one merely next to it is the same on both sides."""
    lo, hi = span
    return start <= hi and lo <= end


def _terms(pattern: re.Pattern[str], text: str, span: tuple[int, int]) -> list[str]:
    return [m.group(0) for m in pattern.finditer(text) if _overlaps(m.start(), m.end(), span)]


def _modals(text: str, span: tuple[int, int]) -> list[str]:
    return [SAME_MODAL.get(word, word) for word in _terms(MODAL, text, span)]


def _negations(text: str, span: tuple[int, int]) -> int:
    """Negating characters in the changed stretch, outside modal words and words like 不断."""
    masked = MODAL.sub(lambda m: "＿" * len(m.group(0)), text)
    for word in NOT_NEGATION:
        masked = masked.replace(word, "＿" * len(word))
    return sum(1 for m in NEGATORS.finditer(masked) if _overlaps(m.start(), m.end(), span))


def _numbers(text: str, span: tuple[int, int]) -> list[int | str]:
    return [_number_value(m) for m in _terms(NUMBERS, text, span)]


def _number_value(token: str) -> int | str:
    try:
        return parse_number(token.removeprefix("第"))
    except ValueError:
        return token


def _list_item(change: _Change) -> bool:
    """An item added to or dropped from an enumeration: the change takes words with it and the
    enumeration's 、 count changes (however the diff cut it: 大局意识、 or 意识、大局), which a
    punctuation swap (、 → ，) does not do with words."""
    words = [t for t in (change.deleted, change.inserted) if re.search(r"\w", t)]
    if len(words) != 1 or min(len(change.deleted), len(change.inserted)) > 1:
        return False
    if change.article.count("、") != change.quote.count("、"):
        return True
    enumerated = "、" in change.article or "、" in change.quote
    return enumerated and bool(LIST_JOINER.search(words[0]))
