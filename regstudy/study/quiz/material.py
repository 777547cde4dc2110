"""Quiz material mined from article text. Every piece is a verbatim span of its article with its
offset: statements (self-contained sentences or leading clauses), norms (subject + 应当/不得 + what
follows), enumerations (the items of 、 and ； lists) and blankable phrases."""

from __future__ import annotations

import re
from dataclasses import dataclass

from regstudy.records import ARTICLE, POINT, Unit

SUBJECTS = ("各级党组织", "党员领导干部", "党员干部", "党支部", "党员")
NEGATIVE, POSITIVE, NEUTRAL = "neg", "pos", "neutral"
MODALS = {"不得": NEGATIVE, "不准": NEGATIVE, "严禁": NEGATIVE, "应当": POSITIVE, "必须": POSITIVE, "要": POSITIVE}
MODAL = re.compile("|".join(MODALS))
NEGATIVE_CUES = ("不得", "不准", "严禁", "禁止", "抵制", "不良")
POSITIVE_CUES = ("应当", "必须", "要", "鼓励")
OPENERS = ("对", "在", "按照", "根据", "作为", "以", "或者", "以及", "和", "并")  # a clause opening so is not a duty
ADVERBIAL_END = re.compile(r"(通过|利用|在)\w{0,4}$")  # 积极通过网络 is a fragment, not a duty
ACTION_MAX = 56
STATEMENT_MIN, STATEMENT_MAX = 10, 90
CONTEXT_MIN, CONTEXT_MAX = 15, 140
ITEM_MAX = 14  # a 、-list item longer than this is not a list item but a clause
HEAD_MIN, HEAD_MAX = 4, 12  # 等活动 names too little to ask about; a long tail is no name at all


@dataclass(frozen=True)
class Piece:
    """A verbatim span of a unit's text."""

    unit: Unit
    start: int
    text: str

    @property
    def end(self) -> int:
        return self.start + len(self.text)


@dataclass(frozen=True)
class Norm:
    """`subject` + `modal` + `action` in one article: 党支部 应当 开展……常态化教育."""

    unit: Unit
    subject: str
    modal: str
    lead: str  # the stem's lead: the verbatim sentence start up to the modal, or subject + modal
    action: Piece
    duties: tuple[Piece, ...]  # every clause the modal governs (for 多选), empty if not a clean list

    @property
    def polarity(self) -> str:
        return MODALS[self.modal]


@dataclass(frozen=True)
class Enumeration:
    """The items of a list in an article. `items` are the ones whose boundaries are certain; `head`
    names what they are (等不良网络现象 → 不良网络现象; 以下网络活动 → 网络活动)."""

    unit: Unit
    items: tuple[Piece, ...]
    first: Piece | None  # the first item, when its boundary could only be guessed
    head: str
    lead: str  # text before the list in its sentence, for stems like 党员干部不准参与以下网络传播行为
    polarity: str
    semicolon: bool


def is_named(listed: Enumeration) -> bool:
    """Whether a stem can name what the list is of: 等不良网络现象, 以下网络活动."""
    return "以下" in listed.lead if listed.semicolon else len(listed.head) >= HEAD_MIN


def quiz_units(units: list[Unit]) -> list[Unit]:
    """The articles and numbered points (notices and signature blocks are not quiz material)."""
    return [u for u in units if u.kind in (ARTICLE, POINT)]


def pieces(unit: Unit, separators: str, within: Piece | None = None) -> list[Piece]:
    """`within` (default: the whole text) cut after each separator; separators stay with the piece
    before them, surrounding whitespace is dropped."""
    base = within or Piece(unit, 0, unit.text)
    found, start = [], 0
    for match in re.finditer(f"[{separators}]", base.text):
        found.append((start, match.end()))
        start = match.end()
    found.append((start, len(base.text)))
    result = []
    for a, b in found:
        chunk = base.text[a:b]
        stripped = chunk.strip()
        if stripped.strip(separators):
            result.append(Piece(unit, base.start + a + chunk.index(stripped), stripped))
    return result


def bare(piece: Piece, marks: str = "，。；：、") -> Piece:
    """The piece without its trailing punctuation."""
    text = piece.text.rstrip(marks)
    return Piece(piece.unit, piece.start, text)


def sentences(unit: Unit) -> list[Piece]:
    return pieces(unit, "。\n")


def subject_of(text: str) -> str | None:
    return next((s for s in SUBJECTS if text.startswith(s)), None)


