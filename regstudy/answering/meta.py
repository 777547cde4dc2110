"""Questions about a document rather than its rules — 文号, dates, issuers, who forwarded it, 报送范围 —
answered from its non-article sections, quoting the lines that state the fact."""

from __future__ import annotations

import re
from dataclasses import dataclass

from regstudy.answering.unstated import asked_fact
from regstudy.records import ARTICLE, POINT, SECTION, Unit
from regstudy.text import to_chinese

DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,8}〔\d{4}〕\d+号")
DATE = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日")
_WHEN = r"(什么时候|啥时候|啥时|何时|哪天|哪一天|几月|日期|哪年|哪一年|时间|多久)"
_ACT = r"(印发|发布|出台|下发|施行|生效|实施|制定|颁布|转发)"
_WHO = r"(谁|哪[几些个]?个?(部门|单位|机关|机构)|什么(部门|单位|机关|机构))"
_PAPER = r"(意见|规定|文件|通知|条例|办法|准则|这份|这个文)"
# 谁发的 alone is also asked of rumours and posts: colloquial issuer questions must name a paper
_SAID_BY = rf"{_PAPER}.{{0,8}}{_WHO}.{{0,3}}(发|出|定|写)的|{_WHO}.{{0,3}}(发|出|定|写)的.{{0,6}}{_PAPER}"
_UNIT = r"(条|点|章|节|个?部分)"
_TOTAL = (  # asks for the size of the whole document, not for how many articles say something
    rf"(一共|总共|共|总计|全文|整个|分为|分成|分)(有)?(多少|几){_UNIT}"
    rf"|(规定|意见|条例|办法|准则|文件)(里|中)?(有|包括|包含)?(多少|几){_UNIT}[？?吗呢啊]*$"
)
INTENTS = (  # (intent, pattern on the normalised question), first match wins
    ("count", re.compile(_TOTAL)),
    ("number", re.compile(r"文号|发文字号|发文号|文件编号|文件号")),
    (
        "forwarding",
        re.compile(
            r"(哪个|哪些|哪|谁|什么)(省|地方|地区|单位|部门|机关)?.{0,5}转发|转发.{0,4}(单位|机关|部门|通知|省)"
        ),
    ),
    ("distribution", re.compile(r"报送范围|报送|抄送|发送范围|下发范围|发到哪|发给(哪些|谁)")),
    ("date", re.compile(rf"{_WHEN}.{{0,6}}{_ACT}|{_ACT}.{{0,6}}{_WHEN}|{_ACT}日期")),
    (
        "issuer",
        re.compile(
            rf"{_WHO}.{{0,6}}{_ACT}|{_ACT}.{{0,4}}(的)?(是谁|部门|单位|机关)|发文机关|发文单位|制定机关|印发机关|落款|{_SAID_BY}"
        ),
    ),
)

ASKED = {
    "count": "篇幅",
    "number": "文号",
    "forwarding": "转发情况",
    "distribution": "报送范围",
    "date": "日期",
    "issuer": "印发机关",
}


@dataclass(frozen=True)
class Evidence:
    """A line of a unit that states the fact asked for (a verbatim paragraph of the unit)."""

    unit: Unit
    line: str
    facts: tuple[str, ...]  # the fact(s) in the line: numbers, dates; empty when the line is the fact


def meta_intent(question: str) -> str | None:
    return next((intent for intent, pattern in INTENTS if pattern.search(question)), None)


ROLE_ORDER = ("印发通知", "印发机关和日期", "转发通知")  # the document's own issuance before forwarding


def find_evidence(intent: str, units: list[Unit]) -> list[Evidence]:
    """Evidence for `intent` within one document's units: each fact once, the document's own
    issuance first, then in document order."""
    evidence = _all_evidence(intent, units)
    evidence.sort(key=lambda e: ROLE_ORDER.index(e.unit.label) if e.unit.label in ROLE_ORDER else len(ROLE_ORDER))
    seen: set[str] = set()
    kept = []
    for item in evidence:
        if item.facts and set(item.facts) <= seen:
            continue
        seen.update(item.facts)
        kept.append(item)
    return kept


