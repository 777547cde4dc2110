"""Offline OCR for scanned PDF pages (rapidocr_onnxruntime ships its Chinese PP-OCR models)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

# The default unclip ratio (1.6) drops whole lines on ~110 dpi scans; 2.0 keeps them.
UNCLIP_RATIO = 2.0


@lru_cache(maxsize=1)
def _engine() -> Any:
    from rapidocr_onnxruntime import RapidOCR

    return RapidOCR()


def ocr_image(image: bytes) -> list[str]:
    """Text lines of one page image, top to bottom, left to right."""
    result, _ = _engine()(image, unclip_ratio=UNCLIP_RATIO)
    return _lines([(box, text) for box, text, _score in result or []])


def _lines(boxes: list[tuple[list[list[float]], str]]) -> list[str]:
    """Group recognised boxes into physical lines by vertical overlap."""
    rows: list[tuple[float, float, list[tuple[float, str]]]] = []
    for box, text in sorted(boxes, key=lambda b: b[0][0][1]):
        top, bottom, left = box[0][1], box[2][1], box[0][0]
        if rows and top < (rows[-1][0] + rows[-1][1]) / 2:
            rows[-1][2].append((left, text))
        else:
            rows.append((top, bottom, [(left, text)]))
    return ["".join(text for _, text in sorted(row)) for _, _, row in rows]
