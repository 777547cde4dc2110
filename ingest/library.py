"""Knowledge-base management for admins: take an uploaded regulation (checked by size and by
content, not by name), show how it parses before it goes live, then publish it — file into the
corpus folder, manifest entry from what the admin confirmed — and re-ingest; delete likewise.
The index in service changes only when an ingest completes."""

from __future__ import annotations

import logging
import shutil
import time
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ingest import manifest
from ingest.corpus_changes import Change, commit, manifest_text, resume
from ingest.loaders import decode
from ingest.locking import corpus_lock
from ingest.manifest import UNSAFE_ID_CHARS, Manifest
from ingest.pipeline import Ingestor, IngestReport, Progress, indexed_files
from ingest.sources import discover, fingerprint, parse_source
from regstudy.errors import CorpusBusyError, CorruptDocumentError, RegStudyError, UnsupportedFormatError
from regstudy.records import SECTION, DocumentInfo, Unit
from regstudy.settings import Settings

log = logging.getLogger(__name__)


STAGING_MAX_AGE_S = 24 * 3600
MAX_ID, MAX_TITLE = 64, 200  # an id names a file: 64 characters stay under 255 bytes in UTF-8


class UploadError(RegStudyError):
    """An upload that is too big, of a type we do not read, or a publish request that is incomplete."""


@dataclass(frozen=True)
class Preview:
    token: str  # names the staged upload for publish()
    file_name: str
    doc_id: str
    title: str
    articles: int
    chapters: tuple[str, ...]
    warnings: tuple[str, ...]
    ocr: bool
    sample: tuple[Unit, ...]
    replaces: str | None  # title of the document with the same id or title already in the knowledge base
    aliases: tuple[str, ...]  # that document's short names, proposed again


def detected_suffix(path: Path) -> str:
    """The file type from its bytes: .pdf, .docx, or .txt for text in UTF-8/GB18030 (.md kept)."""
    head = path.read_bytes()[:4096]
    if head.lstrip().startswith(b"%PDF"):
        return ".pdf"
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            if "word/document.xml" in archive.namelist():
                return ".docx"
        raise UnsupportedFormatError(path)
    if b"\x00" in head:
        raise UnsupportedFormatError(path)
    try:
        decode(path)
    except CorruptDocumentError as error:  # neither UTF-8 nor GB18030: not a text we read
        raise UnsupportedFormatError(path) from error
    return ".md" if path.suffix.lower() == ".md" else ".txt"


