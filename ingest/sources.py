"""Source files: find them, fingerprint them, and turn one into a document with its units."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from ingest.articles import parse_units
from ingest.loaders import SUPPORTED_SUFFIXES, load
from ingest.manifest import Manifest, derived_info
from ingest.titles import guess_title
from regstudy.errors import NoStructureError
from regstudy.records import SECTION, DocumentInfo, Unit

#: Bump when parsing changes, so re-ingest re-parses files whose bytes did not change.
# 2: points labelled 第四点; 3: titles from 《》 and issuing notices; 4: title lines only before the body
PARSER_VERSION = "4"


@dataclass(frozen=True)
class SourceFile:
    path: Path
    sha256: str
    info: DocumentInfo | None  # the manifest entry, if any
    staged: Path | None = None  # where to read it while it is not in its place yet (a publish)

    @property
    def key(self) -> str:
        """Changes whenever the units of this file could change."""
        listed = repr(self.info) if self.info else ""
        return hashlib.sha256(f"{self.sha256}|{PARSER_VERSION}|{listed}".encode()).hexdigest()


@dataclass
class ParsedDocument:
    info: DocumentInfo
    units: list[Unit]
    ocr: bool = False
    warnings: list[str] = field(default_factory=list)


def discover(paths: list[Path]) -> list[Path]:
    """Files to ingest: named files as given; folders walked for supported files.

    In folders, names starting with `_` or `.` are skipped (index pages, hidden files).
    """
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(
                p
                for p in sorted(path.rglob("*"))
                if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES and not p.name.startswith(("_", "."))
            )
        else:
            found.append(path)
    return list(dict.fromkeys(p.resolve() for p in found))


def fingerprint(path: Path, manifest: Manifest, staged: Path | None = None) -> SourceFile:
    read = staged or path
    digest = hashlib.sha256(read.read_bytes()).hexdigest() if read.is_file() else ""
    return SourceFile(path, digest, manifest.lookup(path), staged)


def parse_source(source: SourceFile) -> ParsedDocument:
    """Read and split one file; raises a DocumentError naming the file if it cannot be read."""
    loaded = load(source.staged or source.path)
    info = source.info or derived_info(source.path, loaded.title_hint or guess_title(loaded.paragraphs))
    units = parse_units(loaded.paragraphs, info, loaded.ocr)
    if not units:
        raise NoStructureError(source.path)
    warnings = list(loaded.warnings)
    if all(u.kind == SECTION for u in units):
        warnings.append(f"{source.path.name}：未识别出条文（第X条）或编号要点（一、二、…），全文按段落入库。")
    return ParsedDocument(info, units, loaded.ocr, warnings)
