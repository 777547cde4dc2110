"""Unreadable files fail with a clear Chinese message naming the file."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import FIXTURES

from ingest.loaders import load
from regstudy.errors import (
    CorruptDocumentError,
    DocumentError,
    EmptyDocumentError,
    EncryptedDocumentError,
    TooLargeDocumentError,
    UnsupportedFormatError,
)


def test_encrypted_pdf() -> None:
    with pytest.raises(EncryptedDocumentError, match=re.escape("encrypted-党员网络行为规定.pdf：文件已加密")):
        load(FIXTURES / "encrypted-党员网络行为规定.pdf")


def test_truncated_pdf() -> None:
    with pytest.raises(CorruptDocumentError, match=re.escape("truncated-党员网络行为规定.pdf：文件已损坏或不完整")):
        load(FIXTURES / "truncated-党员网络行为规定.pdf")


@pytest.mark.parametrize("name", ["empty.txt", "empty.pdf", "empty.docx", "empty.md"])
def test_empty_files(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"")
    with pytest.raises(EmptyDocumentError, match=re.escape(name)):
        load(path)


@pytest.mark.parametrize(
    ("name", "content", "error"),
    [
        ("blank.txt", "\n \n- 2 -\n", EmptyDocumentError),  # whitespace and a page marker only
        ("fake.pdf", "这不是 PDF", CorruptDocumentError),  # the type is judged by content, not name
        ("fake.docx", "这也不是 Word", CorruptDocumentError),
        ("table.xlsx", "PK", UnsupportedFormatError),
    ],
)
def test_unreadable_content(tmp_path: Path, name: str, content: str, error: type[Exception]) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(error, match=re.escape(name)):
        load(path)


def test_gb18030_text(tmp_path: Path) -> None:
    path = tmp_path / "gbk.txt"
    path.write_bytes("第一条 党员应当遵守纪律。".encode("gb18030"))
    assert load(path).paragraphs[0].text == "第一条 党员应当遵守纪律。"


def _docx(path: Path, body: bytes) -> Path:
    """A real .docx (python-docx's own) whose document.xml is `body` (deflated: a bomb stays small)."""
    import zipfile

    import docx

    docx.Document().save(str(path.with_suffix(".orig")))
    with (
        zipfile.ZipFile(path.with_suffix(".orig")) as original,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new,
    ):
        for item in original.infolist():
            new.writestr(item.filename, body if item.filename == "word/document.xml" else original.read(item))
    return path


WORD = b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (WORD + b"<w:p/>" * 12_000_000 + b"</w:body></w:document>", "解压后"),  # 72 MB of XML in a small file
        (WORD + b"<w:p><w:r><w:t>\xe6\x9d\xa1</w:t></w:r></w:p>" * 60_000 + b"</w:body></w:document>", "个段落"),
    ],
    ids=["zip-bomb", "paragraphs"],
)
def test_oversized_docx_is_refused_before_parsing(tmp_path: Path, body: bytes, message: str) -> None:
    path = _docx(tmp_path / "大文件.docx", body)
    assert path.stat().st_size < 1_000_000
    with pytest.raises(TooLargeDocumentError, match=message):
        load(path)


def test_billion_laughs_and_broken_xml_are_a_named_corrupt_file(tmp_path: Path) -> None:
    laughs = b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    laughs += b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>' + WORD + b"<w:p>&c;</w:p></w:body></w:document>"
    for name, body in (("笑.docx", laughs), ("断.docx", WORD + b"<w:p>not closed")):
        with pytest.raises(DocumentError, match=name):  # a named file, never a parser's own exception
            load(_docx(tmp_path / name, body))
