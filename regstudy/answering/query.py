"""Query expansion of everyday wording into the vocabulary the regulations use (a domain thesaurus)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources


@dataclass(frozen=True)
class Thesaurus:
    """Everyday phrases → the regulations' terms (`regstudy/resources/thesaurus.txt`)."""

    entries: tuple[tuple[tuple[str, ...], str], ...]

    @classmethod
    def bundled(cls) -> Thesaurus:
        return _bundled_thesaurus()

    @classmethod
    def parse(cls, text: str) -> Thesaurus:
        entries = []
        for line in text.splitlines():
            line = line.split("#", 1)[0].strip()
            if "=>" not in line:
                continue
            left, right = line.split("=>", 1)
            phrases = tuple(p.lower() for p in left.split())
            entries.append((phrases, right.strip()))
        return cls(tuple(entries))

    def expansions(self, query: str) -> list[str]:
        """The terms whose everyday phrasings occur in the query, without repeats."""
        lowered = query.lower()
        found: list[str] = []
        for phrases, terms in self.entries:
            if any(phrase in lowered for phrase in phrases) and terms not in found:
                found.append(terms)
        return found

    def expand(self, query: str) -> str:
        """The query followed by the regulation terms it implies (the query itself when none)."""
        extra = self.expansions(query)
        return f"{query} {' '.join(extra)}" if extra else query


@lru_cache(maxsize=1)
def _bundled_thesaurus() -> Thesaurus:
    text = (resources.files("regstudy.resources") / "thesaurus.txt").read_text(encoding="utf-8")
    return Thesaurus.parse(text)
