"""The one typed settings object: defaults overridden by REGSTUDY_* environment variables."""

from __future__ import annotations

from pathlib import Path

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
    embedding_model: str = DEFAULT_EMBEDDING_MODEL
    embedding_batch_size: int = 32
    embedding_threads: int = 0  # 0: let onnxruntime decide

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "index"

    @property
    def cache_dir(self) -> Path:
        return self.data_dir / "cache"

    @property
    def manifest_path(self) -> Path:
        return self.corpus_dir / "manifest.toml"


def load_settings(**overrides: object) -> Settings:
    """Build settings from defaults + environment; keyword overrides win (used by tests and CLIs)."""
    return Settings(**overrides)
