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
    _chinese_a4(document)
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


A4_CM = (21.0, 29.7)
SIDE_MARGIN_CM = 2.8
TEXT_WIDTH_CM = A4_CM[0] - 2 * SIDE_MARGIN_CM
CHAR_CM = 0.42  # one Chinese character at the body size, with cell padding
BODY_FONT = "宋体"  # a Chinese serif, the usual face for printed 党内 study material
LANGUAGE = "zh-CN"


def _chinese_a4(document: DocxDocument) -> None:
    """A4 with the usual margins, Chinese as the document language, a Chinese serif font, and the
    page number in the footer (python-docx defaults to US Letter and English)."""
    from docx.oxml.ns import qn
    from docx.shared import Cm

    section = document.sections[0]
    section.page_width, section.page_height = Cm(A4_CM[0]), Cm(A4_CM[1])
    section.left_margin = section.right_margin = Cm(SIDE_MARGIN_CM)
    section.top_margin = section.bottom_margin = Cm(2.5)
    for style in document.styles:
        properties = getattr(style.element, "rPr", None)
        if properties is None and style.name == "Normal":
            properties = style.element.get_or_add_rPr()
        if properties is None:
            continue
        fonts = properties.get_or_add_rFonts()
        fonts.set(qn("w:eastAsia"), BODY_FONT)
        language = properties.find(qn("w:lang"))
        if language is None:
            language = properties.makeelement(qn("w:lang"), {})
            properties.append(language)
        for attribute in ("w:val", "w:eastAsia"):
            language.set(qn(attribute), LANGUAGE)
    _page_number(section.footer.paragraphs[0])


def _page_number(paragraph: DocxParagraph) -> None:
    """第 N 页 with a PAGE field, centred."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn

    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run("第 ")
    run = paragraph.add_run()
    for kind, text in (("begin", ""), ("instr", " PAGE "), ("end", "")):
        if kind == "instr":
            element = run._r.makeelement(qn("w:instrText"), {qn("xml:space"): "preserve"})
            element.text = text
        else:
            element = run._r.makeelement(qn("w:fldChar"), {qn("w:fldCharType"): kind})
        run._r.append(element)
    paragraph.add_run(" 页")


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
    from docx.shared import Cm

    widths = _column_widths(cells, width)
    table.autofit = False
    for column, width_cm in zip(table.columns, widths, strict=True):
        column.width = Cm(width_cm)  # the grid LibreOffice lays out by; the cells' widths for Word
    # Row by row: table.cell(r, c) re-reads the whole grid on every call (quadratic on long tables).
    for r, (row, texts) in enumerate(zip(table.rows, cells, strict=True)):
        for cell, width_cm in zip(row.cells, widths, strict=True):
            cell.width = Cm(width_cm)
        for cell, text in zip(row.cells, texts, strict=False):
            paragraph = cell.paragraphs[0]
            add_runs(paragraph, text)
            if r == 0:
                for run in paragraph.runs:
                    run.bold = True


def _column_widths(cells: list[list[str]], columns: int) -> list[float]:
    """Column widths (cm): each wide enough for its header (or four characters), the rest of the text
    width shared by how much each column holds (a diff column wide, a verdict column narrow)."""
    minimum, sizes = [], []
    for n in range(columns):
        header = len(cells[0][n]) if n < len(cells[0]) else 0
        minimum.append(max(header, 4) * CHAR_CM)
        lengths = [len(row[n]) for row in cells[1:] if n < len(row) and row[n]] or [0]
        sizes.append(min(sum(lengths) / len(lengths), 60))
    spare = max(TEXT_WIDTH_CM - sum(minimum), 0.0)
    total = sum(sizes) or 1.0
    return [low + spare * size / total for low, size in zip(minimum, sizes, strict=True)]


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
