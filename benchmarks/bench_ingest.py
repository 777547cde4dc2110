"""Ingestion benchmark: prints wall times, peak memory and embedding throughput (not a test).

Usage (from the repository root):

    .venv/bin/python benchmarks/bench_ingest.py [--large ../shared/corpus-large] [--articles 2000]

Measures

1. a cold `python -m ingest` of corpus/ into a fresh data dir, Python start-up and model load included;
2. an unchanged re-ingest of the same data dir;
3. with --large: the embedding throughput of the default model over exactly N articles of a seeded
   sample of corpus-large (in-process), and a full `python -m ingest` of the sampled files.

Each child's peak RSS is measured on its own (`/usr/bin/time -f %M`, or a small Python wrapper
reading RUSAGE_CHILDREN). Temporary data dirs are removed at the end. A final table compares every
figure with its target.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from ingest.manifest import Manifest  # noqa: E402
from ingest.pipeline import embedding_text  # noqa: E402
from ingest.sources import discover, fingerprint, parse_source  # noqa: E402
from regstudy.errors import DocumentError  # noqa: E402
from regstudy.kb.embeddings import load_embeddings  # noqa: E402
from regstudy.records import SECTION, Unit  # noqa: E402
from regstudy.settings import load_settings  # noqa: E402

GNU_TIME = Path("/usr/bin/time")
# Runs argv[1:] and writes its peak RSS (KB) to the file named by RSS_FILE; exits with its code.
RSS_WRAPPER = (
    "import os, resource, subprocess, sys\n"
    "code = subprocess.run(sys.argv[1:]).returncode\n"
    "with open(os.environ['RSS_FILE'], 'w') as f:\n"
    "    f.write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))\n"
    "sys.exit(code)\n"
)
WARMUP_TEXTS = 8


@dataclass
class ChildRun:
    """One measured subprocess."""

    seconds: float
    peak_rss_mb: float
    returncode: int
    stdout: str
    stderr: str


@dataclass
class Row:
    """One line of the final table; `passed` is None for figures without a target."""

    metric: str
    value: str
    target: str = ""
    passed: bool | None = None


# --- measuring subprocesses -----------------------------------------------------------------


def _measured_command(command: list[str], rss_file: Path) -> list[str]:
    if GNU_TIME.exists():
        return [str(GNU_TIME), "-f", "%M", "-o", str(rss_file), *command]
    return [sys.executable, "-c", RSS_WRAPPER, *command]


def run_measured(command: list[str], env: dict[str, str]) -> ChildRun:
    """Run `command` from the repo root; wall time and the peak RSS of that child alone."""
    with tempfile.TemporaryDirectory(prefix="regstudy-bench-rss-") as scratch:
        rss_file = Path(scratch) / "rss"
        started = time.perf_counter()
        done = subprocess.run(
            _measured_command(command, rss_file),
            cwd=REPO_ROOT,
            env={**env, "RSS_FILE": str(rss_file)},
            capture_output=True,
            text=True,
        )
        seconds = time.perf_counter() - started
        peak_kb = _read_peak_kb(rss_file)
    return ChildRun(seconds, peak_kb / 1024, done.returncode, done.stdout, done.stderr)


def _read_peak_kb(rss_file: Path) -> float:
    try:
        lines = rss_file.read_text().strip().splitlines()
        return float(lines[-1])  # GNU time prepends "Command exited with non-zero status N"
    except (OSError, ValueError, IndexError):
        return float("nan")


def ingest_env(data_dir: Path) -> dict[str, str]:
    pythonpath = os.pathsep.join(p for p in (str(REPO_ROOT), os.environ.get("PYTHONPATH", "")) if p)
    return {**os.environ, "REGSTUDY_DATA_DIR": str(data_dir), "PYTHONPATH": pythonpath}


def run_ingest(data_dir: Path, paths: list[Path] | None = None) -> ChildRun:
    command = [sys.executable, "-m", "ingest", *(str(p) for p in paths or [])]
    run = run_measured(command, ingest_env(data_dir))
    print(f"  exit {run.returncode}, {run.seconds:.2f} s, peak RSS {run.peak_rss_mb:.0f} MB")
    _print_indented(run.stdout, limit=8)
    if run.returncode != 0:
        _print_indented(run.stderr, limit=20)
    return run


def _print_indented(text: str, limit: int) -> None:
    lines = [line for line in text.splitlines() if line.strip()]
    for line in lines[:limit]:
        print(f"    | {line}")
    if len(lines) > limit:
        print(f"    | … ({len(lines) - limit} more lines)")


@contextmanager
def temp_dir(prefix: str) -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix=prefix) as folder:
        yield Path(folder)


# --- 1 and 2: the small corpus ----------------------------------------------------------------


def bench_small_corpus() -> list[Row]:
    with temp_dir("regstudy-bench-data-") as data_dir:
        print("[1] cold ingest of corpus/ (start-up + model load + parse + embed + index)")
        cold = run_ingest(data_dir)
        print("[2] unchanged re-ingest of corpus/")
        warm = run_ingest(data_dir)
    return [
        Row("cold ingest exit code", str(cold.returncode), "0", cold.returncode == 0),
        Row("cold ingest wall time", f"{cold.seconds:.2f} s", "< 10 s", cold.seconds < 10),
        Row("cold ingest peak RSS", f"{cold.peak_rss_mb:.0f} MB", "< 800 MB", cold.peak_rss_mb < 800),
        Row("re-ingest exit code", str(warm.returncode), "0", warm.returncode == 0),
        Row("unchanged re-ingest wall time", f"{warm.seconds:.2f} s", "< 2 s", warm.seconds < 2),
        Row("unchanged re-ingest peak RSS", f"{warm.peak_rss_mb:.0f} MB"),
    ]


# --- 3: corpus-large ----------------------------------------------------------------------------


@dataclass
class Sample:
    files: list[Path]
    articles: list[Unit]
    units: int
    failed: list[str]
    parse_seconds: float


def sample_articles(large: Path, wanted: int, seed: int) -> Sample:
    """Parse a seeded random sample of files until at least `wanted` article units are collected."""
    files = discover([large])
    random.Random(seed).shuffle(files)
    manifest = Manifest([])
    chosen: list[Path] = []
    articles: list[Unit] = []
    units, failed = 0, []
    started = time.perf_counter()
    for path in files:
        if len(articles) >= wanted:
            break
        try:
            document = parse_source(fingerprint(path, manifest))
        except DocumentError as error:
            failed.append(f"{path.name}: {error}")
            continue
        chosen.append(path)
        units += len(document.units)
        articles.extend(u for u in document.units if u.kind != SECTION)
    return Sample(chosen, articles, units, failed, time.perf_counter() - started)


def copy_files(files: list[Path], root: Path, target: Path) -> None:
    """Copy files under `target`, keeping their paths relative to `root` (names may repeat)."""
    for path in files:
        destination = target / path.relative_to(root.resolve())
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, destination)


def bench_embedding(texts: list[str]) -> tuple[float, float]:
    """(model load seconds, embedding seconds for all texts), warm-up excluded."""
    started = time.perf_counter()
    embeddings = load_embeddings(load_settings())
    load_seconds = time.perf_counter() - started
    embeddings.embed_documents(texts[:WARMUP_TEXTS])
    started = time.perf_counter()
    vectors = embeddings.embed_documents(texts)
    seconds = time.perf_counter() - started
    assert len(vectors) == len(texts)
    return load_seconds, seconds


def bench_large_corpus(large: Path, wanted: int, seed: int) -> list[Row]:
    print(f"[3] corpus-large: sampling files (seed {seed}) until ≥ {wanted} articles")
    sample = sample_articles(large, wanted, seed)
    if len(sample.articles) < wanted:
        print(f"  only {len(sample.articles)} articles in {large}")
        return [Row("articles available", str(len(sample.articles)), f"≥ {wanted}", False)]
    texts = [embedding_text(u) for u in sample.articles[:wanted]]
    mean_chars = sum(map(len, texts)) / len(texts)
    print(
        f"  {len(sample.files)} files, {sample.units} units, {len(sample.articles)} articles,"
        f" parsed in {sample.parse_seconds:.2f} s; {len(sample.failed)} files failed to parse"
    )
    for failure in sample.failed[:5]:
        print(f"    ✗ {failure}")
    threads = load_settings().embedding_threads
    print(f"[3a] embed_documents on {wanted} article texts (in-process, {os.cpu_count()} CPUs, threads={threads})")
    load_seconds, seconds = bench_embedding(texts)
    rate = wanted / seconds
    print(f"  model load {load_seconds:.2f} s; {seconds:.2f} s → {rate:.1f} articles/s; mean {mean_chars:.0f} chars")
    print(f"[3b] full ingest of the {len(sample.files)} sampled files into a fresh data dir")
    with temp_dir("regstudy-bench-large-") as scratch:
        copy_files(sample.files, large, scratch / "files")
        run = run_ingest(scratch / "data", [scratch / "files"])
    end_to_end = len(sample.articles) / run.seconds
    return [
        Row("sample", f"{len(sample.files)} files / {sample.units} units / {len(sample.articles)} articles"),
        Row("mean embedded text length", f"{mean_chars:.0f} chars"),
        Row("model load (in-process)", f"{load_seconds:.2f} s"),
        Row(f"embedding throughput ({wanted} articles)", f"{rate:.1f} articles/s", "≥ 40 /s", rate >= 40),
        Row("large ingest exit code", str(run.returncode), "0", run.returncode == 0),
        Row("large ingest wall time", f"{run.seconds:.1f} s"),
        Row("large ingest end to end", f"{end_to_end:.1f} articles/s"),
        Row("large ingest peak RSS", f"{run.peak_rss_mb:.0f} MB", "< 800 MB", run.peak_rss_mb < 800),
    ]


# --- report ---------------------------------------------------------------------------------


def _verdict(passed: bool | None) -> str:
    return "" if passed is None else ("PASS" if passed else "FAIL")


def print_table(rows: list[Row]) -> None:
    header = Row("metric", "value", "target")
    widths = [max(len(getattr(r, name)) for r in [header, *rows]) for name in ("metric", "value", "target")]
    print()
    for row in [header, *rows]:
        cells = (row.metric, row.value, row.target)
        verdict = "result" if row is header else _verdict(row.passed)
        print("  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True)) + "  " + verdict)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--large", type=Path, help="corpus-large folder (enables the throughput benchmark)")
    parser.add_argument("--articles", type=int, default=2000, help="articles to embed (default: 2000)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the corpus-large file sample (default: 0)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}")
    rows = bench_small_corpus()
    if args.large:
        rows += bench_large_corpus(args.large, args.articles, args.seed)
    print_table(rows)
    return 0 if all(r.passed is not False for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
