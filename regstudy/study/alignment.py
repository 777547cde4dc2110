"""Pairing the articles of two editions (texts in comparable form), in stages: identical texts; the
best in-order pairing between them (a dynamic programme over character similarity, so an inserted or
deleted article shifts the numbers without breaking the pairing), less weak pairs out of step whose
article is plainly closer to another; articles still alike paired out of order (moved); rewritten
articles between two consecutive pairs; and rewritten, moved articles that keep most of their
distinctive words."""

from __future__ import annotations

import bisect
import itertools
import math
from collections import Counter
from difflib import SequenceMatcher

from regstudy.kb.lexical import tokenize

Pairs = dict[tuple[int, int], float]

ALIKE = 0.5  # character similarity above which two articles are one article revised, not two articles
SHARED_WORDS = 0.6  # a rewritten, moved article keeps this share of its distinctive words
REWRITTEN = 0.4  # the lower bar for a pair inside a gap between pairs that keep their order
GAP_PAIRS = 400  # gaps larger than this (rows × columns) are left alone
STRONG = 0.8  # an in-order pair this alike stands whatever else is alike
BETTER = 0.2  # a weaker one gives way to a partner this much closer elsewhere
CONTAINED_MIN = 12  # characters an article needs before "most of it is in the other one" means anything
CONTAINED_SHARE = 0.8  # and how much of it must be there


def pair_articles(old: list[str], new: list[str]) -> Pairs:
    """(old index, new index) → similarity for every pair of articles that are one article."""
    pairs = _identical(old, new)
    pairs |= _without_better(_in_order(old, new, pairs), old, new, pairs)
    pairs |= _out_of_order(old, new, pairs)
    pairs |= _gap_fill(old, new, pairs)
    pairs |= _rewritten(old, new, pairs)
    return pairs


def unpaired(pairs: Pairs, count: int, side: int) -> list[int]:
    """The articles of one edition (side 0: the old, 1: the new) that no pair takes, in order."""
    taken = {pair[side] for pair in pairs}
    return [n for n in range(count) if n not in taken]


def _identical(old: list[str], new: list[str]) -> Pairs:
    """Same text, paired in order (a text repeated in both pairs its occurrences in turn)."""
    waiting: dict[str, list[int]] = {}
    for j, text in enumerate(new):
        waiting.setdefault(text, []).append(j)
    pairs = {}
    for i, text in enumerate(old):
        if waiting.get(text):
            pairs[i, waiting[text].pop(0)] = 1.0
    return pairs


def _in_order(old: list[str], new: list[str], fixed: Pairs) -> Pairs:
    """Between consecutive identical pairs that kept their order, the best in-order pairing of the rest."""
    anchors = sorted(fixed)
    kept = increasing([j for _, j in anchors])
    bounds = [(-1, -1), *[anchors[n] for n in sorted(kept)], (len(old), len(new))]
    taken_old, taken_new = {i for i, _ in fixed}, {j for _, j in fixed}
    pairs: Pairs = {}
    for (i0, j0), (i1, j1) in itertools.pairwise(bounds):
        rows = [i for i in range(i0 + 1, i1) if i not in taken_old]
        cols = [j for j in range(j0 + 1, j1) if j not in taken_new]
        if rows and cols:
            pairs |= _align(old, new, rows, cols)
    return pairs


def _without_better(found: Pairs, old: list[str], new: list[str], fixed: Pairs) -> Pairs:
    """In-order pairs, less a weak one out of step with its neighbours whose article has a plainly
    closer partner elsewhere (moved): that one is paired out of order instead."""
    free_old, free_new = unpaired(fixed, len(old), 0), unpaired(fixed, len(new), 1)
    kept, paired = {}, {**fixed, **found}
    for (i, j), score in found.items():
        in_step = (i - 1, j - 1) in paired or (i + 1, j + 1) in paired  # its neighbours pair the same way
        if score < STRONG and not in_step:
            rivals = [_similarity(old[i], new[k]) for k in free_new] + [_similarity(old[k], new[j]) for k in free_old]
            if max(rivals, default=0.0) > score + BETTER:
                continue
        kept[i, j] = score
    return kept


def _align(old: list[str], new: list[str], rows: list[int], cols: list[int]) -> Pairs:
    """Needleman–Wunsch over one stretch: maximise the summed similarity of in-order pairs."""
    sim = {(i, j): _similarity(old[i], new[j]) for i in rows for j in cols}
    n, m = len(rows), len(cols)
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for a in range(1, n + 1):
        for b in range(1, m + 1):
            pair = sim[rows[a - 1], cols[b - 1]]
            best[a][b] = max(best[a - 1][b - 1] + (pair if pair >= ALIKE else -1.0), best[a - 1][b], best[a][b - 1])
    pairs, a, b = {}, n, m
    while a and b:
        pair = sim[rows[a - 1], cols[b - 1]]
        if pair >= ALIKE and best[a][b] == best[a - 1][b - 1] + pair:
            pairs[rows[a - 1], cols[b - 1]] = pair
            a, b = a - 1, b - 1
        elif best[a][b] == best[a - 1][b]:
            a -= 1
        else:
            b -= 1
    return pairs


