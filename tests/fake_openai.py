"""A small local server that speaks the OpenAI chat-completions protocol (JSON and SSE streaming),
standing in for vLLM / Ollama / llama.cpp in tests. It records every request it receives."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Behaviour:
    reply: Callable[[list[dict[str, Any]]], str] = lambda messages: "好的。"
    delay: float = 0.0  # seconds before the first byte
    status: int = 200
    chunk_chars: int = 4  # characters per streamed delta
    chunk_delay: float = 0.0  # seconds between streamed deltas (a model writing slowly)
    requests: list[dict[str, Any]] = field(default_factory=list)


class _Handler(BaseHTTPRequestHandler):
    behaviour: Behaviour

    def log_message(self, *args: object) -> None:  # keep test output quiet
        pass

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.behaviour.requests.append(body)
        time.sleep(self.behaviour.delay)
        if not self.path.endswith("/chat/completions") or self.behaviour.status != 200:
            self._send_json(
                self.behaviour.status if self.behaviour.status != 200 else 404, {"error": {"message": "boom"}}
            )
            return
        text = self.behaviour.reply(body["messages"])
        if body.get("stream"):
            self._stream(body["model"], text)
        else:
            message = {"role": "assistant", "content": text}
            self._send_json(
                200,
                _completion(
                    body["model"], "chat.completion", [{"index": 0, "message": message, "finish_reason": "stop"}]
                ),
            )

    def _stream(self, model: str, text: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()
        step = self.behaviour.chunk_chars
        deltas = [{"role": "assistant", "content": ""}] + [
            {"content": text[i : i + step]} for i in range(0, len(text), step)
        ]
        for delta in deltas:
            time.sleep(self.behaviour.chunk_delay)
            self._event(
                _completion(model, "chat.completion.chunk", [{"index": 0, "delta": delta, "finish_reason": None}])
            )
        self._event(_completion(model, "chat.completion.chunk", [{"index": 0, "delta": {}, "finish_reason": "stop"}]))
        self.wfile.write(b"data: [DONE]\n\n")
        self.wfile.flush()

    def _event(self, payload: dict[str, Any]) -> None:
        self.wfile.write(f"data: {json.dumps(payload, ensure_ascii=False)}\n\n".encode())
        self.wfile.flush()

    def _send_json(self, status: int, payload: dict[str, Any]) -> None:
        data = json.dumps(payload, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def _completion(model: str, kind: str, choices: list[dict[str, Any]]) -> dict[str, Any]:
    return {"id": "chatcmpl-test", "object": kind, "created": int(time.time()), "model": model, "choices": choices}


class FakeOpenAI:
    """`with FakeOpenAI(behaviour) as server:` → `server.base_url` ends in /v1."""

    def __init__(self, behaviour: Behaviour | None = None) -> None:
        self.behaviour = behaviour or Behaviour()
        handler = type("Handler", (_Handler,), {"behaviour": self.behaviour})
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def __enter__(self) -> FakeOpenAI:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
