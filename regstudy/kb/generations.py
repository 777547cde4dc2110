"""On-disk layout of the index: immutable generations and an atomic pointer to the one in service.

    data/index/CURRENT            name of the generation in service (replaced atomically)
    data/index/<generation>/      state.json, units.jsonl, documents.json, bm25/, chroma/

An ingest builds a new generation beside the one in service and only then moves the pointer, so
an interrupted ingest never leaves a half-written index in service.
"""

from __future__ import annotations

import json
import os
import shutil
import time
import uuid
from dataclasses import asdict
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np

from regstudy.records import DocumentInfo, Unit

POINTER = "CURRENT"
VECTORS_FILE = "vectors.npy"
STATE_FILE = "state.json"  # written last: a generation without it was interrupted
KEEP_PREVIOUS = 1  # readers that opened the previous generation keep working until they reopen


def current_generation(index_dir: Path) -> Path | None:
    pointer = index_dir / POINTER
    if not pointer.exists():
        return None
    folder = index_dir / pointer.read_text(encoding="utf-8").strip()
    return folder if folder.is_dir() else None


def new_generation(index_dir: Path) -> Path:
    name = time.strftime("g%Y%m%d-%H%M%S-") + uuid.uuid4().hex[:6]
    folder = index_dir / name
    folder.mkdir(parents=True)
    return folder


def publish(index_dir: Path, generation: Path) -> None:
    """Put `generation` in service atomically, then drop stale and half-built generations."""
    write_durably(index_dir / POINTER, generation.name)
    prune(index_dir, keep=generation)


def write_durably(path: Path, text: str) -> None:
    """Replace a file in one step (temp file, fsync, rename, fsync of the folder): a reader or a
    crash sees the old text or the new one, never a mix."""
    temp = path.with_name(f".{path.name}.tmp")
    with temp.open("w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temp, path)
    folder = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)


def prune(index_dir: Path, keep: Path | None) -> None:
    others = sorted((p for p in index_dir.glob("g*") if p.is_dir() and p != keep), key=lambda p: p.name)
    for stale in others[: max(0, len(others) - KEEP_PREVIOUS)]:
        shutil.rmtree(stale, ignore_errors=True)


def names(index_dir: Path) -> set[str]:
    """The generations on disk (complete or being built)."""
    return {p.name for p in index_dir.glob("g*") if p.is_dir()}


def drop_incomplete(index_dir: Path) -> None:
    """Remove generations an interrupted ingest left behind (never the one in service)."""
    current = current_generation(index_dir)
    for folder in index_dir.glob("g*"):
        if folder.is_dir() and folder != current and not (folder / STATE_FILE).exists():
            shutil.rmtree(folder, ignore_errors=True)


def write_json(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")


def read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def write_units(folder: Path, units: list[Unit]) -> None:
    with (folder / "units.jsonl").open("w", encoding="utf-8") as handle:
        for unit in units:
            handle.write(json.dumps(unit.to_dict(), ensure_ascii=False) + "\n")


def read_units(folder: Path) -> list[Unit]:
    with (folder / "units.jsonl").open(encoding="utf-8") as handle:
        return [Unit.from_dict(json.loads(line)) for line in handle if line.strip()]


def write_documents(folder: Path, documents: list[DocumentInfo]) -> None:
    write_json(folder / "documents.json", [asdict(d) for d in documents])


def read_documents(folder: Path) -> list[DocumentInfo]:
    return [DocumentInfo.from_dict(d) for d in read_json(folder / "documents.json")]


def vector_file(folder: Path, count: int, dimension: int) -> BinaryIO:
    """The file for the unit vectors in `units.jsonl` order (beside the vector store: scoring a few
    hundred candidates by id reads them here instead of asking Chroma), opened for appending rows
    chunk by chunk: written, not memory-mapped, so the rows do not stay resident in the ingest."""
    handle = (folder / VECTORS_FILE).open("wb")
    header = {"descr": np.lib.format.dtype_to_descr(np.dtype(np.float32)), "fortran_order": False,
              "shape": (count, dimension)}  # fmt: skip
    np.lib.format.write_array_header_1_0(handle, header)
    return handle


def read_vectors(folder: Path) -> np.ndarray | None:
    """Memory-mapped unit vectors (None for an index written before they were kept)."""
    path = folder / VECTORS_FILE
    return np.load(path, mmap_mode="r") if path.is_file() else None
