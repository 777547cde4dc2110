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

import tomlkit
from tomlkit.items import AoT

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


def _parsed(path: Path) -> tomlkit.TOMLDocument:
    return tomlkit.parse(path.read_text(encoding="utf-8")) if path.exists() else tomlkit.document()


def remove_entry(path: Path, doc_id: str) -> str | None:
    """Drop a document's entry (with its numbers and dates); returns the file it named, if any. The
    other entries and the comments stay as written (tomlkit keeps the document's formatting)."""
    if not path.exists():
        return None
    document = _parsed(path)
    entries = document.get("documents", [])
    removed = [n for n, entry in enumerate(entries) if entry.get("id") == doc_id]
    file = entries[removed[-1]].get("file") if removed else None
    for n in reversed(removed):
        del entries[n]
    path.write_text(tomlkit.dumps(document), encoding="utf-8")
    return None if file is None else str(file)


def add_entry(path: Path, doc_id: str, file: str, title: str, aliases: list[str]) -> None:
    """Append an entry for a document an admin confirmed (replacing one with the same id)."""
    remove_entry(path, doc_id)
    document = _parsed(path)
    entry = tomlkit.table()
    entry.update({"id": doc_id, "file": file, "title": title, "aliases": aliases})
    if "documents" not in document:
        document.append("documents", tomlkit.aot())
    entries = document["documents"]
    assert isinstance(entries, AoT)  # [[documents]]: an array of tables
    entries.append(entry)
    path.write_text(tomlkit.dumps(document), encoding="utf-8")
    Manifest.load(path)  # it must still parse
