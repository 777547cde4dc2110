"""Citation checker on the frozen trainer sets (prints figures; not a test).

    .venv/bin/python benchmarks/bench_checker_sets.py [--set eval/fresh-checker.jsonl] [--flips eval/fresh-flips.jsonl]

1. Trainer cases (`eval/fresh-checker.jsonl` format): per verdict, how many citations got the right
   verdict and place; for `differs`, whether the meaning-change kinds expected were all reported (and
   none for a change of wording only). Every miss is printed.
2. Planted changes (`eval/fresh-flips.jsonl` format): per kind, how many meaning changes were reported
   as that kind, and how many wording or punctuation changes were (wrongly) reported as any.

The two documents are ingested into a temporary folder (lexical only: the checker needs no model).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ingest.pipeline import Ingestor
from regstudy.composition import open_checker
from regstudy.settings import REPO_ROOT, load_settings
from regstudy.study.citations.checker import CitationChecker
from regstudy.study.citations.findings import Finding

SHORT = {"党员网络行为规定": "规定", "关于规范党员干部网络行为的意见": "意见"}
TITLES = {short: title for title, short in SHORT.items()}


def place(finding: Finding) -> list | None:
    unit = finding.found[0] if finding.found else None
    return [SHORT.get(unit.document, unit.document), unit.article] if unit else None


def trainer_cases(checker: CitationChecker, path: Path) -> None:
    right, total, misses = Counter(), Counter(), []
    for line in path.read_text(encoding="utf-8").splitlines():
        case = json.loads(line)
        expected = case.get("findings") or [case]
        got = checker.check(case["text"])
        if len(got) != len(expected):
            misses.append(f"{case['id']}: {len(got)} citations found, {len(expected)} expected")
        for want, finding in zip(expected, got, strict=False):
            total[want["verdict"]] += 1
            ok = finding.verdict == want["verdict"]
            if want["verdict"] in ("exact", "misattributed", "differs"):
                ok = ok and place(finding) == want["found"]
            kinds = {c.kind for c in finding.meaning_changes}
            if want["verdict"] == "differs" and want.get("meaning_changes") is not None:
                ok = ok and set(want["meaning_changes"]) <= kinds and bool(want["meaning_changes"]) == bool(kinds)
            right[want["verdict"]] += ok
            if not ok:
                misses.append(f"{case['id']}: want {want['verdict']} {want.get('found')}, got {finding.verdict} "
                              f"{place(finding)} {sorted(kinds)}")  # fmt: skip
    print(f"trainer cases ({path.name}): {sum(right.values())}/{sum(total.values())} citations right")
    for verdict in total:
        print(f"  {verdict:16} {right[verdict]}/{total[verdict]}")
    for miss in misses:
        print("  MISS", miss)


def planted(checker: CitationChecker, path: Path) -> None:
    found, total, false, wording, misses = Counter(), Counter(), 0, 0, []
    for line in path.read_text(encoding="utf-8").splitlines():
        case = json.loads(line)
        unit = next(
            u
            for u in checker.units
            if u.document == TITLES[case["document"]] and u.article == case["article"] and u.kind != "section"
        )
        kinds = {c.kind for f in checker.check(f"{unit.citation}：“{case['quote']}”") for c in f.meaning_changes}
        if case["meaning"]:
            total[case["change"]] += 1
            found[case["change"]] += case["change"] in kinds
            if case["change"] not in kinds:
                misses.append(f"{case['id']} missed {case['change']}: {case['note']}")
        else:
            wording += 1
            false += bool(kinds)
            if kinds:
                misses.append(f"{case['id']} wording reported as {sorted(kinds)}: {case['note']}")
    print(f"planted changes ({path.name}): {sum(found.values())}/{sum(total.values())} meaning changes reported; "
          f"{false}/{wording} wording changes reported as meaning")  # fmt: skip
    for kind in total:
        print(f"  {kind:12} {found[kind]}/{total[kind]}")
    for miss in misses:
        print("  MISS", miss)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", type=Path, default=REPO_ROOT / "eval" / "fresh-checker.jsonl")
    parser.add_argument("--flips", type=Path, default=REPO_ROOT / "eval" / "fresh-flips.jsonl")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        settings = load_settings(data_dir=Path(folder), embedding_model="none")
        Ingestor(settings).run()
        checker = open_checker(settings)
        trainer_cases(checker, args.set)
        planted(checker, args.flips)


if __name__ == "__main__":
    main()