def statements(unit: Unit) -> list[Piece]:
    """Self-contained verbatim statements: whole sentences of a sensible length, ；-pieces that name
    their subject, and the leading clauses of long sentences that start with their subject."""
    found = []
    for sentence in sentences(unit):
        text = sentence.text
        if "以下" in text:
            continue
        if STATEMENT_MIN <= len(text) <= STATEMENT_MAX and not text.startswith(OPENERS + tuple(MODALS)):
            found.append(sentence)
            continue
        parts = pieces(unit, "；", sentence)
        found += [p for p in parts[1:] if subject_of(p.text) and STATEMENT_MIN <= len(p.text) <= STATEMENT_MAX]
        if subject_of(text):
            found += _leading_clauses(unit, sentence)
    return found


def _leading_clauses(unit: Unit, sentence: Piece) -> list[Piece]:
    clauses = pieces(unit, "，；：", sentence)
    best = None
    for clause in clauses:
        span = Piece(unit, sentence.start, unit.text[sentence.start : clause.end])
        if len(span.text) > STATEMENT_MAX or "：" in span.text:
            break
        if not span.text.rstrip("，；：").endswith("的"):
            best = span
    if best is None or len(best.text) < STATEMENT_MIN or best.end >= sentence.end:
        return []
    return [bare(best)]


def norms(unit: Unit) -> list[Norm]:
    """Every 应当/不得 an article states for a named subject (inherited by later clauses that begin
    with a modal: 党员不得……，不得……)."""
    found: list[Norm] = []
    for sentence in sentences(unit):
        subject = subject_of(sentence.text)
        if subject is None:
            continue
        for clause in pieces(unit, "，；：", sentence):
            modal = _modal_at(sentence, clause, subject)
            if modal is None:
                continue
            start = clause.start + clause.text.index(modal) + len(modal)
            governed = _governed(unit, sentence, start)
            action = _action(unit, start, governed)
            if action is None or "以下" in action.text:
                continue
            lead = unit.text[sentence.start : start]
            duties = tuple(governed) if _clean_duties(governed) else ()
            found.append(Norm(unit, subject, modal, lead, action, duties))
    return found


def _governed(unit: Unit, sentence: Piece, start: int) -> list[Piece]:
    """The clauses a modal governs: up to the next clause that opens with its own modal."""
    rest = Piece(unit, start, unit.text[start : sentence.end])
    governed: list[Piece] = []
    for clause in (bare(c) for c in pieces(unit, "，；", rest)):
        if governed and MODAL.match(clause.text):
            break
        governed.append(clause)
    return governed


def _action(unit: Unit, start: int, governed: list[Piece]) -> Piece | None:
    """What the modal requires or forbids: all it governs when short enough to be an option, else
    its first clause that stands on its own."""
    if not governed:
        return None
    whole = Piece(unit, start, unit.text[start : governed[-1].end])
    if len(whole.text) <= ACTION_MAX:
        return whole
    return next((c for c in governed if len(c.text) >= 6 and not ADVERBIAL_END.search(c.text)), None)


def _clean_duties(duties: list[Piece]) -> bool:
    """Whether the governed clauses read as a list of separate short duties (for 多选)."""
    return len(duties) >= 3 and all(
        4 <= len(d.text) <= 30 and not d.text.startswith(OPENERS) and not ADVERBIAL_END.search(d.text) for d in duties
    )


def _modal_at(sentence: Piece, clause: Piece, subject: str) -> str | None:
    """The modal that opens this clause's duty: right after the subject (within a few characters) in
    the first clause, at the very start of a later one, or after a 的-condition."""
    first = clause.start == sentence.start
    head = clause.text[len(subject) : len(subject) + 12] if first else clause.text[:2]
    match = MODAL.search(head)
    if match is None or (first and "，" in head[: match.start()]):
        return None
    if not first and match.start() != 0:
        return None
    return match.group(0)


def polarity(context: str) -> str:
    cues = [(context.rfind(c), NEGATIVE) for c in NEGATIVE_CUES]
    cues += [(context.rfind(c), POSITIVE) for c in POSITIVE_CUES]
    position, polarity = max(cues)
    return polarity if position >= 0 else NEUTRAL


def context_of(piece: Piece) -> Piece:
    """The stretch around a span for a 填空 stem: its sentence; in a long sentence, its ；-piece, or
    the sentence up to the end of the span's clause (so the subject stays)."""
    sentence = next(s for s in sentences(piece.unit) if s.start <= piece.start < s.end)
    if len(sentence.text) <= CONTEXT_MAX:
        return sentence
    part = next(p for p in pieces(piece.unit, "；", sentence) if p.start <= piece.start < p.end)
    if CONTEXT_MIN <= len(part.text) <= CONTEXT_MAX and part.start > sentence.start:
        return bare(part)
    clause = next(c for c in pieces(piece.unit, "，；：", sentence) if c.start <= piece.start < c.end)
    leading = bare(Piece(piece.unit, sentence.start, piece.unit.text[sentence.start : clause.end]))
    return leading if len(leading.text) <= CONTEXT_MAX else bare(clause)
