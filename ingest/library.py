"""Knowledge-base management for admins: take an uploaded regulation (checked by size and by
content, not by name), show how it parses before it goes live, then publish it — file into the
corpus folder, manifest entry from what the admin confirmed — and re-ingest; delete likewise.
The index in service changes only when an ingest completes."""

from __future__ import annotations

import shutil
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ingest import manifest
from ingest.loaders import decode
from ingest.manifest import UNSAFE_ID_CHARS, Manifest
from ingest.pipeline import Ingestor, IngestReport, Progress
from ingest.sources import fingerprint, parse_source
from regstudy.errors import CorruptDocumentError, RegStudyError, UnsupportedFormatError
from regstudy.records import SECTION, DocumentInfo, Unit
from regstudy.settings import Settings


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

    def preview(self, upload: Path) -> Preview:
        """Parse an upload in a staging folder; nothing in service changes. A document with the same
        id or title is the one it would replace: its id and short names are proposed."""
        size = upload.stat().st_size
        if size > self.settings.upload_max_bytes:
            raise UploadError(f"文件过大（{size / 1024 / 1024:.1f} MB），上限 {self.settings.upload_max_mb} MB。")
        suffix = detected_suffix(upload)
        token = uuid.uuid4().hex
        staged = self.staging / token / (_safe_stem(upload.stem) + suffix)
        staged.parent.mkdir(parents=True)
        shutil.copyfile(upload, staged)
        try:
            parsed = parse_source(fingerprint(staged, Manifest([])))
        except Exception:
            shutil.rmtree(staged.parent, ignore_errors=True)  # a refused upload leaves nothing behind
            raise
        articles = [u for u in parsed.units if u.kind != SECTION]
        chapters = tuple(dict.fromkeys(u.chapter for u in articles if u.chapter))
        same = self._same_document(parsed.info.id, parsed.info.title)
        return Preview(token, staged.name, same.id if same else parsed.info.id, parsed.info.title, len(articles),
                       chapters, tuple(parsed.warnings), parsed.ocr, tuple(articles[:5]),
                       same.title if same else None, tuple(same.aliases) if same else ())  # fmt: skip

    def _same_document(self, doc_id: str, title: str) -> DocumentInfo | None:
        existing = Manifest.load(self.settings.manifest_path).by_source.values()
        same_id = next((d for d in existing if d.id == doc_id), None)
        return same_id or next((d for d in existing if d.title == title), None)

    def publish(
        self, token: str, doc_id: str, title: str, aliases: list[str], progress: Progress | None = None
    ) -> IngestReport:
        """Put a previewed upload into the corpus under the confirmed id, title and aliases, then ingest."""
        staged = self._staged(token)
        doc_id, title = UNSAFE_ID_CHARS.sub("-", doc_id.strip()).strip("-"), title.strip()
        if not doc_id or not title:
            raise UploadError("请填写文件标识和标题。")
        old_file = manifest.remove_entry(self.settings.manifest_path, doc_id)
        if old_file and old_file != staged.name:
            (self.settings.corpus_dir / old_file).unlink(missing_ok=True)
        target = self.settings.corpus_dir / f"{_safe_stem(title)}{staged.suffix}"
        shutil.move(staged, target)
        shutil.rmtree(staged.parent, ignore_errors=True)
        names = [a.strip() for a in aliases if a.strip() and a.strip() != title]
        manifest.add_entry(self.settings.manifest_path, doc_id, target.name, title, names)
        return self.reingest(progress)

    def delete(self, doc_id: str, progress: Progress | None = None) -> IngestReport:
        file = manifest.remove_entry(self.settings.manifest_path, doc_id)
        if file is None:
            raise UploadError(f"清单中没有文件标识为 {doc_id} 的文件。")
        (self.settings.corpus_dir / file).unlink(missing_ok=True)
        return self.reingest(progress)

    def reingest(self, progress: Progress | None = None) -> IngestReport:
        ingestor = Ingestor(self.settings, progress) if progress else Ingestor(self.settings)
        return ingestor.run()

    def _staged(self, token: str) -> Path:
        folder = self.staging / token
        files = list(folder.iterdir()) if token.isalnum() and folder.is_dir() else []
        if not files:
            raise UploadError("预览已失效，请重新上传文件。")
        return files[0]


def _safe_stem(name: str) -> str:
    return UNSAFE_ID_CHARS.sub("-", name).strip("-.") or uuid.uuid4().hex[:8]
