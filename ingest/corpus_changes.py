"""Corpus changes as transactions: a publish or a delete is planned and its index generation built
while nothing in service changes; then a journal names every step, and the steps run in an order
that can be redone. A crash before the journal changes nothing; a crash after it is finished on the
next start (`resume`). The manifest is replaced atomically and a last good copy is kept, so a
corrupt manifest is recovered instead of stopping the app."""

from __future__ import annotations

import json
import logging
import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from ingest import manifest
from ingest.pipeline import Ingestor
from regstudy.kb import generations
from regstudy.settings import Settings

log = logging.getLogger(__name__)
JOURNAL = "pending-change.json"
LAST_GOOD = "manifest.last-good.toml"
EMPTY_MANIFEST = "# 文件清单（由管理页自动恢复）\n"


@dataclass(frozen=True)
class Change:
    """What a publish or delete puts in service, all at once as far as readers can tell."""

    manifest_text: str
    moves: tuple[tuple[str, str], ...] = ()  # (staged file, its place in the corpus)
    deletions: tuple[str, ...] = ()  # corpus files no longer listed
    generation: str | None = None  # the index built for the new corpus (None: index unchanged)


def commit(settings: Settings, change: Change) -> None:
    """Run the change's steps; the caller holds the corpus lock."""
    journal = settings.data_dir / JOURNAL
    generations.write_durably(journal, json.dumps(change.__dict__, ensure_ascii=False))
    _finish(settings, change)
    journal.unlink()


def resume(settings: Settings) -> bool:
    """Finish a change a crash interrupted after its journal was written (the caller holds the lock)."""
    journal = settings.data_dir / JOURNAL
    if not journal.exists():
        return False
    data = json.loads(journal.read_text(encoding="utf-8"))
    change = Change(data["manifest_text"], tuple(map(tuple, data["moves"])), tuple(data["deletions"]),
                    data["generation"])  # fmt: skip
    log.warning("上次的知识库变更在中途中断，现在补完：%s", journal)
    _finish(settings, change)
    journal.unlink()
    return True


def _finish(settings: Settings, change: Change) -> None:
    """Every step can run again after a crash: a file already moved or deleted is skipped."""
    _move_files(change)
    _write_manifest(settings, change.manifest_text)
    _serve_generation(settings, change.generation)
    _delete_files(change)


def _move_files(change: Change) -> None:
    for staged, target in change.moves:
        if Path(staged).exists():
            os.replace(staged, target)


def _write_manifest(settings: Settings, text: str) -> None:
    manifest.write_atomically(settings.manifest_path, text)
    manifest.write_atomically(settings.data_dir / LAST_GOOD, text)


def _serve_generation(settings: Settings, name: str | None) -> None:
    folder = settings.index_dir / name if name else None
    if (
        folder
        and (folder / generations.STATE_FILE).exists()
        and generations.current_generation(settings.index_dir) != folder
    ):
        Ingestor(settings).put_in_service(folder)


def _delete_files(change: Change) -> None:
    for path in change.deletions:
        Path(path).unlink(missing_ok=True)


def manifest_text(settings: Settings) -> tuple[str, str | None]:
    """The manifest in force and, when it had to be recovered, a notice saying so. A manifest that
    does not parse is set aside and replaced by the last good copy (or an empty one)."""
    path, last_good = settings.manifest_path, settings.data_dir / LAST_GOOD
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if manifest.parses(text):
        if not last_good.exists() or last_good.read_text(encoding="utf-8") != text:
            settings.data_dir.mkdir(parents=True, exist_ok=True)
            manifest.write_atomically(last_good, text)
        return text, None
    kept = settings.data_dir / f"manifest.corrupt-{time.strftime('%Y%m%d-%H%M%S')}.toml"
    shutil.copyfile(path, kept)
    good = last_good.read_text(encoding="utf-8") if last_good.exists() else EMPTY_MANIFEST
    manifest.write_atomically(path, good)
    source = "最近一次完好的副本" if last_good.exists() else "空清单"
    log.warning("清单文件 %s 无法解析，已用%s恢复；原文件另存为 %s", path, source, kept)
    return good, f"清单文件无法解析，已用{source}恢复（原文件另存为 {kept.name}）。"
