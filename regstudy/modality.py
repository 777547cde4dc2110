"""The modal structure of a regulation's text: its clauses, each with the subject it binds, the modal
word that governs it (不得, 应当, 鼓励, 自觉抵制…), the stance that word takes, and the conditions
that narrow it (以职务身份, 利用职务便利, 擅自…). Regulations are written in this small, regular
language, so a clause's stance can be read off its words and checked, with no model.

Clauses are verbatim spans: a sentence (。；) is cut before each comma-piece that opens with a
modal word, and a piece without one continues the clause before it (自觉抵制……不良网络文化，炒作
绯闻丑闻……等不良网络现象 is one clause); in a list introduced by a colon (不准参与以下网络传播行为：
A；B；C) every item is governed by the head's modal and subject."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

PROHIBITED, DISCOURAGED, REQUIRED, ENCOURAGED = "prohibited", "discouraged", "required", "encouraged"
CONDITIONAL, NO_STANCE = "conditional", "none"
STANCES = (PROHIBITED, DISCOURAGED, REQUIRED, ENCOURAGED, CONDITIONAL, NO_STANCE)

# (modal word, stance), longest first where one contains another
MODALS = (
    ("不得不", ""),  # a double negation: no modal of its own
    ("不得", PROHIBITED),
    ("不准", PROHIBITED),
    ("严禁", PROHIBITED),
    ("禁止", PROHIBITED),
    ("不允许", PROHIBITED),
    ("不许", PROHIBITED),
    ("自觉抵制", DISCOURAGED),
    ("坚决抵制", DISCOURAGED),
    ("抵制", DISCOURAGED),
    ("杜绝", DISCOURAGED),
    ("鼓励", ENCOURAGED),
    ("激励", ENCOURAGED),
    ("支持", ENCOURAGED),
    ("提倡", ENCOURAGED),
    ("倡导", ENCOURAGED),
    ("应当", REQUIRED),
    ("必须", REQUIRED),
    ("要", REQUIRED),
)
MODAL = re.compile(
    "|".join(re.escape(word) if word != "要" else r"(?<![重主需只紧纪])要(?![求素点件闻])" for word, _ in MODALS)
)
STANCE_OF = dict(MODALS)
OPENING = 6  # a comma-piece whose modal comes within its first characters opens a new clause
# who a clause binds, longest first (党员干部 before 党员)
SUBJECTS = ("各级党员领导干部", "党员领导干部", "各级党组织", "党员干部", "党支部", "党组织", "党员")
ORGANISATIONS = ("各级党组织", "党支部", "党组织")
CADRES = ("各级党员领导干部", "党员领导干部", "党员干部")
# an organisation told to reward, protect or encourage members encourages what it rewards
REWARDS = ("激励", "鼓励", "支持", "表彰", "保护", "肯定", "表扬")
# qualifiers that narrow a ban or a duty to some cases
CONDITIONS = (
    "以职务身份",
    "利用职务便利",
    "违反有关规定",
    "擅自",
    "非法定信道",
    "沉迷",
    "不法",
    "不正当利益",
)


EXCEPTION = re.compile(r"除[^，。；：]{1,24}?(?:以)?外")  # 除法律另有规定外: the rule does not hold there


@dataclass(frozen=True)
class Clause:
    """A verbatim span of a text governed by one modal word."""

    start: int
    text: str
    subject: str  # who it binds ("" when the text names no one)
    modal: str  # "" when no modal word governs it
    stance: str
    conditions: tuple[str, ...]
    head: str = ""  # for a list item: the list's head up to its colon (党员干部不准参与以下网络传播行为：)

    @property
    def end(self) -> int:
        return self.start + len(self.text)

    @property
    def binds_organisation(self) -> bool:
        return self.subject in ORGANISATIONS


def clauses(text: str) -> list[Clause]:
    """The text's clauses in order. A sentence without a subject inherits the one before it, and
    one without a modal word too continues the duty before it (必须……。严格遵守……)."""
    found: list[Clause] = []
    subject, covered = "", 0
    for start, sentence in _spans(text, "。；\n"):
        if start < covered:  # an item of a colon list already taken
            continue
        head, items = _colon_list(text, start, sentence)
        if head is not None:
            subject = _subject(head.text) or subject
            found += [_clause(s, item, subject, head) for s, item in items]
            covered = items[-1][0] + len(items[-1][1]) if items else start + len(sentence)
            continue
        own_subject = _subject(sentence)
        subject = own_subject or subject
        runs = [_clause(s, piece, subject) for s, piece in _modal_runs(start, sentence)]
        if found and not own_subject and not any(c.modal for c in runs) and found[-1].modal:
            runs = [_clause(c.start, c.text, subject, inherit=found[-1]) for c in runs]
        found += runs
    return found


@lru_cache(maxsize=65536)
def binds_only_cadres(text: str) -> bool:
    """Whether every rule of the text binds 党员干部 (or 领导干部) alone, not every member."""
    if "干部" not in text:
        return False
    bound = [c.subject for c in clauses(text) if c.modal]
    return bool(bound) and all(s in CADRES for s in bound)


def stance_for_member(clause: Clause) -> str:
    """The clause's stance as it bears on a member's own conduct: 党支部应当激励党员…… encourages what
    it rewards; an organisation's other duties stay duties."""
    if clause.binds_organisation and any(word in clause.text for word in REWARDS):
        return ENCOURAGED
    return clause.stance


