"""Ingest service: sync the index with a set of source files, safely and incrementally.

Unchanged files are neither re-parsed nor re-embedded (content hashes + an embedding cache); a
changed file replaces its units; a file no longer given loses its units. A file that fails to
read keeps the units it had, and the failure is reported. The new index is built as a fresh
generation and put in service with one atomic rename.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ingest.embedding_cache import EmbeddingCache
from ingest.locking import corpus_lock
from ingest.manifest import Manifest
from ingest.sources import ParsedDocument, SourceFile, discover, fingerprint, parse_source
from regstudy.errors import CorruptDocumentError, DocumentError
from regstudy.kb import generations
from regstudy.kb.editions import with_editions
from regstudy.kb.embeddings import configured_model_id, load_embeddings_or_none, model_id_of
from regstudy.kb.lexical import LexicalIndex, tokenize
from regstudy.kb.seams import EmbeddingModel
from regstudy.records import SECTION, DocumentInfo, Unit
from regstudy.settings import Settings

log = logging.getLogger(__name__)
PARALLEL_TOKENIZE_MIN = 5_000  # texts; below this, starting worker processes costs more than it saves
EMBED_CHUNK = 1024  # units embedded and stored together: memory holds one chunk's vectors, not the corpus
Progress = Callable[[str, int], Callable[[int], None]]  # (description, total) -> advance(n)


@dataclass
class IngestReport:
    documents: int = 0
    units: int = 0
    articles: int = 0
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    failed_files: list[str] = field(default_factory=list)  # names of the files behind `failures`
    embedded: int = 0
    reused: int = 0
    model_id: str = "none"
    seconds: float = 0.0
    up_to_date: bool = False
    generation: str = ""

    @property
    def ok(self) -> bool:
        return not self.failures


def embedding_text(unit: Unit) -> str:
    """What gets embedded and BM25-indexed: the unit with its document, chapter and label."""
    return " ".join(part for part in (f"《{unit.document}》", unit.chapter, unit.label, unit.text) if part)


def no_progress(_description: str, _total: int) -> Callable[[int], None]:
    return lambda _n: None


class Ingestor:
    def __init__(
        self, settings: Settings, progress: Progress = no_progress, embeddings: EmbeddingModel | None = None
    ) -> None:
        self.settings = settings
        self.progress = progress
        self.embeddings = embeddings  # None: the model the settings name, loaded only when something changed

    def run(self, paths: list[Path] | None = None) -> IngestReport:
        """Sync the index with the files (default: the corpus folder) under the corpus lock."""
        with corpus_lock(self.settings):
            return self.run_locked(paths)

    def run_locked(self, paths: list[Path] | None = None) -> IngestReport:
        """As run(), for a caller that already holds the corpus lock."""
        files = discover(paths or [self.settings.corpus_dir])
        report, folder = self.build(files, Manifest.load(self.settings.manifest_path))
        if folder is not None:
            self.put_in_service(folder)
        return report

    def build(
        self, files: list[Path], manifest: Manifest, read_from: dict[Path, Path] | None = None
    ) -> tuple[IngestReport, Path | None]:
        """Build (not serve) the generation for `files` as `manifest` describes them; `read_from` gives
        the staged copy to read for a file that is not in its place yet. None: already up to date."""
        started = time.perf_counter()
        sources = [fingerprint(path, manifest, (read_from or {}).get(path)) for path in files]
        previous = _Previous.load(self.settings.index_dir)
        model_id = self.embeddings.model_id if self.embeddings else configured_model_id(self.settings)
        if previous.matches(sources, model_id):
            report = IngestReport(
                documents=len(sources), units=len(previous.units), model_id=previous.model_id, up_to_date=True
            )
            return report, None
        embeddings = self.embeddings or load_embeddings_or_none(self.settings)
        report = IngestReport(model_id=model_id_of(embeddings))
        parsed = self._parse_all(sources, previous, report)
        folder = self._build(parsed, sources, embeddings, report)
        report.seconds = time.perf_counter() - started
        return report, folder

    def put_in_service(self, folder: Path) -> None:
        generations.publish(self.settings.index_dir, folder)
        if self.settings.chroma_host:  # a server keeps collections of generations gone from disk
            from regstudy.kb.vector_store import drop_stale

            drop_stale(self.settings, generations.names(self.settings.index_dir))

    def _parse_all(
        self, sources: list[SourceFile], previous: _Previous, report: IngestReport
    ) -> list[tuple[Path, ParsedDocument]]:
        parsed: list[tuple[Path, ParsedDocument]] = []
        advance = self.progress("解析文件", len(sources))
        for source in sources:
            name = source.path.name
            reused = previous.reuse(source)
            document = reused or self._parse_one(source, previous, report)
            if reused:
                report.unchanged.append(name)
            if document:
                parsed.append((source.path, document))
                report.warnings.extend(document.warnings)
            advance(1)
        report.removed = sorted(previous.sources_not_in(sources))
        return parsed

    def _parse_one(self, source: SourceFile, previous: _Previous, report: IngestReport) -> ParsedDocument | None:
        try:
            document = parse_source(source)
        except DocumentError as error:
            return self._failed(source, str(error), previous, report)
        except Exception as error:
            log.warning("无法解析 %s：%s: %s", source.path.name, type(error).__name__, error)
            return self._failed(source, str(CorruptDocumentError(source.path)), previous, report)
        (report.changed if previous.has(source.path) else report.added).append(source.path.name)
        return document

    def _failed(
        self, source: SourceFile, message: str, previous: _Previous, report: IngestReport
    ) -> ParsedDocument | None:
        kept = previous.units_of(source.path)
        report.failures.append(message + ("（保留了该文件上次入库的内容）" if kept else ""))
        report.failed_files.append(source.path.name)
        return ParsedDocument(kept[0], kept[1]) if kept else None

    def _build(
        self,
        parsed: list[tuple[Path, ParsedDocument]],
        sources: list[SourceFile],
        embeddings: EmbeddingModel | None,
        report: IngestReport,
    ) -> Path:
        documents, units = _unique_documents([p for _, p in parsed])
        folder = generations.new_generation(self.settings.index_dir)
        generations.write_units(folder, units)
        generations.write_documents(folder, with_editions(documents, units))
        texts = [embedding_text(u) for u in units]
        LexicalIndex.build([u.id for u in units], tokenize_all(texts)).save(folder / "bm25")
        if embeddings is not None:
            self._index_vectors(folder, units, texts, embeddings, report)
        report.documents, report.units = len(documents), len(units)
        report.articles = sum(1 for u in units if u.kind != SECTION)
        doc_of = {path: info.id for (path, _), info in zip(parsed, documents, strict=False)}
        state = {
            "model_id": report.model_id,
            "files": {str(s.path): {"key": s.key, "doc_id": doc_of.get(s.path)} for s in sources if s.path in doc_of},
        }
        generations.write_json(folder / generations.STATE_FILE, state)  # written last: marks it complete
        report.generation = folder.name
        return folder

    def _index_vectors(
        self, folder: Path, units: list[Unit], texts: list[str], embeddings: EmbeddingModel, report: IngestReport
    ) -> None:
        """Embed and store chunk by chunk: each chunk's vectors go to Chroma and to the memory-mapped
        vectors file, then are dropped, so memory does not grow with the corpus."""
        from regstudy.kb.vector_store import VectorStore

        cache = EmbeddingCache(self.settings.cache_dir / "embeddings.sqlite")
        advance = self.progress("计算向量", len(texts))
        store, rows, cached = None, None, 0
        try:
            for start in range(0, len(texts), EMBED_CHUNK):
                end = min(start + EMBED_CHUNK, len(texts))
                vectors, reused = cache.embed_chunk(report.model_id, texts[start:end], embeddings.embed_documents)
                if store is None or rows is None:
                    dimension = vectors.shape[1]
                    store = VectorStore.create(folder / "chroma", report.model_id, dimension, self.settings)
                    rows = generations.vector_file(folder, len(texts), dimension)
                store.add(units[start:end], vectors)
                rows.write(np.ascontiguousarray(vectors, dtype=np.float32).tobytes())
                cached += reused
                advance(end - start)
        finally:
            cache.close()
            if rows is not None:
                rows.close()
        report.embedded, report.reused = len(texts) - cached, cached


def tokenize_all(texts: list[str]) -> list[list[str]]:
    """BM25 tokens of every text: on every core for a large corpus (jieba is pure Python), each token
    interned, so ten million tokens are pointers to one string per word rather than ten million strings."""
    if len(texts) < PARALLEL_TOKENIZE_MIN or (os.cpu_count() or 1) < 2:
        return [[sys.intern(t) for t in tokenize(text)] for text in texts]
    with multiprocessing.get_context("fork").Pool(os.cpu_count()) as pool:
        return [[sys.intern(t) for t in tokens] for tokens in pool.imap(tokenize, texts, chunksize=256)]


def indexed_files(index_dir: Path) -> dict[str, str]:
    """The files of the generation in service and their content keys (read without the lock, so it
    leaves generations being built alone)."""
    folder = generations.current_generation(index_dir)
    state = generations.read_json(folder / generations.STATE_FILE) if folder else {"files": {}}
    return {path: entry["key"] for path, entry in state["files"].items()}


def _unique_documents(parsed: list[ParsedDocument]) -> tuple[list[DocumentInfo], list[Unit]]:
    """Documents in order with ids made unique (two files may derive the same id)."""
    from dataclasses import replace

    seen: set[str] = set()
    documents: list[DocumentInfo] = []
    units: list[Unit] = []
    for document in parsed:
        info, doc_units = document.info, document.units
        if info.id in seen:
            new_id = f"{info.id}-{len(seen)}"
            info = replace(info, id=new_id)
            doc_units = [replace(u, id=new_id + u.id[len(u.doc_id) :], doc_id=new_id) for u in doc_units]
        seen.add(info.id)
        documents.append(info)
        units.extend(doc_units)
    return documents, units


class _Previous:
    """The generation in service, as far as re-ingest needs it."""

    def __init__(
        self, files: dict[str, dict[str, str]], units: list[Unit], documents: list[DocumentInfo], model_id: str
    ) -> None:
        self.files, self.units, self.model_id = files, units, model_id
        self.documents = {d.id: d for d in documents}

    @classmethod
    def load(cls, index_dir: Path) -> _Previous:
        generations.drop_incomplete(index_dir)
        folder = generations.current_generation(index_dir)
        if folder is None:
            return cls({}, [], [], "none")
        state = generations.read_json(folder / generations.STATE_FILE)
        units, documents = generations.read_units(folder), generations.read_documents(folder)
        return cls(state["files"], units, documents, state["model_id"])

    def matches(self, sources: list[SourceFile], model_id: str) -> bool:
        given = {str(s.path): s.key for s in sources}
        return bool(self.files) and self.model_id == model_id and {p: f["key"] for p, f in self.files.items()} == given

    def has(self, path: Path) -> bool:
        return str(path) in self.files

    def sources_not_in(self, sources: list[SourceFile]) -> list[str]:
        given = {str(s.path) for s in sources}
        return [Path(p).name for p in self.files if p not in given]

    def units_of(self, path: Path) -> tuple[DocumentInfo, list[Unit]] | None:
        doc_id = self.files.get(str(path), {}).get("doc_id")
        info = self.documents.get(doc_id) if doc_id else None
        units = [u for u in self.units if u.doc_id == doc_id]
        return (info, units) if info and units else None

    def reuse(self, source: SourceFile) -> ParsedDocument | None:
        if self.files.get(str(source.path), {}).get("key") != source.key:
            return None
        kept = self.units_of(source.path)
        return ParsedDocument(kept[0], kept[1]) if kept else None
