"""The command-line contracts: `python -m regstudy articles --json`, settings from the environment."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from test_ingest import run_cli

from regstudy.settings import REPO_ROOT, load_settings


def test_articles_json_lists_every_unit(tmp_path: Path) -> None:
    env = {**os.environ, "REGSTUDY_DATA_DIR": str(tmp_path / "data")}
    assert run_cli(["-m", "ingest"], env).returncode == 0
    result = run_cli(["-m", "regstudy", "articles", "--json"], env)
    assert result.returncode == 0, result.stderr
    units = json.loads(result.stdout)
    assert len(units) == 39
    for unit in units:
        assert {"document", "article", "label", "chapter", "text", "id"} <= unit.keys()
    a13 = next(u for u in units if u["id"] == "guiding/a13")
    assert a13["document"] == "党员网络行为规定" and a13["article"] == 13 and a13["label"] == "第十三条"
    assert a13["chapter"] == "第三章 网络行为管理"
    assert a13["text"] == "党员不得擅自建立、使用非法定信道浏览、访问、使用境外的网站、应用程序等。"
    notice = next(u for u in units if u["id"] == "yijian/forwarding-notice")
    assert notice["article"] == 0 and notice["document"] == "关于规范党员干部网络行为的意见"


def test_articles_without_an_index_is_a_clear_error(tmp_path: Path) -> None:
    env = {**os.environ, "REGSTUDY_DATA_DIR": str(tmp_path / "empty")}
    result = run_cli(["-m", "regstudy", "articles", "--json"], env)
    assert result.returncode == 2
    assert "知识库索引不存在" in result.stderr and "Traceback" not in result.stderr


def test_data_dir_comes_from_the_environment(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("REGSTUDY_DATA_DIR", str(tmp_path / "elsewhere"))
    settings = load_settings()
    assert settings.index_dir == tmp_path / "elsewhere" / "index"
    assert settings.model_dir == REPO_ROOT / "models"  # the model cache is not under the data dir


def test_entry_points_load_nothing_at_import() -> None:
    code = "import sys, app, regstudy.cli; print(any(m in sys.modules for m in ('chromadb', 'torch', 'gradio')))"
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def corpus_env(corpus_settings) -> dict[str, str]:
    return {**os.environ, "REGSTUDY_DATA_DIR": str(corpus_settings.data_dir)}


def test_ask_json_contract(corpus_settings) -> None:
    result = run_cli(["-m", "regstudy", "ask", "党员可以访问境外网站吗？", "--json"], corpus_env(corpus_settings))
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert isinstance(answer["answer"], str) and answer["refused"] is False
    first = answer["citations"][0]
    assert first["document"] == "党员网络行为规定" and first["article"] == 13 and first["label"] == "第十三条"
    assert first["chapter"] == "第三章 网络行为管理"
    assert first["quote"] == "党员不得擅自建立、使用非法定信道浏览、访问、使用境外的网站、应用程序等。"


def test_ask_file_answers_one_json_object_per_line(corpus_settings, tmp_path: Path) -> None:
    questions = tmp_path / "q.txt"
    questions.write_text("第十三条\n\n给我推荐几部电影\n意见的文号是什么？\n", encoding="utf-8")
    result = run_cli(["-m", "regstudy", "ask", "--file", str(questions)], corpus_env(corpus_settings))
    assert result.returncode == 0, result.stderr
    answers = [json.loads(line) for line in result.stdout.splitlines()]
    assert [a["refused"] for a in answers] == [False, True, False]
    assert answers[1]["citations"] == []
    assert answers[2]["citations"][0]["article"] == 0


def test_ask_scope_and_unknown_document(corpus_settings) -> None:
    env = corpus_env(corpus_settings)
    scoped = run_cli(["-m", "regstudy", "ask", "党员可以参加非法集会吗", "--doc", "意见", "--json"], env)
    assert {c["document"] for c in json.loads(scoped.stdout)["citations"]} == {"关于规范党员干部网络行为的意见"}
    unknown = run_cli(["-m", "regstudy", "ask", "问题", "--doc", "刑法"], env)
    assert unknown.returncode == 2 and "知识库中没有「刑法」" in unknown.stderr and "Traceback" not in unknown.stderr


def test_eval_json_reports_every_metric(corpus_settings) -> None:
    dev = REPO_ROOT / "eval" / "dev.jsonl"
    result = run_cli(["-m", "regstudy", "eval", str(dev), "--json"], corpus_env(corpus_settings))
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    for key in ("hit_at_1", "hit_at_3", "mrr", "refusal_accuracy", "quote_exactness", "answer_contains"):
        assert 0.0 <= report[key] <= 1.0
    assert report["questions"] == 36 and report["latency_ms_p50"] > 0
    assert report["hit_at_1"] >= 0.92


def test_eval_rejects_a_malformed_file(corpus_settings, tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x", "question": "q", "gold": []}\n{not json\n', encoding="utf-8")
    result = run_cli(["-m", "regstudy", "eval", str(bad)], corpus_env(corpus_settings))
    assert result.returncode == 2 and "bad.jsonl 第2行格式不对" in result.stderr
