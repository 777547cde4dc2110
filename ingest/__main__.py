"""`python -m ingest [PATH ...]`: parse the arguments and run the ingest pipeline (ingest/pipeline.py)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from regstudy.cli import EXIT_OK, EXIT_PARTIAL, progress_bars, run_command
from regstudy.settings import Settings, load_settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ingest", description="把规章文件解析、切分、向量化后入库。")
    parser.add_argument("paths", nargs="*", type=Path, help="文件或文件夹（默认：corpus/）。索引与给出的文件保持一致。")
    args = parser.parse_args(argv)
    return run_command(lambda: _ingest(load_settings(), args.paths))


def _ingest(settings: Settings, paths: list[Path]) -> int:
    from regstudy.composition import ingest
    from regstudy.prompts import Prompts

    report = ingest(settings, paths or None, progress_bars)
    print(Prompts(settings.prompts_dir).render("ingest_report", **vars(report)))
    return EXIT_OK if report.ok else EXIT_PARTIAL


if __name__ == "__main__":
    sys.exit(main())