def _out_of_order(old: list[str], new: list[str], pairs: Pairs) -> Pairs:
    """Articles left over on both sides that are still alike: moved (best pairs first)."""
    left_old, left_new = unpaired(pairs, len(old), 0), unpaired(pairs, len(new), 1)
    scored = sorted(((_similarity(old[i], new[j]), i, j) for i in left_old for j in left_new), reverse=True)
    found: Pairs = {}
    used_old, used_new = set(), set()
    for score, i, j in scored:
        if score < ALIKE:
            break
        if i not in used_old and j not in used_new:
            found[i, j] = score
            used_old.add(i)
            used_new.add(j)
    return found


def _gap_fill(old: list[str], new: list[str], pairs: Pairs) -> Pairs:
    """Between two consecutive old articles paired in order (also inside a moved block), articles
    still unpaired on both sides that are each other's closest there (by a lower bar: a rewrite keeps
    less wording, 国有资产监督管理机构 → 履行出资人职责的机构) are one article rewritten."""
    taken_old, taken_new = {i for i, _ in pairs}, {j for _, j in pairs}
    found: Pairs = {}
    for (i0, j0), (i1, j1) in itertools.pairwise([(-1, -1), *sorted(pairs), (len(old), len(new))]):
        if j1 <= j0:
            continue  # consecutive old articles that went to places out of order: no gap between them
        rows = [i for i in range(i0 + 1, i1) if i not in taken_old]
        cols = [j for j in range(j0 + 1, j1) if j not in taken_new]
        if not rows or not cols or len(rows) * len(cols) > GAP_PAIRS:
            continue
        ratio = {(i, j): SequenceMatcher(None, old[i], new[j], autojunk=False).ratio() for i in rows for j in cols}
        for (i, j), score in ratio.items():
            best_i = max(ratio[i, k] for k in cols)
            best_j = max(ratio[k, j] for k in rows)
            if score >= REWRITTEN and score == best_i == best_j:
                found[i, j] = round(score, 3)
    return found


def _rewritten(old: list[str], new: list[str], pairs: Pairs) -> Pairs:
    """Articles left over on both sides, anywhere, that share most of their distinctive words (IDF
    over both editions) and a good part of their characters, each the other's best: one article
    rewritten and moved (原第九十三条 → 现第九十九条, 发起人 … 出资 … 连带责任)."""
    free_old, free_new = unpaired(pairs, len(old), 0), unpaired(pairs, len(new), 1)
    if not free_old or not free_new:
        return {}
    old_words, new_words = [set(tokenize(t)) for t in old], [set(tokenize(t)) for t in new]
    frequency = Counter(token for words in old_words + new_words for token in words)
    weight = {token: math.log((len(old) + len(new)) / count) for token, count in frequency.items()}

    def mass(words: set[str]) -> float:
        return sum(weight[t] for t in words)

    old_mass, new_mass = {i: mass(old_words[i]) for i in free_old}, {j: mass(new_words[j]) for j in free_new}
    scores: dict[tuple[int, int], tuple[float, float]] = {}  # (shared words, character ratio)
    for i in free_old:
        for j in free_new:
            shared = mass(old_words[i] & new_words[j]) / (min(old_mass[i], new_mass[j]) or 1.0)
            if shared >= SHARED_WORDS:
                ratio = SequenceMatcher(None, old[i], new[j], autojunk=False).ratio()
                if ratio >= REWRITTEN:
                    scores[i, j] = (shared, ratio)
    best_old: dict[int, float] = {}
    best_new: dict[int, float] = {}
    for (i, j), (shared, _) in scores.items():
        best_old[i], best_new[j] = max(best_old.get(i, 0.0), shared), max(best_new.get(j, 0.0), shared)
    return {
        (i, j): round(ratio, 3) for (i, j), (shared, ratio) in scores.items() if shared == best_old[i] == best_new[j]
    }


def _similarity(a: str, b: str) -> float:
    """2 × matched / total characters; an article that was expanded (or cut) keeps most of the shorter
    text in line, which counts as well (at three quarters, so a plain match ranks first). Below ALIKE
    the exact figure does not matter: 0."""
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    shorter = min(len(a), len(b))
    bound = matcher.quick_ratio()  # an upper bound of ratio(); the shared characters bound containment
    shared = bound * (len(a) + len(b)) / 2
    if bound < ALIKE and (shorter < CONTAINED_MIN or shared / max(shorter, 1) < CONTAINED_SHARE):
        return 0.0
    matched = sum(block.size for block in matcher.get_matching_blocks() if block.size >= 2)
    contained = matched / shorter if shorter >= CONTAINED_MIN else 0.0
    contained = contained * 0.75 if contained >= CONTAINED_SHARE else 0.0
    return round(max(matcher.ratio(), contained), 3)


def increasing(values: list[int]) -> set[int]:
    """Indexes of one longest increasing subsequence (the pairs that kept their order)."""
    tails: list[int] = []
    tail_index: list[int] = []
    previous = [-1] * len(values)
    for n, value in enumerate(values):
        at = bisect.bisect_left(tails, value)
        if at == len(tails):
            tails.append(value)
            tail_index.append(n)
        else:
            tails[at], tail_index[at] = value, n
        previous[n] = tail_index[at - 1] if at else -1
    keep, n = set(), tail_index[-1] if tail_index else -1
    while n >= 0:
        keep.add(n)
        n = previous[n]
    return keep
