"""Time against input size for work any member or admin can trigger with one request (prints figures;
not a test). Each operation runs on a 1×, 4× and 16× input, 16× being at or near the largest input
allowed; near-linear work takes about 4× and 16×. The targets: 4×/1× and 16×/4× ≤ 5, and the
largest input ≤ 10 s.

    .venv/bin/python benchmarks/bench_input_sizes.py [--base 2500] [--data-dir data]

- wrapped-line joining (`from_wrapped_text`): lines of a handout wrapped with no sentence end, the
  shape that made joining quadratic (every line re-scanned the growing paragraph);
- article numbering (`parse_units`): the same 第一条 repeated, the shape that made unique ids quadratic.
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ingest.articles import parse_units
from ingest.paragraphs import from_wrapped_text
from regstudy.records import DocumentInfo

WRAPPED = "党员干部应当加强学习提高网络素养自觉抵制不良信息"  # 24 characters, no sentence end
REPEATED = "第一条 党员应当遵守纪律。"


def joining(lines: int) -> Callable[[], object]:
    text = "\n".join([WRAPPED] * lines)
    return lambda: from_wrapped_text(text)


def numbering(lines: int) -> Callable[[], object]:
    paragraphs = from_wrapped_text("\n".join([REPEATED] * lines))
    info = DocumentInfo("bench", "测试", "bench.txt")
    return lambda: parse_units(paragraphs, info)


CITED = "《党员网络行为规定》第二十六条：“本规定自发布之日起施行。”学员讨论时要联系实际，谈体会、找差距、明方向。\n"
MISQUOTED = "《党员网络行为规定》第十八条：“党员干部可以以职务身份开设网络账号。”联系本单位实际，逐条对照检查。\n"
PROSE = "党员干部要加强学习，提高网络素养，自觉抵制不良信息，做网络正能量的传播者。"


def checker_ops(data_dir: Path) -> list[tuple[str, Callable[[int], Callable[[], object]]]]:
    """What a member can make 引文核查 and 问答 do, sized so that 16× is at or near each limit."""
    from regstudy.composition import open_assistant, open_checker, open_quizzes
    from regstudy.settings import load_settings
    from regstudy.study.docx import markdown_to_docx

    settings = load_settings(data_dir=data_dir)
    checker, assistant, quizzes = open_checker(settings), open_assistant(settings), open_quizzes(settings)

    def check(line: str, units: int) -> Callable[[int], Callable[[], object]]:
        return lambda f: lambda: checker.check(line * units * f)

    def report(f: int) -> Callable[[], object]:
        text = CITED * 40 * f
        return lambda: markdown_to_docx(checker.report(checker.check(text), "讲稿"))

    def corrected(f: int) -> Callable[[], object]:
        text = MISQUOTED * 40 * f
        return lambda: checker.corrected(checker.check(text), text)

    return [
        ("check prose (≤500k chars)", check(PROSE, 800)),  # 16×: 486k characters
        ("check citations (≤2000 refs)", check(CITED, 40)),  # 16×: 640 citations, 1,920 references
        ("check misquotes", check(MISQUOTED, 40)),
        ("check report .docx", report),
        ("corrected handout", corrected),
        ("ask (≤1000 chars)", lambda f: lambda: assistant.ask(("党员能不能在网上转发小道消息" * 5)[: 60 * f])),
        ("quiz paper (≤50 items)", lambda f: lambda: quizzes.paper(3 * f, ["single", "multiple", "judge", "blank"])),
    ]


def timed(run: Callable[[], object], repeats: int = 3) -> float:
    """The best of `repeats` runs (as timeit reports): one run alone swung the ratios by ±1.5 on
    these shared cores. The garbage of one run is collected before the next starts."""
    best = float("inf")
    for _ in range(repeats):
        gc.collect()
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", type=int, default=2500, help="lines in the 1× input of the parsing rows")
    parser.add_argument("--data-dir", type=Path, default=Path("data"), help="an index for the checker rows")
    args = parser.parse_args()
    print(f"{'operation':30} {'1×':>9} {'4×':>9} {'16×':>9}  4×/1×  16×/4×")
    parsing = [("wrapped-line joining", lambda f: joining(args.base * f)),
               ("article numbering", lambda f: numbering(args.base * f))]  # fmt: skip
    for name, make in parsing + checker_ops(args.data_dir):
        timed(make(1), 1)  # warm: first calls load tokenizers and caches
        times = [timed(make(factor)) for factor in (1, 4, 16)]
        print(f"{name:30} {times[0]:8.2f}s {times[1]:8.2f}s {times[2]:8.2f}s  {times[1] / times[0]:5.1f}  "
              f"{times[2] / times[1]:6.1f}", flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
