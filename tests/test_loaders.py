"""Unreadable files fail with a clear Chinese message naming the file."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import FIXTURES

from regstudy.errors import (
    CorruptDocumentError,
    EmptyDocumentError,
    EncryptedDocumentError,
    UnsupportedFormatError,
)
from regstudy.loaders import load


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


def test_whitespace_only_text(tmp_path: Path) -> None:
    path = tmp_path / "blank.txt"
    path.write_text("\n \n- 2 -\n", encoding="utf-8")
    with pytest.raises(EmptyDocumentError, match=re.escape("blank.txt")):
        load(path)


def test_file_whose_content_is_not_its_type(tmp_path: Path) -> None:
    path = tmp_path / "fake.pdf"
    path.write_text("这不是 PDF", encoding="utf-8")
    with pytest.raises(CorruptDocumentError, match=re.escape("fake.pdf")):
        load(path)
    docx_path = tmp_path / "fake.docx"
    docx_path.write_text("这也不是 Word", encoding="utf-8")
    with pytest.raises(CorruptDocumentError, match=re.escape("fake.docx")):
        load(docx_path)


def test_unsupported_type(tmp_path: Path) -> None:
    path = tmp_path / "table.xlsx"
    path.write_bytes(b"PK")
    with pytest.raises(UnsupportedFormatError, match=re.escape("table.xlsx")):
        load(path)


def test_gb18030_text(tmp_path: Path) -> None:
    path = tmp_path / "gbk.txt"
    path.write_bytes("第一条 党员应当遵守纪律。".encode("gb18030"))
    assert load(path).paragraphs[0].text == "第一条 党员应当遵守纪律。"
