"""Citation-checker benchmark: prints speed on a 20-page handout and verdict accuracy on cases made
from the corpus itself (not a test).

Usage (from the repository root):

    .venv/bin/python benchmarks/bench_check.py [--pages 20] [--large ../shared/corpus-large --articles 5000]

1. The two-document KB (corpus/ ingested, lexical only, into a temporary data dir): checker open
   time; a handout of N pages (the sample handout tests/fixtures/handout.txt, its citations
   renumbered and repeated, about 1,000 characters a page) checked in full, median of 5 runs,
   plus the Markdown and DOCX report; peak RSS.
2. Verdict sweep: for every clause (≥ 8 characters) of every article and point, the clause cited
   to its own article (→ exact), to another article of the same document (→ misattributed), with
   a word deleted, replaced or inserted (→ differs, closest = its article) and to an article number
   the document lacks (→ no_such_article); plus invented sentences in the regulations' register,
   cited and bare (→ not_found). Prints accuracy per verdict and every miss.
3. With --large: corpus/ plus a seeded sample of corpus-large (≥ N articles): index build time,
   the same handout and the same sweep (cases from corpus/ only) against the bigger index.

Exit code 1 if a target is missed.
"""

from __future__ import annotations

import argparse
import random
import re
import resource
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

from bench_ingest import REPO_ROOT, Row, print_table, sample_articles, temp_dir  # also puts REPO_ROOT on sys.path

from ingest.pipeline import Ingestor
from regstudy.composition import open_checker
from regstudy.kb.knowledge_base import KnowledgeBase
from regstudy.records import SECTION
from regstudy.settings import load_settings
from regstudy.study.citations.checker import CitationChecker
from regstudy.study.citations.report import report_markdown
from regstudy.study.docx import markdown_to_docx
from regstudy.text import to_chinese

HANDOUT = REPO_ROOT / "tests" / "fixtures" / "handout.txt"
PAGE = 1000  # characters per printed page of a handout
INVENTED = [
    "党员应当每天登录学习平台不少于一小时",
    "党员干部不得在工作时间玩网络游戏",
    "党员不得在朋友圈转发商业广告",
    "党组织应当每季度检查党员的微信朋友圈",
    "党员应当使用实名注册网络账号",
    "党员干部每年应当参加网络安全培训不少于十二学时",
    "党员发表网络文章前应当经党支部书记审核",
    "党员不得在网上购买外国商品",
    "党员应当每月向党支部报告上网情况",
    "党员干部不得开设个人短视频账号",
    "党员不得加入超过五个微信群",
    "党支部应当为每名党员建立网络行为档案",
    "党员网络行为由纪检监察机关统一管理",
    "党员干部应当关闭所有社交媒体评论功能",
    "党员不得使用外国手机品牌",
    "党员在网上发言必须使用真实姓名和职务",
    "党员不得点赞任何娱乐新闻",
    "各级党委应当设立网络行为监督热线",
]


def handout(pages: int) -> str:
    text = HANDOUT.read_text(encoding="utf-8")
    copies = []
    while sum(len(c) for c in copies) < pages * PAGE:
        copies.append(f"\n第{len(copies) + 1}部分\n{text}")
    return "".join(copies)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bench_handout(checker: CitationChecker, pages: int, label: str) -> list[Row]:
    text = handout(pages)
    times = []
    for _ in range(5):
        started = time.perf_counter()
        findings = checker.check(text)
        times.append(time.perf_counter() - started)
    started = time.perf_counter()
    markdown_to_docx(report_markdown(findings, "handout", checker.prompts))
    report_time = time.perf_counter() - started
    median = statistics.median(times)
    print(f"{label}: {len(text)} characters, {len(findings)} citations, check {median:.2f} s")
    return [
        Row(
            f"{label}: check a {pages}-page handout ({len(findings)} citations)",
            f"{median:.2f} s",
            "≤ 3 s",
            median <= 3,
        ),
        Row(f"{label}: Markdown + DOCX report", f"{report_time:.2f} s", "≤ 2 s", report_time <= 2),
    ]


