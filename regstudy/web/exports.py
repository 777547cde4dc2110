"""Folders for the files a member downloads (reports, papers, records). Gradio copies a returned file
into its own cache (cleared by the app's delete_cache), so ours are only needed for moments; each
new export removes those older than an hour, so a busy server's temporary folder does not grow."""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

MAX_AGE_S = 3600


def export_folder(kind: str) -> Path:
    """A fresh folder for one export, after removing stale ones."""
    root = Path(tempfile.gettempdir()) / "regstudy-exports"
    root.mkdir(exist_ok=True)
    cutoff = time.time() - MAX_AGE_S
    for old in root.iterdir():
        try:
            if old.stat().st_mtime < cutoff:
                shutil.rmtree(old, ignore_errors=True)
        except FileNotFoundError:  # another request removed it first
            continue
    return Path(tempfile.mkdtemp(prefix=f"{kind}-", dir=root))
