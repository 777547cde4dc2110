"""The reader: our own cross-encoder, shipped as int8 ONNX in models/reader, loaded for real and
scoring real articles against questions; its window of an article; its hash check."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from regstudy.answering.reader import ONNX_FILE, OnnxReader, passage, verify, window
from regstudy.errors import ModelUnavailableError
from regstudy.kb.knowledge_base import KnowledgeBase
from regstudy.settings import REPO_ROOT

READER = REPO_ROOT / "models" / "reader"


@pytest.fixture(scope="module")
def reader() -> OnnxReader:
    return OnnxReader(READER)


@pytest.mark.parametrize(
    ("question", "answer", "other"),
    [
        ("看到网上有人传播违法信息，党员应该怎么做", "guiding/a20", "guiding/a16"),
        ("党员能用梯子上外网吗", "guiding/a13", "guiding/a20"),
        ("党员干部可以以职务身份直播卖货吗", "guiding/a18", "guiding/a7"),
    ],
)
def test_the_article_that_answers_scores_above_one_that_does_not(
    reader: OnnxReader, corpus_kb: KnowledgeBase, question: str, answer: str, other: str
) -> None:
    units = [corpus_kb.by_id[answer], corpus_kb.by_id[other]]
    right, wrong = reader.scores(question, [passage(u, question) for u in units])
    assert right > wrong


def test_a_score_does_not_depend_on_the_other_articles_read(reader: OnnxReader, corpus_kb: KnowledgeBase) -> None:
    question = "党员可以在网上参加宗教活动吗"
    texts = [passage(corpus_kb.by_id[i], question) for i in ("guiding/a12", "guiding/a9", "yijian/a3")]
    together = reader.scores(question, texts)
    alone = np.array([reader.scores(question, [t])[0] for t in texts])
    assert np.allclose(together, alone)


def test_the_window_keeps_the_sentences_about_the_question_in_order() -> None:
    text = "第一句讲学习。第二句讲直播打赏不可取。第三句讲网络游戏。第四句讲保密纪律要遵守。"
    assert window(text, "直播打赏", budget=100) == text  # fits: whole
    cut = window(text, "保密纪律和直播打赏", budget=24)
    assert cut == "第二句讲直播打赏不可取。…第四句讲保密纪律要遵守。"


def test_a_tampered_model_fails_its_hash_check(tmp_path: Path) -> None:
    verify(READER)
    copy = tmp_path / "reader"
    shutil.copytree(READER, copy)
    with (copy / ONNX_FILE).open("r+b") as handle:
        handle.seek(1000)
        byte = handle.read(1)
        handle.seek(1000)
        handle.write(bytes([byte[0] ^ 0xFF]))
    with pytest.raises(ModelUnavailableError):
        verify(copy)
