"""The reader: our own cross-encoder (trained by `training/`, shipped as int8 ONNX in `models/reader/`)
reads the question against one article and scores whether that article answers it.

It reads a window, not the whole article: the document's title, then the article's sentences that
share most with the question, in their own order, up to `WINDOW_CHARS`. Training builds its pairs
with the same `passage()`, so the model sees at run time exactly what it learned from. Each pair runs
on its own (no padding): the int8 model quantizes activations per batch, so a score would otherwise
depend on which other articles shared its batch."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np

from regstudy.answering.retrieval import Hit
from regstudy.errors import ModelUnavailableError
from regstudy.records import Unit

WINDOW_CHARS = 120  # characters of an article the reader sees (its title comes on top)
MAX_TOKENS = 192  # question + window, in tokens (one per Chinese character)
MAX_QUESTION_TOKENS = 64
ONNX_FILE = "model_int8.onnx"
CARD_FILE = "model_card.json"
_SENTENCE_END = re.compile(r"(?<=[。；！？\n])")


class ArticleReader(Protocol):
    """Scores (question, passage) pairs: a logit, higher when the passage answers the question."""

    def scores(self, question: str, passages: list[str]) -> np.ndarray: ...


def reading_for(reader: ArticleReader | None, question: str) -> Callable[[list[Hit]], list[Hit]] | None:
    """The reader's pass over some candidates of this question: each gets its logit (`Hit.reading`)."""
    if reader is None:
        return None

    def read(hits: list[Hit]) -> list[Hit]:
        logits = reader.scores(question, [passage(h.unit, question) for h in hits])
        return [h.reading(float(x)) for h, x in zip(hits, logits, strict=True)]

    return read


def passage(unit: Unit, question: str, budget: int = WINDOW_CHARS) -> str:
    """What the reader reads of a unit: 《title》 then the window of its text around the question."""
    return f"《{unit.document}》{window(unit.text, question, budget)}"


def window(text: str, question: str, budget: int = WINDOW_CHARS) -> str:
    """The sentences of `text` that share most character pairs with `question`, in text order, up
    to `budget` characters; the whole text when it fits. Gaps are marked with …"""
    text = text.strip()
    if len(text) <= budget:
        return text
    sentences = [s for s in _SENTENCE_END.split(text) if s.strip()]
    asked = _pairs(question)
    ranked = sorted(range(len(sentences)), key=lambda i: (-len(_pairs(sentences[i]) & asked), i))
    chosen: list[int] = []
    used = 0
    for i in ranked:
        if used + len(sentences[i]) > budget and chosen:
            continue
        chosen.append(i)
        used += len(sentences[i])
    parts, previous = [], -1
    for i in sorted(chosen):
        if previous >= 0 and i != previous + 1:
            parts.append("…")
        parts.append(sentences[i].strip())
        previous = i
    return "".join(parts)[: budget + 1]


def _pairs(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)}


@dataclass(frozen=True)
class ReaderCard:
    """What the shipped model says of itself (`model_card.json`): the file's sha256 (`verify`, run by
    make setup, checks it) and the window it was trained on."""

    sha256: str
    max_tokens: int = MAX_TOKENS
    window_chars: int = WINDOW_CHARS


class OnnxReader:
    """The shipped int8 cross-encoder, run by onnxruntime (torch stays off the answer path)."""

    def __init__(self, folder: Path, threads: int = 0) -> None:
        import onnxruntime
        from tokenizers import Tokenizer

        onnx_file = folder / ONNX_FILE
        if not onnx_file.exists():
            raise ModelUnavailableError(f"阅读模型文件不存在：{onnx_file}。")
        self.card = load_card(folder)
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self.session = onnxruntime.InferenceSession(str(onnx_file), options, providers=["CPUExecutionProvider"])
        self.inputs = {i.name for i in self.session.get_inputs()}
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(self.card.max_tokens, strategy="only_second")

    def scores(self, question: str, passages: list[str]) -> np.ndarray:
        question = question[: MAX_QUESTION_TOKENS * 2]
        logits = [self._score(self.tokenizer.encode(question, p)) for p in passages]
        return np.array(logits, dtype=np.float32)

    def _score(self, encoding: object) -> float:
        feed = {
            "input_ids": np.array([encoding.ids], dtype=np.int64),  # type: ignore[attr-defined]
            "attention_mask": np.array([encoding.attention_mask], dtype=np.int64),  # type: ignore[attr-defined]
            "token_type_ids": np.array([encoding.type_ids], dtype=np.int64),  # type: ignore[attr-defined]
        }
        return float(self.session.run(None, {k: v for k, v in feed.items() if k in self.inputs})[0].reshape(-1)[0])


def load_card(folder: Path) -> ReaderCard:
    data = json.loads((folder / CARD_FILE).read_text(encoding="utf-8"))
    shipped = data["files"][ONNX_FILE]
    return ReaderCard(shipped, data.get("max_tokens", MAX_TOKENS), data.get("window_chars", WINDOW_CHARS))


def verify(folder: Path) -> None:
    """The shipped ONNX file is the one its card names (make setup checks this)."""
    expected = load_card(folder).sha256
    digest = hashlib.sha256((folder / ONNX_FILE).read_bytes()).hexdigest()
    if digest != expected:
        raise ModelUnavailableError(
            f"阅读模型文件校验失败：{folder / ONNX_FILE}（sha256 {digest[:12]}… ≠ {expected[:12]}…）。"
        )


def held_for_decisions(question: str) -> bool:
    """Whether a training question is kept from the reader's training to fit the decisions that
    weigh its score (relevance.py): they must learn how far to trust the reader on questions it
    never saw, not on ones it learned by heart. A stable 40 % of every training set, by its text."""
    digest = hashlib.sha256(question.strip().encode("utf-8")).digest()
    return digest[0] % 10 >= 6
