"""Quiz items: our own frozen records, and their JSON form (the `quiz --json` contract)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from regstudy.quotes import comparable

SINGLE, MULTIPLE, JUDGE, BLANK = "single", "multiple", "judge", "blank"
TYPES = (SINGLE, MULTIPLE, JUDGE, BLANK)
TYPE_NAMES = {SINGLE: "单选题", MULTIPLE: "多选题", JUDGE: "判断题", BLANK: "填空题"}
BLANK_MARK = "____"
LETTERS = "ABCDEFGH"

Answer = str | bool | tuple[str, ...]


@dataclass(frozen=True)
class Source:
    """Where an item comes from: the article and the verbatim span it rests on."""

    document: str
    article: str  # the label: 第十三条
    quote: str
    unit_id: str
    doc_id: str

    @property
    def citation(self) -> str:
        return f"《{self.document}》{self.article}"

    def to_json(self) -> dict[str, str]:
        return {"document": self.document, "article": self.article, "quote": self.quote, "id": self.unit_id}


@dataclass(frozen=True)
class QuizItem:
    """One question. `answer`: a letter (single), letters (multiple), True/False (judge), the removed
    span(s) (blank)."""

    type: str
    stem: str
    answer: Answer
    source: Source
    explanation: str
    options: tuple[str, ...] = ()
    origin: str = "rule"  # "rule" (mined from the text) or "llm" (written by the LLM, then checked)

    @property
    def key(self) -> str:
        """Two items with the same key are duplicates (the same stem as 单选 and as 多选 included)."""
        return comparable(self.stem)

    @property
    def statement(self) -> str:
        """A 判断 item's statement without its 根据《…》， lead."""
        return self.stem.split("，", 1)[1] if self.stem.startswith("根据《") else self.stem

    def correct_options(self) -> list[str]:
        letters = self.answers()
        return [self.options[LETTERS.index(letter)] for letter in letters]

    def answer_text(self) -> str:
        """The answer as a person reads it: B. …, A、C, 正确, or the missing words."""
        if self.type == SINGLE:
            return f"{self.answer}. {self.correct_options()[0]}"
        if self.type == MULTIPLE:
            return "、".join(self.answers())
        if self.type == JUDGE:
            return "正确" if self.answer else "错误"
        return "；".join(self.blanks())

    def blanks(self) -> list[str]:
        return self.answers()

    def answers(self) -> list[str]:
        """The letters of a choice item, or the words of a blank item, as a list."""
        if isinstance(self.answer, bool):
            raise TypeError("a 判断 item's answer is true or false")
        return [self.answer] if isinstance(self.answer, str) else list(self.answer)

    def to_json(self) -> dict[str, Any]:
        answer: Any = list(self.answer) if isinstance(self.answer, tuple) else self.answer
        return {
            "type": self.type,
            "stem": self.stem,
            "options": list(self.options),
            "answer": answer,
            "source": self.source.to_json(),
            "explanation": self.explanation,
            "origin": self.origin,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> QuizItem:
        source = data["source"]
        answer = data["answer"]
        return cls(
            type=data["type"],
            stem=data["stem"],
            answer=tuple(answer) if isinstance(answer, list) else answer,
            source=Source(
                source["document"], source["article"], source["quote"], source["id"], source["id"].split("/")[0]
            ),
            explanation=data["explanation"],
            options=tuple(data.get("options", ())),
            origin=data.get("origin", "rule"),
        )


def _doc_id(unit_id: str) -> str:
    return unit_id.split("/", 1)[0]


def lettered(options: list[str], correct: set[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Options in the order given and the letters of the correct ones."""
    letters = tuple(LETTERS[i] for i, option in enumerate(options) if option in correct)
    return tuple(options), letters
