"""The one-line conclusion above the quotes: for a yes/no or duty question answered directly, the
stance of the clause that answers it (不可以 / 应当 / 鼓励…), for whom and on what condition, then
that clause verbatim with its citation. The stance is read from the clause's own modal word
(`regstudy.modality`), never guessed: when the question's behaviour matches no clause, or two clauses
of opposite stance match it equally, no conclusion is drawn."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import Any

from regstudy.answering import asking
from regstudy.answering.answers import Conclusion
from regstudy.kb.lexical import tokenize
from regstudy.kb.word_vectors import WordVectors
from regstudy.modality import (
    CADRES,
    CONDITIONAL,
    DISCOURAGED,
    ENCOURAGED,
    EXCEPTION,
    PROHIBITED,
    REQUIRED,
    Clause,
    clauses,
    stance_for_member,
)
from regstudy.prompts import Prompts
from regstudy.records import Unit

ORGANISATION_WORDS = re.compile(r"党支部|支部|党组织|组织上")
ITEM_CONDITIONS = ("沉迷", "不法")  # qualify an activity, not the manner of acting
TIE = 0.85  # a runner-up clause of another stance this close to the best makes the match ambiguous
SAME_RULE = 0.5  # a broader rule standing in for a cadres-only one fits the question at least half as well
PHRASED = (PROHIBITED, DISCOURAGED, REQUIRED, ENCOURAGED)  # the stances conclusion.j2 has a phrase for
AGREEING = {PROHIBITED: (PROHIBITED, DISCOURAGED), DISCOURAGED: (PROHIBITED, DISCOURAGED)}


class Concluder:
    """Draws conclusions; `idf` weighs the question's words, `vectors` lets 骂人 match 侮辱."""

    def __init__(self, prompts: Prompts, idf: Any, vectors: WordVectors | None) -> None:
        self.prompts = prompts
        self.idf = idf
        self.vectors = vectors

    def conclude(self, question: str, units: Sequence[Unit]) -> Conclusion | None:
        """From the first unit; but where its rule binds only 党员干部 and another of the units holds
        the same rule for every member (规定第十二条 beside 意见三), from that one: 限党员干部 would
        suggest that an ordinary member may."""
        asked = asking.read(question)
        if asked.kind not in (asking.YES_NO, asking.DUTY) or not units:
            return None
        if asked.what_to_do:  # from the first article that lays a duty matching the question
            found = (self._conclude_one(asked, u, require_match=n > 0)[0] for n, u in enumerate(units))
            return next((c for c in found if c is not None), None)
        first, fit = self._conclude_one(asked, units[0], require_match=False)
        if first is None or not first.subject or first.subject not in CADRES:
            return first
        key = self._key_term(question, re.split("……|：", first.clause)[-1])  # a list item without its head
        for unit in units[1:]:  # the same rule: same stance, the question's most telling word, a close fit
            broader, broader_fit = self._conclude_one(asked, unit, require_match=True)
            if broader is None or broader.subject in CADRES or broader.applies != first.applies:
                continue
            if key in tokenize(broader.clause) and broader_fit >= SAME_RULE * fit:
                return broader
        return first

    def _conclude_one(self, asked: asking.Asking, unit: Unit, require_match: bool) -> tuple[Conclusion | None, float]:
        """The unit's conclusion and how well its clause matches the question."""
        question = asked.question
        found = [c for c in clauses(unit.text) if c.modal]
        if asked.what_to_do:
            found = [c for c in found if stance_for_member(c) in (REQUIRED, ENCOURAGED)]
        clause, fit = self._answering_clause(question, found, require_match)
        if clause is None:
            return None, 0.0
        about_organisation = clause.binds_organisation and ORGANISATION_WORDS.search(question)
        stance = clause.stance if about_organisation else stance_for_member(clause)
        if stance not in PHRASED or (asked.omission and stance != REQUIRED):  # 可以不……吗 of a ban: no safe line
            return None, 0.0
        subject = clause.subject if clause.subject in CADRES and not asked.cadre else ""
        conditions = tuple(c for c in _governing(clause, question) if not asked.establishes(c))
        quoted = _quoted(unit.text, clause)
        text = self.prompts.render(
            "conclusion",
            stance=stance,
            omission=asked.omission,
            subject=subject,
            limits=[c for c in conditions if not EXCEPTION.fullmatch(c)],
            exceptions=[c for c in conditions if EXCEPTION.fullmatch(c)],
            citation=unit.citation,
            clause=quoted,
        ).strip()
        final = CONDITIONAL if subject or conditions else stance
        return Conclusion(final, text, subject or clause.subject, conditions, unit.id, quoted, stance), fit

    def _answering_clause(
        self, question: str, candidates: list[Clause], require_match: bool
    ) -> tuple[Clause | None, float]:
        """The clause whose words cover the question's best, with that cover; the only one when none
        matches (unless a match is required)."""
        if not candidates:
            return None, 0.0
        scored = sorted(((self._match(question, c), n) for n, c in enumerate(candidates)), reverse=True)
        best, first = scored[0]
        if best <= 0:
            return (candidates[0], best) if len(candidates) == 1 and not require_match else (None, 0.0)
        stance = candidates[first].stance
        for score, n in scored[1:]:
            other = candidates[n].stance
            if score >= TIE * best and other != stance and other not in AGREEING.get(stance, ()):
                return None, 0.0
        return candidates[first], best

    def _key_term(self, question: str, clause_text: str) -> str:
        """The question's rarest word that the clause contains ("" when none)."""
        inside = set(tokenize(clause_text))
        found = [w for w in tokenize(question) if w in inside]
        return max(found, key=self.idf, default="")

    def _match(self, question: str, clause: Clause) -> float:
        words = list(dict.fromkeys(tokenize(question)))
        inside = set(tokenize(clause.head + clause.text))
        if not words or not inside:
            return 0.0
        weights = [self.idf(w) for w in words]
        found = [1.0 if w in inside else 0.0 for w in words]
        if self.vectors is not None:
            near = self.vectors.closeness(self.vectors.rows(words), self.vectors.rows(sorted(inside)))
            found = [max(f, float(n)) for f, n in zip(found, near, strict=True)]
        return math.fsum(w * f for w, f in zip(weights, found, strict=True))


