"""How many CPU-heavy requests run at once. Checking a handout, reading an upload, writing a quiz paper
and publishing are pure Python that holds the interpreter lock for seconds: they share one queue of
width one, so any number of them from any number of members leave the chat its share of the cores
(chat events keep the default width of the app's queue)."""

from __future__ import annotations

from typing import Any

HEAVY: dict[str, Any] = {"concurrency_id": "cpu-heavy", "concurrency_limit": 1}