def _spans(text: str, marks: str) -> list[tuple[int, str]]:
    """Pieces of `text` ending at one of `marks` (kept), with their offsets; blank pieces dropped."""
    found, start = [], 0
    for match in re.finditer(f"[{marks}]", text):
        found.append((start, text[start : match.end()]))
        start = match.end()
    found.append((start, text[start:]))
    return [(s, piece) for s, piece in found if piece.strip(marks + " ")]


def _colon_list(text: str, start: int, sentence: str) -> tuple[Clause | None, list[tuple[int, str]]]:
    """A sentence that opens a list with a colon (head：item；item…): its head and items."""
    colon = sentence.find("：")
    if colon < 0 or not MODAL.search(sentence[:colon]):
        return None, []
    head_text = sentence[: colon + 1]
    rest_start = start + colon + 1
    end = text.find("。", rest_start)
    rest = text[rest_start : end + 1 if end >= 0 else len(text)]
    items = [(rest_start + s, piece) for s, piece in _spans(rest, "；。")]
    return _clause(start, head_text, _subject(head_text)), items


def _modal_runs(start: int, sentence: str) -> list[tuple[int, str]]:
    """The sentence cut before each comma-piece that opens with a modal word."""
    runs: list[tuple[int, str]] = []
    for offset, piece in _spans(sentence, "，"):
        match = MODAL.search(piece)
        opens = match is not None and match.start() <= OPENING + len(_subject(piece))
        if runs and not (opens and MODAL.search(runs[-1][1])):
            runs[-1] = (runs[-1][0], runs[-1][1] + piece)
        else:
            runs.append((start + offset, piece))
    return runs


def _clause(start: int, text: str, subject: str, head: Clause | None = None, inherit: Clause | None = None) -> Clause:
    own = MODAL.search(text) if head is None and inherit is None else None
    governing = head or inherit
    modal = own.group(0) if own else (governing.modal if governing else "")
    modal = modal if STANCE_OF.get(modal) else ""  # 不得不 is matched only so that it is not read as 不得
    if not subject and own:  # 鼓励党员……: the member is who the clause is about
        subject = _subject(text[own.end() :])
    scope = (head.text if head else "") + text
    conditions = tuple(c for c in CONDITIONS if c in scope) + tuple(EXCEPTION.findall(scope))
    return Clause(
        start, text, subject, modal, STANCE_OF.get(modal, "") or NO_STANCE, conditions, head.text if head else ""
    )


def _subject(text: str) -> str:
    stripped = re.sub(r"^[一二三四五六七八九十]+、", "", text.strip())
    return next((s for s in SUBJECTS if stripped.startswith(s)), "")
