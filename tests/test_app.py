"""The real app, served on a free port and driven over HTTP with gradio_client."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request
from concurrent.futures import ThreadPoolExecutor

from gradio_client import Client

from regstudy.settings import REPO_ROOT


def test_ask_api_returns_the_cli_json(served_app: str, corpus_settings) -> None:
    question = "党员可以访问境外网站吗？"
    over_http = Client(served_app, verbose=False).predict(question, api_name="/ask")
    env = {**os.environ, "REGSTUDY_DATA_DIR": str(corpus_settings.data_dir)}
    cli = subprocess.run(
        [sys.executable, "-m", "regstudy", "ask", question, "--json"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert over_http == json.loads(cli.stdout)
    assert over_http["citations"][0]["article"] == 13 and over_http["refused"] is False


def test_check_api_returns_the_cli_json(served_app: str, corpus_settings) -> None:
    text = (REPO_ROOT / "tests" / "fixtures" / "handout.txt").read_text(encoding="utf-8")
    over_http = Client(served_app, verbose=False).predict(text, api_name="/check")
    env = {**os.environ, "REGSTUDY_DATA_DIR": str(corpus_settings.data_dir)}
    command = [sys.executable, "-m", "regstudy", "check", text, "--json"]
    cli = subprocess.run(command, cwd=REPO_ROOT, env=env, capture_output=True, text=True, check=True)
    assert over_http == json.loads(cli.stdout) and len(over_http) == 16
    assert over_http[6]["verdict"] == "misattributed" and over_http[6]["found"][0]["article"] == 11


def test_ask_api_refuses_honestly(served_app: str) -> None:
    answer = Client(served_app, verbose=False).predict("规定第三十条", api_name="/ask")
    assert answer["refused"] is True and answer["citations"] == []
    assert answer["answer"] == "《党员网络行为规定》共二十六条，没有第三十条。"


def _conversation(url: str, first: str) -> tuple[str, str]:
    """One client session: a question, then `那第四条呢？` that must resolve against this session only."""
    client = Client(url, verbose=False)
    _, messages, _ = client.predict(first, [], [], api_name="/chat")
    _, messages, copied = client.predict("那第四条呢？", messages, [], api_name="/chat")
    return first, copied


def test_ten_concurrent_conversations_stay_independent(served_app: str) -> None:
    firsts = ["意见第二条讲什么", "党员可以访问境外网站吗？"] * 5
    with ThreadPoolExecutor(max_workers=10) as pool:
        results = list(pool.map(lambda q: _conversation(served_app, q), firsts))
    for first, copied in results:
        expected = (
            "《关于规范党员干部网络行为的意见》第四点" if first.startswith("意见") else "《党员网络行为规定》第四条"
        )
        assert copied.startswith(expected), (first, copied[:40])


BAD_QUESTIONS = ["", "   \n\t", "党员" * 50_000, "a\x00\x01\x1b[31mb", "😀🙏🏻👍", "<script>alert(1)</script>"]


def test_bad_questions_get_a_clear_message_over_http_and_cli(served_app: str, corpus_settings) -> None:
    client = Client(served_app, verbose=False)
    for question in BAD_QUESTIONS:
        answer = client.predict(question, api_name="/ask")
        assert answer["refused"] is True and answer["citations"] == [], question[:20]
        assert "Traceback" not in answer["answer"] and any("\u4e00" <= c <= "\u9fff" for c in answer["answer"])
    assert "问题太长（100000 字）" in client.predict(BAD_QUESTIONS[2], api_name="/ask")["answer"]
    env = {**os.environ, "REGSTUDY_DATA_DIR": str(corpus_settings.data_dir)}
    lines = "\n".join(q.replace("\n", " ") for q in BAD_QUESTIONS[2:]) + "\n"
    path = corpus_settings.data_dir.parent / "bad-questions.txt"
    path.write_text(lines, encoding="utf-8")
    cli = subprocess.run([sys.executable, "-m", "regstudy", "ask", "--file", str(path)], cwd=REPO_ROOT, env=env,
                         capture_output=True, text=True)  # fmt: skip
    assert cli.returncode == 0 and "Traceback" not in cli.stderr
    assert [json.loads(line)["refused"] for line in cli.stdout.splitlines()] == [True] * 4


def test_no_server_file_is_readable_through_the_app(served_app: str) -> None:
    import urllib.error
    import urllib.request

    targets = ["/etc/passwd", str(REPO_ROOT / "corpus" / "manifest.toml"), str(REPO_ROOT / "regstudy" / "settings.py")]
    for target in targets:
        for prefix in ("gradio_api/file=", "file=", "gradio_api/file/"):
            try:
                with urllib.request.urlopen(served_app + prefix + target, timeout=10) as response:
                    body = response.read().decode("utf-8", "replace")
            except urllib.error.HTTPError as error:
                assert error.code in (403, 404), (prefix, target, error.code)
                continue
            assert "root:" not in body and "[[documents]]" not in body and "BaseSettings" not in body, prefix


def test_the_app_serves_on_ipv6_loopback(corpus_settings) -> None:
    """REGSTUDY_SERVER_NAME=::1 is loopback (no users needed); it used to crash Gradio at launch."""
    from conftest import serve

    app = serve(corpus_settings.data_dir, host="::1")
    url = next(app)
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            assert response.status == 200 and "规章学习助手" in response.read().decode()
    finally:
        app.close()
