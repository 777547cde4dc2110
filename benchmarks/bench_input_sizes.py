"""Time against input size for work any member or admin can trigger with one upload (prints figures;
not a test). Each operation runs on a 1×, 4× and 16× input; near-linear work takes about 4× and 16×.

    .venv/bin/python benchmarks/bench_input_sizes.py [--base 2500]

- wrapped-line joining (`from_wrapped_text`): lines of a handout wrapped with no sentence end, the
  shape that made joining quadratic (every line re-scanned the growing paragraph);
- article numbering (`parse_units`): the same 第一条 repeated, the shape that made unique ids quadratic.
"""

from __future__ import annotations

import argparse
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


def timed(run: Callable[[], object]) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", type=int, default=2500, help="lines in the 1× input")
    args = parser.parse_args()
    print(f"{'operation':24} {'1×':>9} {'4×':>9} {'16×':>9}  4×/1×  16×/4×")
    for name, make in (("wrapped-line joining", joining), ("article numbering", numbering)):
        times = [timed(make(args.base * factor)) for factor in (1, 4, 16)]
        print(f"{name:24} {times[0]:8.2f}s {times[1]:8.2f}s {times[2]:8.2f}s  {times[1] / times[0]:5.1f}  "
              f"{times[2] / times[1]:6.1f}")  # fmt: skip


if __name__ == "__main__":
    main()
