"""Unreadable files fail with a clear Chinese message naming the file."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import FIXTURES

from ingest.loaders import load
from regstudy.errors import (
    CorruptDocumentError,
    EmptyDocumentError,
    EncryptedDocumentError,
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
