"""Reading a quote that is not verbatim against the article it claims: does it keep that article's
frame (its opening and closing words, or at least half its characters in line), what changed, and
what an abridged quote (……) leaves out."""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher

from regstudy.study.citations.diffing import MIN_BLOCK, Comparison, compare
from regstudy.study.citations.meaning import MeaningChange, meaning_changes, omission_changes

ANCHOR = 3  # characters at each end of a quote that must stand in the article, in order
ALIGNED_MIN = 0.5  # or this share of the quote's characters must line up with the article (either: the
# quote renders that article rather than other words)


@dataclass(frozen=True)
class Reading:
    """A quote read against one article: the diff, and the changes of meaning in it."""

    comparison: Comparison
    changes: tuple[MeaningChange, ...]


def aligned_share(quote: str, article: str) -> float:
    """The share of the quote's characters that line up, in order, with the article (runs of two
    characters or more: a lone shared character is chance)."""
    if not quote:
        return 0.0
    blocks = SequenceMatcher(None, article, quote, autojunk=False).get_matching_blocks()
    return sum(b.size for b in blocks if b.size >= MIN_BLOCK) / len(quote)


def keeps_frame(quote: str, article: str) -> bool:
    """The quote opens and closes with the article's own words: 本规定自……起施行."""
    if len(quote) < 2 * ANCHOR:
        return False
    head = article.find(quote[:ANCHOR])
    return head >= 0 and article.find(quote[-ANCHOR:], head + ANCHOR) >= 0


def read(pieces: list[str], article: str) -> Reading:
    """The quote's pieces (split at ……) diffed against the article, with the meaning changes; an
    omission at a …… is not a change."""
    quote = "".join(pieces)
    comparison = compare(quote, article)
    changes = meaning_changes(comparison.segments, _boundaries(pieces))
    return Reading(comparison, tuple(changes))


def omitted(pieces: list[str], article: str) -> list[str]:
    """What an abridged quote leaves out between its pieces (they stand in the article in order)."""
    return [gap for gap in _gaps(pieces, article) if gap]


def _gaps(pieces: list[str], article: str) -> list[str]:
    """The article's text between each piece and the next ('' where they meet)."""
    gaps, pos = [], -1
    for piece in pieces:
        found = article.find(piece, max(pos, 0))
        if found < 0:
            return []
        if pos >= 0:
            gaps.append(article[pos:found])
        pos = found + len(piece)
    return gaps


def omission_meaning(pieces: list[str], article: str) -> tuple[MeaningChange, ...]:
    """Changes of meaning made by leaving words out at a …… (the modal word of the clause)."""
    if len(pieces) < 2:
        return ()
    gaps = _gaps(pieces, article)
    return tuple(omission_changes([("".join(pieces[: n + 1]), gap) for n, gap in enumerate(gaps)]))


def _boundaries(pieces: list[str]) -> frozenset[int]:
    ends, total = [], 0
    for piece in pieces[:-1]:
        total += len(piece)
        ends.append(total)
    return frozenset(ends)
