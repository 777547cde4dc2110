"""Composition of the answering service from settings: the index, the embedding model, the vector
store and (optionally) the LLM. Heavy imports happen here, on demand, never at import time."""

from __future__ import annotations

import logging

from regstudy.knowledge_base import KnowledgeBase
from regstudy.prompts import Prompts
from regstudy.retrieval import Retriever
from regstudy.settings import Settings

log = logging.getLogger(__name__)


def open_retriever(settings: Settings, kb: KnowledgeBase) -> Retriever:
    """Hybrid when the index has vectors and the model is available; lexical-only otherwise."""
    from regstudy.embeddings import load_embeddings_or_none
    from regstudy.vector_store import VectorStore

    if kb.model_id == "none":
        return Retriever(kb, None, None, settings)
    embeddings = load_embeddings_or_none(settings)
    if embeddings is None:
        return Retriever(kb, None, None, settings)
    store = VectorStore.open(kb.folder / "chroma", kb.model_id, settings)
    return Retriever(kb, embeddings, store, settings)


def open_explainer(settings: Settings, prompts: Prompts) -> object | None:
    if not settings.llm_base_url:
        return None
    from regstudy.llm import Explainer

    return Explainer(settings, prompts)


def open_quiz_writer(settings: Settings, prompts: Prompts) -> object | None:
    if not settings.llm_base_url or settings.quiz_llm_share <= 0:
        return None
    from regstudy.llm import QuizWriter

    return QuizWriter(settings, prompts)


def open_assistant_parts(settings: Settings) -> tuple[KnowledgeBase, Retriever, Prompts, object | None]:
    kb = KnowledgeBase.open(settings)
    prompts = Prompts(settings.prompts_dir)
    return kb, open_retriever(settings, kb), prompts, open_explainer(settings, prompts)
