"""The one typed settings object: defaults overridden by REGSTUDY_* environment variables."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent

#: The pinned default embedding model, run from its int8 ONNX export (see model_fetch).
DEFAULT_EMBEDDING_MODEL = "bge-small-zh-v1.5"


class Settings(BaseSettings):
    """Where state lives and which models to use. Load once with `load_settings()`."""

    model_config = SettingsConfigDict(env_prefix="REGSTUDY_", frozen=True, extra="ignore")

    data_dir: Path = REPO_ROOT / "data"
    model_dir: Path = REPO_ROOT / "models"
    corpus_dir: Path = REPO_ROOT / "corpus"
    prompts_dir: Path = REPO_ROOT / "prompts"
    # "bge-small-zh-v1.5" (bundled ONNX), a Hugging Face id or a local sentence-transformers
    # folder, or "none" for lexical-only search.
    # Web app: the address to bind (loopback unless configured otherwise; anything else needs users),
    # the users file (roles and password hashes, outside the repository) and upload limits.
    server_name: str = "127.0.0.1"
    users_file: Path | None = None  # default: <data_dir>/users.json
    upload_max_mb: int = 20
    corpus_lock_wait_s: float = 60.0  # a publish waits this long for another admin's change to finish
    api_footer: bool = False  # Gradio's footer (API page, "built with Gradio"): hidden from members
    # A Chroma server for the vectors (empty host = the embedded store in the data dir).
    chroma_host: str = ""
    chroma_port: int = 8000
    embedding_model: str = DEFAULT_EMBEDDING_MODEL
    embedding_batch_size: int = 32
    embedding_threads: int = 0  # 0: let onnxruntime decide

    # Retrieval and answering. Ranking and the confidence tiers come from the fitted relevance model
    # (regstudy/resources/relevance_model.json, see benchmarks/fit_relevance.py), not from settings.
    reader: bool = True  # our own cross-encoder (models/reader) reads the first candidates against the question
    reader_dir: Path = REPO_ROOT / "models" / "reader"
    retrieval_candidates: int = 20  # per list (dense, BM25, thesaurus), before the model ranks the union
    max_citations: int = 3
    max_related: int = 3

    # Optional LLM: any OpenAI-compatible chat endpoint; empty base URL = extractive answers only.
    llm_base_url: str = ""
    llm_model: str = ""
    llm_api_key: str = "not-needed"
    llm_timeout: float = 30.0  # seconds for the whole answer, first token included
    llm_temperature: float = 0.2
    # Citation checker: a quote that is not verbatim "differs" from the article holding at least this
    # IDF-weighted share of its character pairs (else it is not found); the cited article is
    # preferred unless another one holds a share larger by more than the margin.
    citation_resemblance_min: float = 0.45
    citation_cited_margin: float = 0.1
    citation_similarity_min: float = 0.6  # and its characters must line up at least this well
    # Share of quiz items the LLM may write (each one checked like mined items); 0 = mined only.
    quiz_llm_share: float = 0.0

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "index"

    @property
    def users_path(self) -> Path:
        return self.users_file or self.data_dir / "users.json"

    @property
    def cache_dir(self) -> Path:
        return self.data_dir / "cache"

    @property
    def upload_max_bytes(self) -> int:
        return self.upload_max_mb * 1024 * 1024

    @property
    def manifest_path(self) -> Path:
        return self.corpus_dir / "manifest.toml"


def load_settings(**overrides: Any) -> Settings:
    """Build settings from defaults + environment; keyword overrides win (used by tests and CLIs)."""
    return Settings(**overrides)
