"""The corpus manifest (TOML): per document an id, full title, aliases, issuers, 文号 and dates.

Files that are not listed get an identity derived from the file itself, so any folder of
regulations (such as corpus-large) can be ingested without writing a manifest first.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from pathlib import Path
from typing import Any

from regstudy.errors import ManifestError
from regstudy.records import DocumentInfo


class Manifest:
    """Document metadata by source file name."""

    def __init__(self, documents: list[DocumentInfo]) -> None:
        self.by_source = {d.source: d for d in documents}

    @classmethod
    def load(cls, path: Path) -> Manifest:
        if not path.exists():
            return cls([])
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
            return cls([_document(entry) for entry in data.get("documents", [])])
        except (tomllib.TOMLDecodeError, KeyError, TypeError) as error:
            raise ManifestError(f"清单文件 {path} 格式有误：{error}") from error

    def lookup(self, path: Path) -> DocumentInfo | None:
        return self.by_source.get(path.name)


def _document(entry: dict[str, Any]) -> DocumentInfo:
    dates = [(d["date"], d.get("event", "")) for d in entry.get("dates", ())]
    return DocumentInfo.from_dict({**entry, "source": entry["file"], "dates": dates})


UNSAFE_ID_CHARS = re.compile(r"[\s/\\:#?%&*\"'<>|]+")
DATE_SUFFIX = re.compile(r"[(（]\d{4}-\d{2}-\d{2}[)）]$")


def derived_info(path: Path, title_hint: str | None) -> DocumentInfo:
    """Identity for a file the manifest does not list: title from the text, id from the name."""
    stem = path.stem
    title = (title_hint or DATE_SUFFIX.sub("", stem)).strip()
    return DocumentInfo(
        id=UNSAFE_ID_CHARS.sub("-", stem).strip("-") or _short_hash(path.name), title=title, source=path.name
    )


def _short_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:8]
