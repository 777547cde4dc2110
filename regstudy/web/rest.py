"""`POST /api/ask`: the chat's answer as plain JSON, for other intranet systems and load tests.

Gradio's `/ask` endpoint gives the same answer, but the first request of every Gradio session copies
the whole page's state (about 11 ms of the server's event loop for 101 components): 50 clients
starting together queued behind each other for over a second. This route keeps no session. It asks
for the same login as the page (Gradio's session cookie, from `POST /login`) and shares the page's
first-come-first-served gate (`limits.in_arrival_order`).
"""

from __future__ import annotations

import html
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import gradio as gr
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from regstudy.prompts import Prompts
from regstudy.web import edge

log = logging.getLogger(__name__)
Ask = Callable[[str], Awaitable[dict[str, Any]]]
MAX_BODY = 1_000_000  # bytes: a question is refused long before (问题太长), this bounds the read itself


def signed_in(request: Request) -> bool:
    """True if the app needs no login, or the request carries a session cookie of Gradio's login."""
    app = request.app  # Gradio's App: it holds the login settings and the tokens of signed-in users
    if getattr(app, "auth", None) is None and getattr(app, "auth_dependency", None) is None:
        return True
    cookie_id = getattr(app, "cookie_id", "")
    token = request.cookies.get(f"access-token-{cookie_id}") or request.cookies.get(
        f"access-token-unsecure-{cookie_id}"
    )
    return token is not None and app.tokens.get(token) is not None


async def _body(request: Request) -> bytes | None:
    """The request body, or None past MAX_BODY (read in pieces: a huge body is never held whole)."""
    body = bytearray()
    async for piece in request.stream():
        body += piece
        if len(body) > MAX_BODY:
            return None
    return bytes(body)


async def _question_of(request: Request) -> str | None:
    raw = await _body(request)
    try:
        body = json.loads(raw) if raw is not None else None
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None
    question = body.get("question") if isinstance(body, dict) else None
    return question if isinstance(question, str) else None


def ask_route(ask: Ask, prompts: Prompts) -> Route:
    """The route answering `{"question": "…"}` with the JSON of `python -m regstudy ask --json`;
    `ask` is a chat handler (its errors already translated by `edge`)."""
    words = prompts.table("rest_messages")

    async def answer(request: Request) -> JSONResponse:
        if not signed_in(request):
            return JSONResponse({"error": words["login"]}, status_code=401)
        question = await _question_of(request)
        if question is None:
            log.info('已拒绝 /api/ask 请求：请求体不是 {"question": 字符串}')
            return JSONResponse({"error": words["bad_request"]}, status_code=400)
        try:
            return JSONResponse(await ask(question))
        except gr.Error as error:  # already translated and logged by the handler's edge
            status = 500 if error.message == edge.FAULT else 400  # a fault, or the member's mistake
            return JSONResponse({"error": html.unescape(str(error.message))}, status_code=status)
        except Exception:  # the edge of the REST API: the member sees a Chinese message, the log the trace
            log.exception("未预料的错误（/api/ask）")
            return JSONResponse({"error": edge.FAULT}, status_code=500)

    return Route("/api/ask", answer, methods=["POST"])
