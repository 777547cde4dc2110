"""Query understanding: expansion of everyday wording into the vocabulary the regulations use (a domain
thesaurus), and whether a question asks about an older edition."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

OLD_EDITION = re.compile(
    r"旧版|老版|原版|修订前|修正前|修改前|以前的版本|之前的版本|过去的版本|\d{4}年(版|的版本|修订|修正)"
)


@dataclass(frozen=True)
class Thesaurus:
    """Everyday phrases → the regulations' terms (`regstudy/resources/thesaurus.txt`)."""

    entries: tuple[tuple[tuple[str, ...], str], ...]
    documents: tuple[str, ...] = ()  # titles of the documents whose vocabulary it maps to (all when empty)

    @classmethod
    def bundled(cls) -> Thesaurus:
        return _bundled_thesaurus()

    @classmethod
    def parse(cls, text: str) -> Thesaurus:
        entries: list[tuple[tuple[str, ...], str]] = []
        documents: tuple[str, ...] = ()
        for line in text.splitlines():
            line = line.split("#", 1)[0].strip()
            if line.startswith("@documents"):
                documents = tuple(line.split()[1:])
                continue
            if "=>" not in line:
                continue
            left, right = line.split("=>", 1)
            phrases = tuple(p.lower() for p in left.split())
            entries.append((phrases, right.strip()))
        return cls(tuple(entries), documents)

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


def asks_old_edition(text: str) -> bool:
    """Whether the question asks about an older edition (旧版, 修订前, 2018年版…)."""
    return bool(OLD_EDITION.search(text))
