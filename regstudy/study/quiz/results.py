"""The group's submissions in SQLite (the standard library's): one row per paper and member name (the
latest submission), and per paper and article how often it was answered and missed, kept up to date
in the same transaction. A submission and the group figures cost the same after ten submissions or
ten thousand; readers never see a half-written submission."""

from __future__ import annotations

import json
import sqlite3
import threading
from pathlib import Path
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS submissions (
    code TEXT NOT NULL, name_key TEXT NOT NULL, at REAL NOT NULL, name TEXT NOT NULL,
    right INTEGER NOT NULL, total INTEGER NOT NULL, answered INTEGER NOT NULL,
    wrong TEXT NOT NULL, asked TEXT NOT NULL, PRIMARY KEY (code, name_key));
CREATE TABLE IF NOT EXISTS articles (
    code TEXT NOT NULL, unit_id TEXT NOT NULL, asked INTEGER NOT NULL, wrong INTEGER NOT NULL,
    PRIMARY KEY (code, unit_id));
CREATE INDEX IF NOT EXISTS articles_by_wrong ON articles (code, wrong DESC);
"""
COLUMNS = ("code", "name_key", "at", "name", "right", "total", "answered", "wrong", "asked")


class Results:
    def __init__(self, path: Path, legacy: Path | None = None) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(str(path), check_same_thread=False, timeout=30, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")  # readers go on while a submission is written
        self.db.executescript(SCHEMA)
        self.lock = threading.Lock()  # one connection, shared by the server's threads
        if legacy is not None and legacy.is_dir():
            self._import(legacy)

    def replace(self, row: tuple) -> None:
        """Keep a member's latest submission and move the article counts from the old one to it."""
        with self.lock:
            self.db.execute("BEGIN IMMEDIATE")
            try:
                old = self.db.execute("SELECT answered, wrong, asked FROM submissions WHERE code=? AND name_key=?",
                                      row[:2]).fetchone()  # fmt: skip
                if old is not None and old[0]:
                    self._count(row[0], json.loads(old[2]), json.loads(old[1]), -1)
                self.db.execute(f"INSERT OR REPLACE INTO submissions VALUES ({','.join('?' * len(COLUMNS))})", row)
                if row[6]:  # a blank paper counts for nothing
                    self._count(row[0], json.loads(row[8]), json.loads(row[7]), 1)
                self.db.execute("COMMIT")
            except BaseException:
                self.db.execute("ROLLBACK")
                raise

    def _count(self, code: str, asked: list[str], wrong: list[str], sign: int) -> None:
        missed = set(wrong)
        for unit_id in asked:
            self.db.execute(
                "INSERT INTO articles VALUES (?, ?, ?, ?) ON CONFLICT (code, unit_id) DO UPDATE SET "
                "asked = asked + excluded.asked, wrong = wrong + excluded.wrong",
                (code, unit_id, sign, sign * (unit_id in missed)),
            )

    def latest(self, code: str) -> list[dict[str, Any]]:
        with self.lock:
            rows = self.db.execute("SELECT * FROM submissions WHERE code=? AND answered > 0 ORDER BY at", (code,))
            found = [dict(zip(COLUMNS, r, strict=True)) for r in rows.fetchall()]
        return [{**r, "wrong": json.loads(r["wrong"]), "asked": json.loads(r["asked"])} for r in found]

    def people(self, code: str) -> int:
        with self.lock:
            return self.db.execute(
                "SELECT COUNT(*) FROM submissions WHERE code=? AND answered > 0", (code,)
            ).fetchone()[0]

    def article_counts(self, code: str | None, limit: int | None) -> list[tuple[str, int, int]]:
        """(unit id, answers, wrong answers), most missed first; of one paper, or summed over all."""
        where, args = ("WHERE code=?", [code]) if code else ("", [])
        sql = f"SELECT unit_id, SUM(asked), SUM(wrong) FROM articles {where} GROUP BY unit_id HAVING SUM(asked) > 0"
        sql += " ORDER BY SUM(wrong) DESC, 1.0 * SUM(wrong) / SUM(asked) DESC, unit_id"
        with self.lock:
            rows = self.db.execute(sql + (f" LIMIT {int(limit)}" if limit else ""), args).fetchall()
        return [(u, int(a), int(w)) for u, a, w in rows if w or limit is None]

    def _import(self, folder: Path) -> None:
        """Submissions kept by earlier versions (one .jsonl per paper), taken in once."""
        for path in sorted(folder.glob("*.jsonl")):
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    s = json.loads(line)
                    name = str(s.get("name", ""))
                    self.replace((path.stem, name.casefold(), s.get("at", 0.0), name, s["right"], s["total"],
                                  s.get("answered", 1), json.dumps(s["wrong"]), json.dumps(s["asked"])))  # fmt: skip
            path.rename(path.with_suffix(".imported"))