@dataclass(frozen=True)
class Structure:
    """How a document is divided: its top-level chapters and its numbered articles or points."""

    chapters: tuple[str, ...]
    numbered: tuple[Unit, ...]

    @property
    def by_points(self) -> bool:
        return bool(self.numbered) and all(u.kind == POINT for u in self.numbered)


def structure(units: list[Unit]) -> Structure:
    numbered = tuple(u for u in units if u.kind in (ARTICLE, POINT))
    chapters = tuple(dict.fromkeys(u.chapter_path[0] for u in numbered if u.chapter_path))
    return Structure(chapters, numbered)


def undated(intent: str, evidence: list[Evidence], question: str) -> bool:
    """A calendar date asked for (哪一年哪一天印发) where the document states none: its 施行 article
    (自发布之日起施行) says when it took effect, not on what date."""
    asked = asked_fact(question)
    calendar = asked is not None and asked.name == "日期"
    return intent == "date" and calendar and not any(DATE.search(e.line) for e in evidence)


def _all_evidence(intent: str, units: list[Unit]) -> list[Evidence]:
    sections = [u for u in units if u.kind == SECTION]
    if intent == "number":
        return _matching_lines(sections, DOC_NUMBER)
    if intent == "date":
        dated = _matching_lines(sections, DATE)
        return dated or _matching_lines([u for u in units if u.kind != SECTION], re.compile(r"施行|生效"))
    if intent == "forwarding":
        return _lines(sections, lambda u, line: "转发" in line and line.endswith("通知")) + _matching_lines(
            [u for u in sections if "转发" in u.label], DOC_NUMBER
        )
    if intent == "distribution":
        return [Evidence(u, line, ()) for u in sections if u.label == "报送范围" for line in u.paragraphs]
    return _issuers(sections)


def _issuers(sections: list[Unit]) -> list[Evidence]:
    """The issuing notice's letterhead (the lines above its 文号) and the imprint's issuing office."""
    found = []
    for unit in (u for u in sections if u.label == "印发通知"):
        for line in unit.paragraphs:
            if DOC_NUMBER.search(line):
                break
            found.append(Evidence(unit, line, ()))
    imprint = [u for u in sections if u.label == "印发机关和日期"]
    return found + [Evidence(u, line, ()) for u in imprint for line in u.paragraphs if not DATE.search(line)]


def _matching_lines(units: list[Unit], pattern: re.Pattern[str]) -> list[Evidence]:
    found = []
    for unit in units:
        for line in unit.paragraphs:
            facts = tuple(dict.fromkeys(pattern.findall(line) if pattern.groups == 0 else ()))
            if pattern.search(line):
                found.append(Evidence(unit, line, facts))
    return found


def _lines(units: list[Unit], keep) -> list[Evidence]:
    return [Evidence(u, line, ()) for u in units for line in u.paragraphs if keep(u, line)]


def grouped(evidence: list[Evidence]) -> list[dict]:
    """Consecutive evidence lines from the same unit, as one quoted block."""
    groups: list[dict] = []
    for item in evidence:
        if groups and groups[-1]["id"] == item.unit.id:
            groups[-1]["lines"].append(item.line)
            groups[-1]["facts"] += [f for f in item.facts if f not in groups[-1]["facts"]]
        else:
            groups.append(
                {"id": item.unit.id, "label": item.unit.label, "lines": [item.line], "facts": list(item.facts)}
            )
    return groups


def count_view(title: str, shape: Structure) -> dict:
    """What the count template states about one document."""
    first, last = shape.numbered[0], shape.numbered[-1]
    return {
        "title": title,
        "chapters": list(shape.chapters),
        "chapter_count": to_chinese(len(shape.chapters)),
        "count": to_chinese(len(shape.numbered)),
        "noun": "点" if shape.by_points else "条",
        "first": first.marker or first.label,
        "last": last.marker or last.label,
    }
