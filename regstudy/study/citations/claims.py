"""Reading citations out of free text: which words a handout presents as a regulation's text, and
which document and article it says they come from.

Forms: 《X》第N条：“…” · 《X》第N条规定，… · 根据《X》第N条，… · “…”（《X》第N条） · ……。（《X》第N条）
· 第N条 … at the start of a line · 《X》指出：“…” · a bare “…” with no reference (long enough to be a
passage rather than a term). A document named only as 规定/意见 counts only right before 第N条; an
article without a document takes the document the text last named in full.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace

from regstudy.errors import CheckRequestError
from regstudy.kb.addressing import document_mentions
from regstudy.records import DocumentInfo
from regstudy.study.citations.references import ARTICLE, Group, article_groups
from regstudy.study.citations.spans import (
    cell_after,
    ending_at,
    inside,
    line_after,
    overlaps,
    quoted_spans,
    sentence_after,
    sentence_before,
    sentences_following,
    sentences_preceding,
    starting_between,
)
from regstudy.text import NUM

TITLE = re.compile(r"《([^《》\n]{2,60})》")
# Between a document's name and its 第N条: nothing, 的, 中, or a chapter / section.
BINDING_GAP = re.compile(
    rf"^\s*(?:文件|通知)?(?:的|中的|中|里的)?\s*(?:第\s*{NUM}\s*[章节编](?:\s*第\s*{NUM}\s*节)?)?\s*(?:的)?\s*$"
)
INTRO = re.compile(
    r"(?P<lead>[ \t\u3000]*)(?:[。，,；]?\s*(?:其|该条的?)?原文(?:为|是|如下)?)?(?:的)?"
    r"(?:序言|前言|开篇|开头|总则|附则)?(?:中|里)?(?:明确|也|还|即|就|便|又|进一步|专门|特别|同样|开宗明义地?)?"
    r"(?P<verb>规定|指出|强调|要求|提出|写道|写到|提到|载明|写明|表述为|明确|讲|说|将|把)?[ \t\u3000]*"
    r"(?P<sep>[：:，,]|——|—)?[ \t\u3000]*"
)
# 根据 / 按照 … governs the reference that ends its clause (按照豫宣通〔2017〕70号转发的意见第十二点，…)
GOVERNING = re.compile(r"(?:根据|依据|按照|依照|遵照|据)[^。；，,：:\n“”]{0,30}$")
PAREN_HEAD = re.compile(r"[（(]\s*(?:见|参见|详见|出自|摘自|引自|来源[：:]?)?\s*$|——\s*$|—\s*$")
PAREN_TAIL = re.compile(r"^\s*(?:的规定|规定)?\s*[）)]|^\s*(?:$|[。；\n])")
SUBJECT = 8  # characters allowed between 规定/要求 and the opening quote (党员干部要)
CJK = re.compile(r"[\u4e00-\u9fff]")
MIN_BARE_QUOTE = 8  # characters: shorter quoted words are terms (“两个确立”), not passages


@dataclass(frozen=True)
class Target:
    """Where the text says a quote comes from."""

    doc_id: str | None  # None when the document is not in the knowledge base (or not named)
    title: str | None  # the title as written, for a document not in the knowledge base
    articles: tuple[tuple[int, int], ...]  # (number, 之N); empty: the document as a whole
    implicit: bool = False  # the document was not named next to the reference but inferred


@dataclass(frozen=True)
class Claim:
    """One citation: the quoted words (as written) and what they are attributed to."""

    start: int
    end: int
    quote: str
    target: Target | None
    marked: bool  # inside quotation marks; otherwise a sentence read as the quote
    more: tuple[tuple[int, int], ...] = ()  # sentences that may continue an unmarked quote
    reference: tuple[int, int] | None = None  # where the text writes the location: 《规定》第十条 / 第十条
    named: bool = False  # the reference span starts with the document's name


@dataclass(frozen=True)
class _Mention:
    start: int
    end: int
    doc_id: str | None
    title: str
    strong: bool  # a full title or 《alias》, not a bare 规定 that may be an ordinary word


MAX_TEXT = 500_000  # characters per check: some 250 pages, far beyond a handout
MAX_REFERENCES = 2_000  # quotes, 第N条 and 《titles》 per check: a long handout has a few hundred


def check_size(text: str) -> None:
    """Refuse, before any work, a text too long or too dense with references to check at once."""
    if not text or not text.strip():
        raise CheckRequestError("请粘贴要核查的文字，或上传讲稿文件。")
    if len(text) > MAX_TEXT:
        raise CheckRequestError(f"文字过长（{len(text)} 字），一次最多核查 {MAX_TEXT} 字，请分段核查。")
    if (count := reference_count(text)) > MAX_REFERENCES:
        raise CheckRequestError(f"引文和条号过多（{count} 处），一次最多 {MAX_REFERENCES} 处，请分段核查。")


def reference_count(text: str) -> int:
    """Quotes, article numbers and 《titles》 in the text: a cheap upper bound on its citations."""
    return len(quoted_spans(text)) + sum(1 for _ in ARTICLE.finditer(text)) + sum(1 for _ in TITLE.finditer(text))


def find_claims(text: str, documents: list[DocumentInfo]) -> list[Claim]:
    """Every citation in the text, in text order."""
    quotes = quoted_spans(text)
    mentions = _mentions(text, documents, quotes)
    strong = [m for m in mentions if m.strong]
    claims, used = [], set()
    for group in article_groups(text, quotes):
        mention = _bound(text, mentions, group.start)
        if group.marker and mention is None:
            continue
        target = _target(mention, group.articles) if mention else _implicit(strong, group)
        head = mention.start if mention else group.start
        claim = _claim_for(text, quotes, head, group.end, target)
        claim = claim or Claim(group.start, group.end, "", target, False)  # still checked: does it exist?
        claim = replace(claim, reference=(head, group.end), named=mention is not None)
        if (claim.start, claim.end) not in used:
            used.add((claim.start, claim.end))
            claims.append(claim)
    for mention in (m for m in mentions if m.strong and not _starts_group(text, m.end)):
        claim = _claim_for(text, quotes, mention.start, mention.end, _target(mention, ()), quoted_only=True)
        claim = replace(claim, reference=(mention.start, mention.end), named=True) if claim else None
        if claim is not None and (claim.start, claim.end) not in used:
            used.add((claim.start, claim.end))
            claims.append(claim)
    for span in (s for s in quotes if s not in used):
        inner = _inner(text, span, documents) if ARTICLE.search(text, span[0], span[1]) else []
        claims += inner or ([_bare(text, span)] if _is_passage(text[span[0] : span[1]]) else [])
    return sorted(claims, key=lambda c: c.start)


def _inner(text: str, span: tuple[int, int], documents: list[DocumentInfo]) -> list[Claim]:
    """Citations made inside a quotation (主讲人强调：“《规定》第三条要求党员‘……’”): the speaker's
    words are not the citation, the citation they make is."""
    offset = span[0]
    found = find_claims(text[span[0] : span[1]], documents)
    return [
        replace(
            c, start=c.start + offset, end=c.end + offset,
            more=tuple((s + offset, e + offset) for s, e in c.more),
            reference=(c.reference[0] + offset, c.reference[1] + offset) if c.reference else None,
        )
        for c in found
        if c.target is not None and (c.target.doc_id or c.target.title) and not c.target.implicit
    ]  # fmt: skip


def _mentions(text: str, documents: list[DocumentInfo], quotes: list[tuple[int, int]]) -> list[_Mention]:
    """Documents named outside quotes: every 《title》 (known by title or alias, or not in the
    knowledge base), then unbracketed names and aliases."""
    in_force_last = sorted(documents, key=lambda d: d.status != "superseded")  # editions share their names
    names = {name.strip("《》"): d.id for d in in_force_last for name in d.names()}
    names |= {d.title.removeprefix("中华人民共和国"): d.id for d in in_force_last}  # 《监察法》, 《刑法》
    found = [
        _Mention(m.start(), m.end(), names.get(m.group(1)), m.group(1), True)
        for m in TITLE.finditer(text)
        if not inside(m.start(), quotes)
    ]
    taken = [(m.start, m.end) for m in found]
    for s, e, doc_id in document_mentions(text, documents):
        if not inside(s, quotes) and not overlaps(taken, s, e):
            found.append(_Mention(s, e, doc_id, text[s:e], e - s > 2))
            bisect.insort(taken, (s, e))
    return sorted(found, key=lambda m: m.start)


def _last_before(mentions: list[_Mention], pos: int) -> _Mention | None:
    """The last mention ending at or before pos (mentions are disjoint and in order: bisect, not a scan)."""
    n = bisect.bisect_right(mentions, pos, key=lambda m: m.end)
    return mentions[n - 1] if n else None


def _bound(text: str, mentions: list[_Mention], start: int) -> _Mention | None:
    """The document named right before a reference (《规定》第十条, 规定的第十条, 《规定》第三章第十条)."""
    last = _last_before(mentions, start)
    if last is not None and BINDING_GAP.match(text[last.end : start]):
        return last
    return None


def _starts_group(text: str, pos: int) -> bool:
    return bool(BINDING_GAP.match(text[pos : pos + 12].split("第", 1)[0])) and "第" in text[pos : pos + 12]


def _target(mention: _Mention, articles: tuple[tuple[int, int], ...]) -> Target:
    return Target(mention.doc_id, None if mention.doc_id else mention.title, articles)


def _implicit(strong: list[_Mention], group: Group) -> Target:
    """An article with no document next to it: the document last named in full before it."""
    named = _last_before(strong, group.start)
    if named is not None and named.doc_id is None:
        return Target(None, named.title, group.articles, implicit=True)
    return Target(named.doc_id if named else None, None, group.articles, implicit=True)


def _claim_for(
    text: str, quotes: list[tuple[int, int]], head: int, tail: int, target: Target, quoted_only: bool = False
) -> Claim | None:
    """The quote that goes with a reference spanning text[head:tail], read after it or before it."""
    intro = INTRO.match(text, tail)
    assert intro is not None  # every part of INTRO is optional: it always matches
    pos, verb = intro.end(), intro.group("verb")
    sep = intro.group("sep") or (" " if intro.group("lead") else "")
    sep = "：" if sep.startswith("—") else sep  # 第十八条——领导干部不得…
    opened = next(starting_between(quotes, pos + 1, pos + 1), None)
    if opened is None and verb:  # 第六条要求党员“……”: a short subject between the verb and the quote
        near = starting_between(quotes, pos + 1, pos + 1 + SUBJECT)
        opened = next((s for s in near if _plain(text[pos : s[0] - 1])), None)
    if opened:
        return Claim(opened[0], opened[1], text[opened[0] : opened[1]], target, True)
    if (paren := PAREN_HEAD.search(text[max(0, head - 8) : head])) and PAREN_TAIL.match(text[tail:]):
        return _claim_before(text, quotes, head - len(paren[0]), target)
    if quoted_only and sep not in ("：", ":"):
        return None
    if span := cell_after(text, tail) or line_after(text, pos):  # a table row, a slide's bullets
        return _quoted_in(text, quotes, *span, target) or Claim(*span, text[span[0] : span[1]], target, False)
    governed = bool(GOVERNING.search(text[max(0, head - 36) : head]))
    heading = not text[:head].rsplit("\n", 1)[-1].strip() and not verb and sep == " "  # 第十一条 党员不得…
    if sep and (sep in "：:" or (sep in "，," and (verb or governed)) or heading):
        start, end = sentence_after(text, pos)
        if end > start and not ARTICLE.match(text, start):
            quoted = _quoted_in(text, quotes, start, end, target)
            return quoted or Claim(start, end, text[start:end], target, False, tuple(sentences_following(text, end)))
    return None


def _quoted_in(text: str, quotes: list[tuple[int, int]], start: int, end: int, target: Target) -> Claim | None:
    """A passage in quotation marks inside the sentence read as the quote (党员干部不准“妄议……”):
    the marked words are what the text cites."""
    within = starting_between(quotes, start, end)
    inner = next((q for q in within if q[1] <= end and _is_passage(text[q[0] : q[1]])), None)
    return Claim(inner[0], inner[1], text[inner[0] : inner[1]], target, True) if inner else None


def _claim_before(text: str, quotes: list[tuple[int, int]], pos: int, target: Target) -> Claim | None:
    """The quote right before a (《X》第N条) or ——《X》第N条: the quoted words or the sentence."""
    end = pos
    while end > 0 and text[end - 1] in " \t\u3000。，；":
        end -= 1
    closed = ending_at(quotes, end - 1)
    if closed:
        return Claim(closed[0], closed[1], text[closed[0] : closed[1]], target, True)
    start, end = sentence_before(text, pos)
    if end <= start:
        return None
    if quoted := _quoted_in(text, quotes, start, end, target):
        return quoted
    return Claim(start, end, text[start:end], target, False, tuple(sentences_preceding(text, start)))


def _plain(between: str) -> bool:
    return not re.search(r"[。！？；;\n《第]", between)


def _bare(text: str, span: tuple[int, int]) -> Claim:
    return Claim(span[0], span[1], text[span[0] : span[1]], None, True)


def _is_passage(quote: str) -> bool:
    """Long enough to be a passage, and Chinese: "…" around code or English is not a citation."""
    return len(CJK.findall(quote)) >= MIN_BARE_QUOTE
