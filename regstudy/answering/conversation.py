"""Multi-turn context: which document and articles a follow-up question (`那第十四条呢？`,
`这条对普通党员也适用吗？`) refers to, taken from the previous answers."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from regstudy.answering.answers import Answer
from regstudy.kb.lexical import tokenize
from regstudy.records import Unit

_THIS_ARTICLE = r"这条|该条|此条|本条|这一条|上一条|上条|那条|这几条|它"
ANAPHORA = re.compile(rf"{_THIS_ARTICLE}|这些|上述|前面|刚才|这个规定|这项")
CONTINUATION = re.compile(r"^(那|那么|还有|另外|同样|再问)")
SHORT = 3  # a question with this few content words leans on the previous one


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
    """Whether the question only makes sense with the previous one (anaphora, 那…呢, very short)."""
    return bool(ANAPHORA.search(question) or CONTINUATION.match(question) or len(tokenize(question)) < SHORT)


def names_article(question: str) -> bool:
    return bool(re.search(_THIS_ARTICLE, question))
