"""Changes of meaning in misquotes, on the real texts: every sentence of every article with a modal
word, a negation, a subject or a list item flipped must be reported as that kind of change; the same
sentences with wording or punctuation changed must not. Then the trainer cases of
eval/fresh-checker.jsonl and the planted changes of eval/fresh-flips.jsonl (regression data: both sets
were scored once before any change they prompted)."""

from __future__ import annotations

import json
import re

import pytest
from conftest import EVAL

from regstudy.composition import open_checker
from regstudy.study.citations.checker import CitationChecker
from regstudy.study.citations.findings import Finding

SHORT = {"党员网络行为规定": "规定", "关于规范党员干部网络行为的意见": "意见"}
# (kind, pattern, replacement): one change in an otherwise verbatim sentence
FLIPS = [
    ("modality", "不得", "可以"),
    ("modality", "应当", "可以"),
    ("modality", "鼓励", "要求"),
    ("modality", "不准", "可以"),
    ("negation", "应当", "应当不"),
    ("negation", "非法", "合法"),
    ("negation", "不得", "得"),
    ("subject", "党员干部", "党员"),
    ("subject", "党员(?!干部)", "党员干部"),
    ("subject", "党支部", "党组织"),
    ("list", "网络借贷、", ""),
    ("list", "、复制", ""),
    ("list", "直播带货", "直播带货、网络游戏"),
    ("number", "四项", "三项"),
]
WORDING = [("、", "，"), ("的", ""), ("网络", "网上"), ("积极", "主动"), ("加强", "强化"), ("及时", "立即")]


@pytest.fixture(scope="module")
def checker(corpus_settings, corpus_kb) -> CitationChecker:
    return open_checker(corpus_settings, corpus_kb)


def _sentences(checker: CitationChecker):
    for unit in checker.units:
        if unit.kind != "section":
            for sentence in re.split(r"(?<=[。；])", unit.text.replace("\n", "")):
                if len(sentence) > 12:
                    yield unit, sentence


def _only(checker: CitationChecker, text: str) -> Finding:
    findings = checker.check(text)
    assert len(findings) == 1, text
    return findings[0]


def test_every_planted_flip_on_the_real_texts_is_a_change_of_meaning(checker) -> None:
    tried = 0
    for kind, pattern, replacement in FLIPS:
        for unit, sentence in _sentences(checker):
            quote = re.sub(pattern, replacement, sentence, count=1)
            if quote == sentence:
                continue
            finding = _only(checker, f"{unit.citation}：“{quote}”")
            kinds = {c.kind for c in finding.meaning_changes}
            assert finding.verdict == "differs" and kind in kinds, (unit.citation, quote, kinds)
            assert finding.substantive and "有实质出入" in finding.note
            tried += 1
    assert tried > 100


def test_wording_and_punctuation_changes_are_not_changes_of_meaning(checker) -> None:
    tried = 0
    for old, new in WORDING:
        for unit, sentence in _sentences(checker):
            if old not in sentence:
                continue
            finding = _only(checker, f"{unit.citation}：“{sentence.replace(old, new, 1)}”")
            assert finding.verdict in ("differs", "exact") and not finding.meaning_changes, (sentence, old, new)
            tried += 1
    assert tried > 100


def test_a_change_of_meaning_names_both_wordings(checker) -> None:
    finding = _only(checker, "《党员网络行为规定》第十一条：“党员可以通过网络制造、散布、传播政治谣言。”")
    change = finding.meaning_changes[0]
    assert change.kind == "modality" and "不得" in change.article and "可以" in change.quote
    assert finding.to_json()["meaning_changes"][0] == {
        "kind": "modality",
        "article": change.article,
        "quote": change.quote,
    }


def test_an_abridgement_that_leaves_out_the_modal_word_changes_the_meaning(checker) -> None:
    finding = _only(checker, "《党员网络行为规定》第十一条：“党员……通过网络制造、散布、传播政治谣言。”")
    assert finding.verdict == "differs" and [c.kind for c in finding.meaning_changes] == ["modality"]
    kept = _only(checker, "《党员网络行为规定》第十一条：“党员不得通过网络制造……政治谣言。”")
    assert kept.verdict == "exact" and kept.omitted == ("、散布、传播",)


def test_a_short_misquote_of_the_claimed_article_differs(checker) -> None:
    finding = _only(checker, "《党员网络行为规定》第二十六条：本规定自2025年1月1日起施行。")
    assert finding.verdict == "differs" and finding.found[0].article == 26
    assert [c.kind for c in finding.meaning_changes] == ["number"]


def _place(finding: Finding) -> list | None:
    unit = finding.found[0] if finding.found else None
    return [SHORT.get(unit.document, unit.document), unit.article] if unit else None


def test_the_trainer_cases(checker) -> None:
    wrong = []
    for line in (EVAL / "fresh-checker.jsonl").read_text(encoding="utf-8").splitlines():
        case = json.loads(line)
        expected = case.get("findings") or [case]
        got = checker.check(case["text"])
        ok = len(got) == len(expected)
        for want, finding in zip(expected, got, strict=False):
            ok = ok and finding.verdict == want["verdict"]
            if want["verdict"] in ("exact", "misattributed", "differs"):
                ok = ok and _place(finding) == want["found"]
            if want["verdict"] == "differs" and want.get("meaning_changes") is not None:
                kinds = {c.kind for c in finding.meaning_changes}
                ok = ok and set(want["meaning_changes"]) <= kinds and bool(want["meaning_changes"]) == bool(kinds)
        if not ok:
            wrong.append((case["id"], [(f.verdict, _place(f)) for f in got]))
    assert not wrong


def test_the_planted_changes(checker) -> None:
    titles = {"规定": "党员网络行为规定", "意见": "关于规范党员干部网络行为的意见"}
    missed, false = [], []
    for line in (EVAL / "fresh-flips.jsonl").read_text(encoding="utf-8").splitlines():
        case = json.loads(line)
        unit = next(
            u
            for u in checker.units
            if u.document == titles[case["document"]] and u.article == case["article"] and u.kind != "section"
        )
        kinds = {c.kind for f in checker.check(f"{unit.citation}：“{case['quote']}”") for c in f.meaning_changes}
        if case["meaning"] and case["change"] not in kinds:
            missed.append(case["id"])
        if not case["meaning"] and kinds:
            false.append(case["id"])
    assert not missed and not false
