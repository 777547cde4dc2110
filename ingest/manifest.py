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
from regstudy.kb import generations
from regstudy.records import DocumentInfo


class Manifest:
    """Document metadata by source file name."""

    def __init__(self, documents: list[DocumentInfo]) -> None:
        self.by_source = {d.source: d for d in documents}

    @classmethod
    def load(cls, path: Path) -> Manifest:
        if not path.exists():
            return cls([])
        return cls.from_text(path.read_text(encoding="utf-8"), path.name)

    @classmethod
    def from_text(cls, text: str, name: str = "manifest.toml") -> Manifest:
        try:
            data = tomllib.loads(text)
            return cls([_document(entry) for entry in data.get("documents", [])])
        except (tomllib.TOMLDecodeError, KeyError, TypeError, ValueError, AttributeError) as error:
            raise ManifestError(f"清单文件 {name} 格式有误：{error}") from error

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


def without_entry(text: str, doc_id: str) -> tuple[str, str | None]:
    """The manifest text without a document's entry (numbers and dates included), and the file that
    entry named. Other entries and the comments stay as written (tomlkit keeps the formatting)."""
    document = tomlkit.parse(text)
    entries = document.get("documents", [])
    removed = [n for n, entry in enumerate(entries) if entry.get("id") == doc_id]
    file = entries[removed[-1]].get("file") if removed else None
    for n in reversed(removed):
        del entries[n]
    return tomlkit.dumps(document), None if file is None else str(file)


def with_entry(text: str, doc_id: str, file: str, title: str, aliases: list[str]) -> str:
    """The manifest text with an entry for a document an admin confirmed (replacing one with that id)."""
    document = tomlkit.parse(without_entry(text, doc_id)[0])
    entry = tomlkit.table()
    entry.update({"id": doc_id, "file": file, "title": title, "aliases": aliases})
    if "documents" not in document:
        document.append("documents", tomlkit.aot())
    entries = document["documents"]
    assert isinstance(entries, AoT)  # [[documents]]: an array of tables
    entries.append(entry)
    return tomlkit.dumps(document)


def parses(text: str) -> bool:
    try:
        Manifest.from_text(text)
    except ManifestError:
        return False
    return True


def write_atomically(path: Path, text: str) -> None:
    """Replace the manifest in one step; text that would not parse is refused."""
    Manifest.from_text(text)
    generations.write_durably(path, text)
