"""Specific errors raised in the core; the CLI and UI translate them once, at the edge.

Every message is Chinese and names what went wrong, so it can be shown to a user as is.
"""

from __future__ import annotations

from pathlib import Path


class RegStudyError(Exception):
    """Base class: `str(error)` is a user-facing Chinese message."""


class DocumentError(RegStudyError):
    """A source document could not be read; the message names the file."""

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"{self.path.name}：{reason}")


class EncryptedDocumentError(DocumentError):
    def __init__(self, path: Path | str) -> None:
        super().__init__(path, "文件已加密（需要密码），无法读取。请提供未加密的版本。")


class CorruptDocumentError(DocumentError):
    def __init__(self, path: Path | str, detail: str = "") -> None:
        hint = f"（{detail}）" if detail else ""
        super().__init__(path, f"文件已损坏或不完整{hint}，无法读取。")


class TooLargeDocumentError(DocumentError):
    def __init__(self, path: Path | str, detail: str) -> None:
        super().__init__(path, f"文件内容过多（{detail}），请拆分后再上传")


class EmptyDocumentError(DocumentError):
    def __init__(self, path: Path | str) -> None:
        super().__init__(path, "文件没有可识别的文字内容。")


class UnsupportedFormatError(DocumentError):
    def __init__(self, path: Path | str) -> None:
        super().__init__(path, "不支持的文件类型（支持 .txt、.md、.pdf、.docx）。")


class MissingFileError(DocumentError):
    def __init__(self, path: Path | str) -> None:
        super().__init__(path, "文件不存在或无法打开。")


class NoStructureError(DocumentError):
    def __init__(self, path: Path | str) -> None:
        super().__init__(path, "未识别出任何条文或段落。")


class CorpusBusyError(RegStudyError):
    def __init__(self) -> None:
        super().__init__("另一个入库或发布任务正在运行，请稍后再试。")


class ManifestError(RegStudyError):
    """The corpus manifest is malformed."""


class ModelUnavailableError(RegStudyError):
    """The embedding model files are missing or cannot be loaded."""


class ModelFetchError(RegStudyError):
    """The setup step could not fetch or verify the embedding model."""


class EmbeddingModelMismatchError(RegStudyError):
    """The index was built with another embedding model than the one configured."""

    def __init__(self, indexed: str, configured: str) -> None:
        super().__init__(
            f"索引使用的向量模型是「{indexed}」，当前配置的是「{configured}」。"
            "请重新运行 python -m ingest 重建索引，或改回原来的模型。"
        )


class IndexNotFoundError(RegStudyError):
    def __init__(self, where: Path) -> None:
        super().__init__(f"知识库索引不存在（{where}）。请先运行 python -m ingest 建立索引。")


class UnknownDocumentError(RegStudyError):
    def __init__(self, name: str, titles: list[str]) -> None:
        known = "、".join(f"《{t}》" for t in titles) or "（知识库为空）"
        super().__init__(f"知识库中没有「{name}」这份文件。现有文件：{known}")


class QuizScopeError(RegStudyError):
    """A quiz scope names no articles, an ambiguous article, or one that does not exist."""


class QuizRequestError(RegStudyError):
    """A quiz was asked for with an unknown type, a bad number, or an unknown paper code."""


class CheckRequestError(RegStudyError):
    """A citation check was asked for with no text, or with more text than it accepts."""


class VectorStoreUnavailableError(RegStudyError):
    """The Chroma server cannot be reached."""

    def __init__(self, host: str, port: int) -> None:
        super().__init__(f"向量库服务（Chroma，{host}:{port}）暂时无法连接，请稍后再试；服务恢复后无需重启本系统。")


class VectorStoreMissingError(RegStudyError):
    """The index in service has no collection in the configured vector store."""

    def __init__(self, name: str, host: str) -> None:
        where = f"Chroma 服务 {host}" if host else "本地向量库"
        super().__init__(f"{where}中没有当前索引的向量集合（{name}）。请重新入库：python -m ingest")
