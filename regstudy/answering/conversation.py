"""Multi-turn context: which document and articles a follow-up question (`那第十四条呢？`,
`这条对普通党员也适用吗？`) refers to, taken from the previous answers."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from regstudy.answering.answers import Answer, Citation
from regstudy.records import Unit

_THIS_ARTICLE = r"这条|该条|此条|本条|这一条|上一条|上条|那条|这几条|它"
# A question refers back when it points at the previous answer (这条, 它, 上述…), continues it (那…呢,
# …也…吗), or leaves out its own subject (违反了会怎样？向谁举报？). A question with its own topic —
# 党费怎么交？ after a question about VPNs — stands alone, however short.
ANAPHORA = re.compile(
    rf"{_THIS_ARTICLE}|这些|这个|这类|这种|这里|这是|上述|前面|刚才|上面|此事|其他|其余|对应|类似|他|她|他们"
)
CONTINUATION = re.compile(r"^(那|那么|那要是|那如果|还有|同样)|呢[?？!！。]*$")
ELLIPSIS = re.compile(
    r"^(如果|要是|假如|违反|违背|没有|不|向谁|找谁|跟谁|由谁|谁|该|应该|需要|需不需要|要不要|会不会|会|能不能|可不可以|在哪|何时|什么时候)"
)
ALSO = re.compile(r"也.{0,8}[吗么嘛]")
SHORT = 12  # characters: only a short question leans on the previous one without saying so


@dataclass(frozen=True)
class Focus:
    """What the conversation is currently about."""

    doc_ids: tuple[str, ...] = ()
    units: tuple[Unit, ...] = ()
    question: str = ""


def focus_of(history: Sequence[Answer]) -> Focus:
    """The most recent answer that cited something sets the focus."""
    for answer in reversed(history):
        if answer.citations:
            return Focus(answer.doc_ids, tuple(c.unit for c in answer.citations), answer.question)
    return Focus()


def refers_back(question: str) -> bool:
    """Whether the question only makes sense with the previous one."""
    if ANAPHORA.search(question) or CONTINUATION.search(question):
        return True
    compact = re.sub(r"[\s?？!！。，,]", "", question)
    return len(compact) <= SHORT and bool(ELLIPSIS.match(compact) or ALSO.search(compact))


def names_article(question: str) -> bool:
    return bool(re.search(_THIS_ARTICLE, question))


def recalled(question: str, units: Sequence[Unit]) -> Answer:
    """An earlier answer as a follow-up needs it (its question and the articles it cited), rebuilt
    from what the member's browser kept rather than asked again."""
    return Answer(question, "", refused=not units, citations=tuple(Citation(u, u.text) for u in units))
