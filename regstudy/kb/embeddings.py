"""Local embedding models behind LangChain's `Embeddings` interface.

The default is bge-small-zh-v1.5 as an int8 ONNX export run with onnxruntime + tokenizers (CLS
pooling, L2 normalisation, no query instruction). Any sentence-transformers model (a Hugging Face
id or a local folder) can be configured instead. With no model at all, search is lexical only.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

import numpy as np
from langchain_core.embeddings import Embeddings

from regstudy.errors import ModelUnavailableError
from regstudy.kb import model_fetch
from regstudy.kb.seams import EmbeddingModel
from regstudy.settings import DEFAULT_EMBEDDING_MODEL, Settings

log = logging.getLogger(__name__)
MAX_TOKENS = 512
TOKENS_PER_BATCH = 2048  # padded tokens in one forward pass: bounds attention memory at ~35 MB
ONNX_MODEL_ID = f"{DEFAULT_EMBEDDING_MODEL}/onnx-int8"


def sentence_transformer_id(name_or_path: str) -> str:
    local = Path(name_or_path).expanduser()
    return f"sentence-transformers:{local.name if local.exists() else name_or_path}"


def configured_model_id(settings: Settings) -> str:
    """The id the configured model will have, without loading it ("none" if it cannot be had)."""
    name = settings.embedding_model
    if name.lower() == "none":
        return "none"
    if name == DEFAULT_EMBEDDING_MODEL:
        return ONNX_MODEL_ID if model_fetch.is_installed(settings.model_dir) else "none"
    return sentence_transformer_id(name)


class OnnxBgeEmbeddings(Embeddings):
    """bge-small-zh-v1.5 (int8 ONNX): ~2 ms a query on two CPU cores."""

    def __init__(self, folder: Path, batch_size: int = 32, threads: int = 0) -> None:
        import onnxruntime
        from tokenizers import Tokenizer

        onnx_file = folder / model_fetch.ONNX_FILE
        if not onnx_file.exists():
            raise ModelUnavailableError(
                f"向量模型文件不存在：{onnx_file}。请先运行 make setup（或 python -m regstudy fetch-model）。"
            )
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads
        options.enable_cpu_mem_arena = False  # the arena keeps the peak of the longest batch for good
        # Idle pool threads spin by default: under load that burnt as much CPU as the answers did.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self.session = onnxruntime.InferenceSession(str(onnx_file), options, providers=["CPUExecutionProvider"])
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.batch_size = batch_size
        self.model_id = ONNX_MODEL_ID

    def _encode(self, encodings: list[Any]) -> np.ndarray:
        width = max(len(e.ids) for e in encodings)
        for encoding in encodings:
            encoding.pad(width, pad_id=0, pad_token="[PAD]")
        feed = {
            "input_ids": np.array([e.ids for e in encodings], dtype=np.int64),
            "attention_mask": np.array([e.attention_mask for e in encodings], dtype=np.int64),
            "token_type_ids": np.array([e.type_ids for e in encodings], dtype=np.int64),
        }
        hidden = self.session.run(["last_hidden_state"], feed)[0]
        cls = hidden[:, 0, :]
        return cls / np.linalg.norm(cls, axis=1, keepdims=True).clip(min=1e-12)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        # Sorted by token count, batches hold similar lengths and little compute goes to padding;
        # a token budget per batch (not a text count) bounds attention memory for long articles.
        encodings = self.tokenizer.encode_batch(texts)
        lengths = [len(e.ids) for e in encodings]
        order = sorted(range(len(texts)), key=lambda i: lengths[i])
        vectors: list[Any] = [None] * len(texts)
        for batch in _token_budget_batches(order, lengths, self.batch_size, TOKENS_PER_BATCH):
            for index, vector in zip(batch, self._encode([encodings[i] for i in batch]), strict=True):
                vectors[index] = vector.tolist()
        return vectors

    def embed_query(self, text: str) -> list[float]:
        return self._encode([self.tokenizer.encode(text)])[0].tolist()


def _token_budget_batches(order: list[int], lengths: list[int], max_texts: int, budget: int) -> list[list[int]]:
    """Consecutive batches of `order` with at most `max_texts` texts and `budget` padded tokens."""
    batches: list[list[int]] = []
    current: list[int] = []
    for index in order:  # ascending length: the newest text is the longest of its batch
        padded = min(lengths[index], MAX_TOKENS) * (len(current) + 1)
        if current and (len(current) == max_texts or padded > budget):
            batches.append(current)
            current = []
        current.append(index)
    return [*batches, current] if current else batches


class SentenceTransformerEmbeddings(Embeddings):
    """Any sentence-transformers model, by Hugging Face id or local folder."""

    def __init__(self, name_or_path: str, batch_size: int = 32) -> None:
        from sentence_transformers import SentenceTransformer

        local = Path(name_or_path).expanduser()
        if local.exists():
            os.environ.setdefault("HF_HUB_OFFLINE", "1")  # a local folder must never reach for the hub
        try:
            self.model = SentenceTransformer(str(local) if local.exists() else name_or_path, device="cpu")
        except (OSError, ValueError) as error:
            raise ModelUnavailableError(f"无法加载向量模型「{name_or_path}」：{error}") from error
        self.batch_size = batch_size
        self.model_id = sentence_transformer_id(name_or_path)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        vectors = self.model.encode(texts, batch_size=self.batch_size, normalize_embeddings=True)
        return vectors.tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.model.encode([text], normalize_embeddings=True)[0].tolist()


def load_embeddings(settings: Settings) -> EmbeddingModel:
    """The configured model; raises ModelUnavailableError if it cannot be had."""
    name = settings.embedding_model
    if name == DEFAULT_EMBEDDING_MODEL:
        folder = model_fetch.model_path(settings.model_dir)
        return OnnxBgeEmbeddings(folder, settings.embedding_batch_size, settings.embedding_threads)
    return SentenceTransformerEmbeddings(name, settings.embedding_batch_size)


def load_embeddings_or_none(settings: Settings) -> EmbeddingModel | None:
    """The configured model, or None (lexical-only search) with a loud warning."""
    if settings.embedding_model.lower() == "none":
        return None
    try:
        return load_embeddings(settings)
    except ModelUnavailableError as error:
        log.warning("！！！向量模型不可用，将只使用关键词（BM25）检索：%s", error)
        return None


def model_id_of(embeddings: EmbeddingModel | None) -> str:
    return embeddings.model_id if embeddings is not None else "none"