def _governing(clause: Clause, question: str) -> tuple[str, ...]:
    """The clause's conditions that bear on the question. A word that qualifies one listed activity
    (沉迷 in ……直播打赏、沉迷网络游戏等; 不法 in 组党结社，参与和动员不法串联) binds only that item when it
    sits in a later one; a manner of acting (擅自, 以职务身份…) governs the whole clause."""
    items = re.split("[、，]" if clause.head else "、", clause.text)
    asked = set(tokenize(question))
    kept = []
    for condition in clause.conditions:
        holder = next((n for n, item in enumerate(items) if condition in item), 0)
        of_item = condition in ITEM_CONDITIONS and holder
        if of_item and not _item_words(items, holder) & asked:
            continue
        kept.append(condition)
    return tuple(kept)


def _item_words(items: list[str], holder: int) -> set[str]:
    """The words of one listed activity that tell it from the others: up to 等 (沉迷网络游戏, not
    the list's closing 等不良网络现象), without words other items share (网络)."""
    own = set(tokenize(re.split("等", items[holder])[0]))
    others = {w for n, item in enumerate(items) if n != holder for w in tokenize(item)}
    return own - others


def _quoted(text: str, clause: Clause) -> str:
    """The clause as quoted: verbatim, a list item after its head (with …… when items are skipped),
    without the trailing comma or semicolon."""
    body = clause.text.strip().rstrip("，；。")
    if not clause.head:
        return body
    head_end = text.index(clause.head) + len(clause.head)
    return clause.head + body if clause.start == head_end else f"{clause.head}……{body}"


_NEGATIVE = re.compile(r"不可以|不能|不得|不允许|禁止|不准|严禁|不行|不应|不宜|不提倡")
_POSITIVE = re.compile(r"可以|能|应当|应该|必须|鼓励|允许|需要|要")


def reply_contradicts(reply: str, conclusion: Conclusion) -> bool:
    """Whether a written reply's first sentence takes the opposite side to the conclusion (an LLM
    that says 可以 where the clause says 不得): its text is then withheld."""
    first = re.split(r"[。！？\n]", reply.strip(), maxsplit=1)[0]
    said = "-" if _NEGATIVE.search(first) else "+" if _POSITIVE.search(first) else ""
    expected = "-" if conclusion.text.startswith("不") else "+"
    return bool(said) and said != expected
