"""The plain REST API (`POST /api/ask`) of the real app: the same answer as Gradio's `/ask` and the
CLI, and a clear Chinese message (never a traceback) for a malformed request."""

from __future__ import annotations

import httpx
from gradio_client import Client


def test_rest_answer_is_the_gradio_api_answer(served_app: str) -> None:
    question = "党员可以访问境外网站吗？"
    answered = httpx.post(served_app + "api/ask", json={"question": question}, timeout=30)
    assert answered.status_code == 200
    assert answered.json() == Client(served_app, verbose=False).predict(question, api_name="/ask")
    assert answered.json()["citations"][0]["article"] == 13


def test_bad_questions_are_refused_answers_not_errors(served_app: str) -> None:
    for question in ["", "党员" * 50_000, "<script>alert(1)</script>"]:
        answer = httpx.post(served_app + "api/ask", json={"question": question}, timeout=30).json()
        assert answer["refused"] is True and answer["citations"] == [], question[:20]


def test_malformed_requests_get_a_chinese_message(served_app: str) -> None:
    bodies = [b"", b"not json", b"[1, 2]", b'{"q": "x"}', b'{"question": 3}', b"\xff\xfe",
              b'{"question": "' + b"a" * 2_000_000 + b'"}']  # fmt: skip
    for body in bodies:
        answered = httpx.post(served_app + "api/ask", content=body, timeout=30)
        assert answered.status_code == 400, body
        assert "请求体应为 JSON 对象" in answered.json()["error"]
    assert httpx.get(served_app + "api/ask", timeout=30).status_code == 405
