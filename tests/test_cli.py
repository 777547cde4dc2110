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
