"""The conversation kept in the member's browser (localStorage, through gr.BrowserState), so that
Back, a reload or a restart of the app keep it; 新对话 clears it.

What is kept: the chat's messages as shown, and for each answer its question and the ids of the
articles it cited (what a follow-up such as 那第四条呢 needs), and the signed-in member's name: on a
shared PC another member who signs in does not get it back. The stored value comes back from the
browser, so it is checked and bounded before use; articles no longer in the knowledge base drop out.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

from regstudy.answering.answers import Answer
from regstudy.answering.conversation import recalled
from regstudy.kb.knowledge_base import KnowledgeBase

STORAGE_KEY = "regstudy-conversation"
MAX_MESSAGES = 60  # 30 questions and their answers
MAX_CONTENT = 200_000  # characters of one message as shown
MAX_TURNS = 30


def browser_secret(data_dir: Path) -> str:
    """The key gr.BrowserState encrypts with: one per installation (a new key at each start would
    make every kept conversation unreadable after a restart). Gradio hands it to every page, so it
    hides the stored text from casual eyes only; it is no secret, and the value is checked on return."""
    path = data_dir / "browser-state.key"
    if not path.is_file():
        data_dir.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(24), encoding="utf-8")
    return path.read_text(encoding="utf-8").strip()


def kept(messages: list, history: list[Answer], member: str | None = None) -> dict[str, Any]:
    """What goes into the browser after an answer (`member`: the signed-in name, None without login)."""
    turns = [{"question": a.question, "units": [c.unit.id for c in a.citations]} for a in history[-MAX_TURNS:]]
    shown = [m for m in map(_message, messages[-MAX_MESSAGES:]) if m]
    return {"messages": shown, "turns": turns, "member": member}


def restored(stored: Any, kb: KnowledgeBase, member: str | None = None) -> tuple[list[dict[str, str]], list[Answer]]:
    """The chat's messages and the answers' context from what the browser kept, if it was kept for
    this member; anything malformed is left out rather than refused (it is the member's own storage)."""
    if not isinstance(stored, dict) or stored.get("member") != member:
        return [], []
    raw_messages, raw_turns = _list(stored.get("messages")), _list(stored.get("turns"))
    messages = [m for m in (_message(m) for m in raw_messages[-MAX_MESSAGES:]) if m]
    history = [_answer(t, kb) for t in raw_turns[-MAX_TURNS:] if isinstance(t, dict)]
    return messages, [a for a in history if a is not None]


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []


def _message(message: Any) -> dict[str, str] | None:
    if not isinstance(message, dict) or message.get("role") not in ("user", "assistant"):
        return None
    content = message.get("content")
    if isinstance(content, list):  # Gradio's message format: a list of parts
        content = "".join(p.get("text", "") for p in content if isinstance(p, dict) and p.get("type") == "text")
    return {"role": message["role"], "content": content[:MAX_CONTENT]} if isinstance(content, str) else None


def _answer(turn: dict, kb: KnowledgeBase) -> Answer | None:
    question, ids = turn.get("question"), turn.get("units")
    if not isinstance(question, str) or not isinstance(ids, list):
        return None
    units = [kb.by_id[i] for i in ids[:10] if isinstance(i, str) and i in kb.by_id]
    return recalled(question[:500], units)
