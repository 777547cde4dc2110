"""Read access to the index in service: units by id and by document, plus its search indexes."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

import numpy as np

from regstudy.errors import IndexNotFoundError
from regstudy.kb import generations
from regstudy.kb.editions import SUPERSEDED, with_editions
from regstudy.kb.lexical import LexicalIndex
from regstudy.records import DocumentInfo, Unit
from regstudy.settings import Settings


class KnowledgeBase:
    """One generation of the index, opened read-only."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.units: list[Unit] = generations.read_units(folder)
        self.state = generations.read_json(folder / generations.STATE_FILE)
        self.by_id = {u.id: u for u in self.units}
        self._by_doc: dict[str, list[Unit]] = {}
        for unit in self.units:
            self._by_doc.setdefault(unit.doc_id, []).append(unit)
        # an index written before editions were recorded gets them now
        self.documents: list[DocumentInfo] = with_editions(generations.read_documents(folder), self.units)
        self.superseded = frozenset(d.id for d in self.documents if d.status == SUPERSEDED)
        self._documents = {d.id: d for d in self.documents}

    @classmethod
    def open(cls, settings: Settings) -> KnowledgeBase:
        folder = generations.current_generation(settings.index_dir)
        if folder is None:
            raise IndexNotFoundError(settings.index_dir)
        return cls(folder)

    @property
    def model_id(self) -> str:
        return self.state["model_id"]

    def document(self, doc_id: str) -> DocumentInfo | None:
        return self._documents.get(doc_id)

    def units_of(self, doc_id: str) -> list[Unit]:
        return list(self._by_doc.get(doc_id, ()))

    @cached_property
    def vectors(self) -> np.ndarray | None:
        """Unit vectors in `units` order (= the BM25 index's rows), or None when not kept."""
        return generations.read_vectors(self.folder)

    @cached_property
    def lexical(self) -> LexicalIndex:
        return LexicalIndex.load(self.folder / "bm25")
