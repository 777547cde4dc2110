"""Read a source file (.txt, .md, .pdf, .docx) into logical paragraphs.

Scanned PDF pages (no text layer) go through offline OCR and the result is marked as such.
Encrypted, truncated, empty or mislabelled files raise a `DocumentError` naming the file.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from ingest import ocr
from ingest.paragraphs import Paragraph, from_markdown, from_wrapped_text
from regstudy.errors import (
    CorruptDocumentError,
    DocumentError,
    EmptyDocumentError,
    EncryptedDocumentError,
    MissingFileError,
    TooLargeDocumentError,
    UnsupportedFormatError,
)

if TYPE_CHECKING:
    import pypdf

SUPPORTED_SUFFIXES = (".txt", ".md", ".pdf", ".docx")
# A regulation's .docx unpacks to a few MB; these bound what a hostile one can make the parser do.
DOCX_MAX_UNPACKED = 64 * 2**20
DOCX_MAX_PARAGRAPHS = 50_000
DOCX_PARAGRAPH = re.compile(rb"<w:p[ >/]")
PDF_MAX_PAGES = 2_000  # a regulation an admin adds
CHECK_MAX_PAGES = 300  # a handout a member checks (its text is capped at 500,000 characters anyway)
MIN_PAGE_TEXT = 10  # fewer characters than this on a page with images: treat the page as scanned


@dataclass(frozen=True)
class LoadedDocument:
    paragraphs: list[Paragraph]
    title_hint: str | None = None
    ocr: bool = False
    warnings: list[str] = field(default_factory=list)


def load(path: Path, max_pages: int = PDF_MAX_PAGES) -> LoadedDocument:
    """Paragraphs of one file; raises a DocumentError subclass if it cannot be read."""
    suffix = path.suffix.lower()
    readers: dict[str, Callable[[Path], LoadedDocument]] = {
        ".txt": _load_text, ".md": _load_markdown, ".pdf": partial(_load_pdf, max_pages=max_pages), ".docx": _load_docx
    }  # fmt: skip
    if suffix not in readers:
        raise UnsupportedFormatError(path)
    if not path.is_file():
        raise MissingFileError(path)
    if path.stat().st_size == 0:
        raise EmptyDocumentError(path)
    try:
        loaded = readers[suffix](path)
    except DocumentError:
        raise
    except Exception as error:  # a hostile or broken file may make a parser raise anything
        raise CorruptDocumentError(path, type(error).__name__) from error
    if not any(p.text.strip() for p in loaded.paragraphs):
        raise EmptyDocumentError(path)
    return loaded


def plain_text(path: Path, max_pages: int = PDF_MAX_PAGES) -> str:
    """A file's text as paragraphs joined by newlines (how the citation checker reads a handout)."""
    return "\n".join(p.text for p in load(path, max_pages).paragraphs)


def decode(path: Path) -> str:
    """The text of a file in UTF-8 (with or without BOM) or GB18030; CorruptDocumentError otherwise."""
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise CorruptDocumentError(path, "无法识别的文字编码")


def _load_text(path: Path) -> LoadedDocument:
    return LoadedDocument(from_wrapped_text(decode(path)))


def _load_markdown(path: Path) -> LoadedDocument:
    paragraphs = from_markdown(decode(path))
    title = next((p.text for p in paragraphs if p.level == 1), None)
    return LoadedDocument(paragraphs, title_hint=title)


def _load_docx(path: Path) -> LoadedDocument:
    import docx

    if not zipfile.is_zipfile(path):
        raise CorruptDocumentError(path, "不是有效的 Word 文档")
    _check_docx_size(path)
    try:
        document = docx.Document(str(path))
    except (KeyError, ValueError, zipfile.BadZipFile) as error:
        raise CorruptDocumentError(path, str(error)) from error
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        lines.extend("　".join(cell.text for cell in row.cells) for row in table.rows)
    # Word files converted from PDF often keep the hard line wraps, so rejoin as for plain text.
    return LoadedDocument(from_wrapped_text("\n".join(lines)))


def _check_docx_size(path: Path) -> None:
    """Refuse a zip bomb before parsing: the unpacked size and the paragraph count are read from the
    archive (the XML is streamed through in chunks, never held whole)."""
    with zipfile.ZipFile(path) as archive:
        unpacked = sum(info.file_size for info in archive.infolist())
        if unpacked > DOCX_MAX_UNPACKED:
            raise TooLargeDocumentError(path, f"解压后 {unpacked // 2**20} MB，上限 {DOCX_MAX_UNPACKED // 2**20} MB")
        paragraphs, tail = 0, b""
        with archive.open("word/document.xml") as xml:
            while chunk := xml.read(1 << 20):
                paragraphs += len(DOCX_PARAGRAPH.findall(tail + chunk)) - len(DOCX_PARAGRAPH.findall(tail))
                tail = chunk[-8:]
    if paragraphs > DOCX_MAX_PARAGRAPHS:
        raise TooLargeDocumentError(path, f"{paragraphs} 个段落，上限 {DOCX_MAX_PARAGRAPHS} 个")


def _load_pdf(path: Path, max_pages: int = PDF_MAX_PAGES) -> LoadedDocument:
    import pypdf
    from pypdf.errors import PyPdfError

    if not path.read_bytes()[:1024].lstrip().startswith(b"%PDF"):
        raise CorruptDocumentError(path, "不是有效的 PDF 文件")
    try:
        reader = pypdf.PdfReader(str(path), strict=True)
        if reader.is_encrypted and not reader.decrypt(""):
            raise EncryptedDocumentError(path)
        if len(reader.pages) > max_pages:
            raise TooLargeDocumentError(path, f"{len(reader.pages)} 页，上限 {max_pages} 页")
        pages, scanned = _pdf_pages(reader)
    except PyPdfError as error:
        raise CorruptDocumentError(path, type(error).__name__) from error
    warnings = (
        [f"{path.name}：第 {', '.join(map(str, scanned))} 页为扫描件，已用 OCR 识别，请核对原文。"] if scanned else []
    )
    return LoadedDocument(from_wrapped_text("\n".join(pages)), ocr=bool(scanned), warnings=warnings)


def _pdf_pages(reader: pypdf.PdfReader) -> tuple[list[str], list[int]]:
    pages, scanned = [], []
    for number, page in enumerate(reader.pages, start=1):
        text = page.extract_text() or ""
        if len(text.strip()) < MIN_PAGE_TEXT and page.images:
            text = "\n".join(line for image in page.images for line in ocr.ocr_image(image.data))
            scanned.append(number)
        pages.append(text)
    return pages, scanned