class Library:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.staging = settings.data_dir / "staging"
        self.notices: list[str] = []  # what start-up recovered, shown in 管理
        self._recovered: str | None = None

    def preview(self, upload: Path) -> Preview:
        """Parse an upload in a staging folder; nothing in service changes. A document with the same
        id or title is the one it would replace: its id and short names are proposed."""
        size = upload.stat().st_size
        if size > self.settings.upload_max_bytes:
            raise UploadError(f"文件过大（{size / 1024 / 1024:.1f} MB），上限 {self.settings.upload_max_mb} MB。")
        suffix = detected_suffix(upload)
        self._drop_stale_previews()
        token = uuid.uuid4().hex
        staged = self.staging / token / (_safe_stem(upload.stem) + suffix)
        staged.parent.mkdir(parents=True)
        shutil.copyfile(upload, staged)
        try:
            parsed = parse_source(fingerprint(staged, Manifest([])))
        except Exception as error:
            shutil.rmtree(staged.parent, ignore_errors=True)  # a refused upload leaves nothing behind
            if isinstance(error, RegStudyError):
                raise
            log.debug("上传文件无法解析：%s: %s", type(error).__name__, error)
            raise CorruptDocumentError(upload.name) from error
        articles = [u for u in parsed.units if u.kind != SECTION]
        chapters = tuple(dict.fromkeys(u.chapter for u in articles if u.chapter))
        same = self._same_document(parsed.info.id, parsed.info.title)
        return Preview(token, staged.name, same.id if same else parsed.info.id, parsed.info.title, len(articles),
                       chapters, tuple(parsed.warnings), parsed.ocr, tuple(articles[:5]),
                       same.title if same else None, tuple(same.aliases) if same else ())  # fmt: skip

    def _drop_stale_previews(self) -> None:
        """Previews never published are dropped after a day (a publish removes its own at once)."""
        cutoff = time.time() - STAGING_MAX_AGE_S
        for folder in self.staging.glob("*") if self.staging.is_dir() else ():
            if folder.is_dir() and folder.stat().st_mtime < cutoff:
                shutil.rmtree(folder, ignore_errors=True)

    def _same_document(self, doc_id: str, title: str) -> DocumentInfo | None:
        existing = Manifest.load(self.settings.manifest_path).by_source.values()
        same_id = next((d for d in existing if d.id == doc_id), None)
        return same_id or next((d for d in existing if d.title == title), None)

    def publish(
        self, token: str, doc_id: str, title: str, aliases: list[str], progress: Progress | None = None
    ) -> IngestReport:
        """Put a previewed upload into the corpus under the confirmed id, title and aliases. The index
        for the new corpus is built first; file, manifest and index then change together or not at all."""
        staged = self._staged(token)
        doc_id, title = _checked_identity(doc_id, title)
        names = [a.strip() for a in aliases if a.strip() and a.strip() != title]
        with corpus_lock(self.settings):
            text = self._manifest_text()
            old_file = manifest.without_entry(text, doc_id)[1]
            target = self._target(doc_id, staged.suffix, old_file, text)
            new_text = manifest.with_entry(text, doc_id, target.name, title, names)
            files = [f for f in self._corpus_files() if f.name != old_file and f != target] + [target]
            ingestor = self._ingestor(progress)
            report, folder = ingestor.build(files, Manifest.from_text(new_text), {target: staged})
            if target.name in report.failed_files:
                _discard(folder)
                raise UploadError("发布未完成，知识库没有改动：" + "；".join(report.failures))
            gone = (str(self.settings.corpus_dir / old_file),) if old_file and old_file != target.name else ()
            commit(self.settings, Change(new_text, ((str(staged), str(target)),), gone, _name(folder)))
        shutil.rmtree(staged.parent, ignore_errors=True)
        return report

    def delete(self, doc_id: str, progress: Progress | None = None) -> IngestReport:
        with corpus_lock(self.settings):
            new_text, file = manifest.without_entry(self._manifest_text(), doc_id)
            if file is None:
                raise UploadError(f"清单中没有文件标识为 {doc_id} 的文件。")
            gone = self.settings.corpus_dir.resolve() / file
            files = [f for f in self._corpus_files() if f != gone]
            report, folder = self._ingestor(progress).build(files, Manifest.from_text(new_text))
            commit(self.settings, Change(new_text, (), (str(gone),), _name(folder)))
        return report

    def reingest(self, progress: Progress | None = None) -> IngestReport:
        with corpus_lock(self.settings):
            self._manifest_text()
            return self._ingestor(progress).run_locked()

    def reconcile(self) -> list[str]:
        """At start-up: finish an interrupted change, recover a corrupt manifest, and say what is out
        of step between corpus, manifest and index. Never raises over a recoverable mismatch."""
        notices: list[str] = []
        try:
            with corpus_lock(self.settings, wait=5):
                if resume(self.settings):
                    notices.append("上次的发布或删除在中途中断，启动时已按原计划完成。")
                self._manifest_text()
                self.notices = [n for n in [self._recovered, *notices] if n]
        except CorpusBusyError:
            self.notices = ["另一个进程正在改动知识库，启动时未核对语料与索引。"]
        return self.notices + self.out_of_step()

    def out_of_step(self) -> list[str]:
        """Files in the corpus folder whose content the index in service does not hold, and back."""
        try:
            sources = [fingerprint(f, Manifest.load(self.settings.manifest_path)) for f in self._corpus_files()]
        except RegStudyError as error:
            return [str(error)]
        indexed = indexed_files(self.settings.index_dir)
        corpus = str(self.settings.corpus_dir.resolve())
        given = {str(s.path): s.key for s in sources}
        missing = [Path(p).name for p in indexed if p.startswith(corpus) and p not in given]
        stale = [Path(p).name for p, key in given.items() if indexed.get(p) != key]
        if not missing and not stale:
            return []
        shown = "、".join((stale + missing)[:5]) + ("等" if len(stale + missing) > 5 else "")
        counts = f"{len(stale)} 个文件未入库或已改动，{len(missing)} 个文件已不在目录中"
        return [f"语料目录与索引不一致（{counts}：{shown}），请点击“重新入库”。"]

    def _manifest_text(self) -> str:
        text, notice = manifest_text(self.settings)
        self._recovered = notice or self._recovered
        return text

    def _corpus_files(self) -> list[Path]:
        return discover([self.settings.corpus_dir])

    def _ingestor(self, progress: Progress | None) -> Ingestor:
        return Ingestor(self.settings, progress) if progress else Ingestor(self.settings)

    def _target(self, doc_id: str, suffix: str, old_file: str | None, text: str) -> Path:
        """The corpus file for a document: named after its id, never after another document's file."""
        taken = {d.source for d in Manifest.from_text(text).by_source.values()} | {f.name for f in self._corpus_files()}
        taken.discard(old_file or "")
        name, n = f"{doc_id}{suffix}", 1
        while name in taken:
            n += 1
            name = f"{doc_id}-{n}{suffix}"
        return self.settings.corpus_dir.resolve() / name

    def _staged(self, token: str) -> Path:
        folder = self.staging / token
        files = list(folder.iterdir()) if token.isalnum() and folder.is_dir() else []
        if not files:
            raise UploadError("预览已失效，请重新上传文件。")
        return files[0]


def _checked_identity(doc_id: str, title: str) -> tuple[str, str]:
    doc_id, title = UNSAFE_ID_CHARS.sub("-", doc_id.strip()).strip("-."), title.strip()
    if not doc_id or not title:
        raise UploadError("请填写文件标识和标题。")
    if len(doc_id) > MAX_ID or len(title) > MAX_TITLE:
        raise UploadError(f"文件标识最多 {MAX_ID} 个字符，标题最多 {MAX_TITLE} 个字符。")
    if any(ord(c) < 32 or c == "\x7f" for c in doc_id + title):
        raise UploadError("文件标识和标题不能含控制字符。")
    return doc_id, title


def _discard(folder: Path | None) -> None:
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)


def _name(folder: Path | None) -> str | None:
    return folder.name if folder else None


def _safe_stem(name: str) -> str:
    return UNSAFE_ID_CHARS.sub("-", name).strip("-.") or uuid.uuid4().hex[:8]
