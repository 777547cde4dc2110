"""One lock over everything an admin can change: the corpus folder, its manifest and the index.

It is a file lock in the data folder, so it holds across threads, processes and replicas that
share that folder, and the OS drops it when its holder dies (kill -9 included)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from filelock import FileLock, Timeout

from regstudy.errors import CorpusBusyError
from regstudy.settings import Settings

LOCK_FILE = "corpus.lock"


@contextmanager
def corpus_lock(settings: Settings, wait: float | None = None) -> Iterator[None]:
    """Hold the corpus lock, waiting up to `wait` seconds (default: the setting) for another change."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    # preserve_lock_file: deleting it on release would let a waiter lock a file nobody else sees.
    lock = FileLock(settings.data_dir / LOCK_FILE, thread_local=False, preserve_lock_file=True)
    try:
        lock.acquire(timeout=settings.corpus_lock_wait_s if wait is None else wait)
    except Timeout as error:
        raise CorpusBusyError() from error
    try:
        yield
    finally:
        lock.release()
