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


def test_a_fault_is_http_500_and_a_members_mistake_http_400() -> None:
    from starlette.applications import Starlette
    from starlette.testclient import TestClient

    from regstudy.errors import RegStudyError
    from regstudy.prompts import Prompts
    from regstudy.settings import REPO_ROOT
    from regstudy.web.edge import FAULT, at_the_edge
    from regstudy.web.rest import ask_route

    @at_the_edge
    class Handlers:  # errors translated by the same edge as the chat's handlers
        def ask_json(self, question: str) -> dict:
            if question == "mistake":
                raise RegStudyError("问题<不对>")
            raise RuntimeError("boom")

    async def ask(question: str) -> dict:
        return Handlers().ask_json(question)

    client = TestClient(Starlette(routes=[ask_route(ask, Prompts(REPO_ROOT / "prompts"))]))
    mistake = client.post("/api/ask", json={"question": "mistake"})
    assert (mistake.status_code, mistake.json()) == (400, {"error": "问题<不对>"})
    fault = client.post("/api/ask", json={"question": "anything"})
    assert (fault.status_code, fault.json()) == (500, {"error": FAULT})
