"""DOCX from the small Markdown our templates produce (quiz papers, citation reports): #/##
headings, paragraphs, > quotes, indented lines, pipe tables, **bold** and ~~struck~~ runs. Built
with python-docx so that the DOCX and the Markdown download always say the same thing."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument
    from docx.text.paragraph import Paragraph as DocxParagraph

# **bold** (added or changed words) and ~~struck~~ (words missing), as in the Markdown.
RUN = re.compile(r"(\*\*.+?\*\*|~~.+?~~)")
TABLE_RULE = re.compile(r"^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?$")


def write_markdown_and_docx(folder: Path, name: str, markdown: str) -> list[Path]:
    """`<name>.docx` and `<name>.md` in `folder`, from the same Markdown (DOCX first: what most open)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.md").write_text(markdown + "\n", encoding="utf-8")
    (folder / f"{name}.docx").write_bytes(markdown_to_docx(markdown))
    return [folder / f"{name}.docx", folder / f"{name}.md"]


def markdown_to_docx(markdown: str) -> bytes:
    from docx import Document

    document = Document()
    lines = markdown.splitlines()
    n = 0
    while n < len(lines):
        line = lines[n]
        if line.lstrip().startswith("|"):
            rows = []
            while n < len(lines) and lines[n].lstrip().startswith("|"):
                rows.append(lines[n])
                n += 1
            _add_table(document, rows)
            continue
        _add_line(document, line)
        n += 1
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _add_line(document: DocxDocument, line: str) -> None:
    from docx.shared import Pt

    if not line.strip():
        return
    if line.startswith("#"):
        level = len(line) - len(line.lstrip("#"))
        document.add_heading(line[level:].strip(), level=0 if level == 1 else level - 1)
        return
    paragraph = document.add_paragraph()
    text = line.strip()
    if text.startswith(">"):
        text = text[1:].strip()
        paragraph.paragraph_format.left_indent = Pt(18)
    elif line.startswith("    "):
        paragraph.paragraph_format.left_indent = Pt(24)
    add_runs(paragraph, text)


def _add_table(document: DocxDocument, rows: list[str]) -> None:
    cells = [_cells(row) for row in rows if not TABLE_RULE.match(row.strip())]
    if not cells:
        return
    width = max(len(row) for row in cells)
    table = document.add_table(rows=len(cells), cols=width)
    table.style = "Table Grid"
    # Row by row: table.cell(r, c) re-reads the whole grid on every call (quadratic on long tables).
    for r, (row, texts) in enumerate(zip(table.rows, cells, strict=True)):
        for cell, text in zip(row.cells, texts, strict=False):
            paragraph = cell.paragraphs[0]
            add_runs(paragraph, text)
            if r == 0:
                for run in paragraph.runs:
                    run.bold = True


def _cells(row: str) -> list[str]:
    row = row.strip().removeprefix("|").removesuffix("|")
    return [cell.strip().replace("\\|", "|") for cell in re.split(r"(?<!\\)\|", row)]


def add_runs(paragraph: DocxParagraph, text: str) -> None:
    """Plain, **bold** and ~~struck~~ runs."""
    for part in RUN.split(text):
        if not part:
            continue
        if part.startswith("**") and part.endswith("**") and len(part) > 4:
            paragraph.add_run(part[2:-2]).bold = True
        elif part.startswith("~~") and part.endswith("~~") and len(part) > 4:
            paragraph.add_run(part[2:-2]).font.strike = True
        else:
            paragraph.add_run(part)