def sweep(checker: CitationChecker, label: str) -> list[Row]:
    """Cases from the articles of the knowledge base's listed documents (corpus/)."""
    title = {d.id: f"《{d.title}》" for d in checker.documents}
    articles = [u for u in checker.units if u.kind != SECTION and u.doc_id in title]
    rng = random.Random(1)
    results: Counter = Counter()
    misses = []

    def case(kind: str, text: str, verdict: str, where: str | None = None) -> None:
        found = checker.check(text)
        right = len(found) == 1 and found[0].verdict == verdict
        right = right and (where is None or (bool(found[0].found) and found[0].found[0].id == where))
        results[kind, right] += 1
        if not right:
            misses.append((kind, text, [(f.verdict, [u.id for u in f.found], f.similarity) for f in found]))

    for unit in articles:
        cite = title[unit.doc_id]
        others = [a for a in articles if a.doc_id == unit.doc_id and a.id != unit.id]
        for clause in (c for c in re.split(r"[，。；：]", unit.text) if len(c) >= 8):
            case("exact", f"{cite}第{to_chinese(unit.article)}条：“{clause}”", "exact", unit.id)
            other = rng.choice(others)
            if clause not in other.text:
                case("misattributed", f"{cite}第{to_chinese(other.article)}条：“{clause}”", "misattributed", unit.id)
            case("no_such_article", f"{cite}第{to_chinese(len(others) + 20)}条：“{clause}”", "no_such_article")
            cut = rng.randrange(2, len(clause) - 3)
            changed = rng.choice([clause[:cut] + clause[cut + 2 :], clause[:cut] + "可以" + clause[cut + 2 :]])
            if not any(changed in a.text for a in articles):
                case("differs", f"{cite}第{to_chinese(unit.article)}条：“{changed}”", "differs", unit.id)
    for sentence in INVENTED:
        case("not_found", f"《党员网络行为规定》第九条：“{sentence}”", "not_found")
        case("not_found", f"有人说“{sentence}”。", "not_found")
    for miss in misses:
        print(f"  {label} miss:", *miss)
    rows = []
    for kind, target in [("exact", 1.0), ("misattributed", 1.0), ("no_such_article", 1.0), ("not_found", 1.0),
                         ("differs", 0.95)]:  # fmt: skip
        right, total = results[kind, True], results[kind, True] + results[kind, False]
        rows.append(Row(f"{label}: sweep, {kind} right", f"{right}/{total} = {right / total:.3f}", f"≥ {target}",
                        right / total >= target))  # fmt: skip
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=20)
    parser.add_argument("--large", type=Path)
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    with temp_dir("regstudy-bench-check-") as data:
        settings = load_settings(data_dir=data, embedding_model="none")
        Ingestor(settings).run()
        kb = KnowledgeBase.open(settings)
        started = time.perf_counter()
        checker = open_checker(settings, kb)
        open_time = time.perf_counter() - started
        rows = [Row("two documents: checker open (index of character pairs)", f"{open_time * 1000:.0f} ms")]
        rows += bench_handout(checker, args.pages, "two documents")
        rows += sweep(checker, "two documents")
        if args.large:
            sample = sample_articles(args.large, args.articles, args.seed)
            units = kb.units + [u for u in sample.articles]
            started = time.perf_counter()
            big = CitationChecker(units, kb.documents, checker.prompts)
            build = time.perf_counter() - started
            rows.append(Row(f"{len(units)} units: checker open", f"{build:.2f} s"))
            rows += bench_handout(big, args.pages, f"{len(units)} units")
            rows += sweep(big, f"{len(units)} units")
    rows.append(Row("peak RSS (this process)", f"{peak_rss_mb():.0f} MB"))
    print_table(rows)
    return 0 if all(r.passed is not False for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
