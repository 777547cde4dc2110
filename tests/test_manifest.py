"""The corpus manifest states the documents' own facts."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.manifest import Manifest
from regstudy.errors import ManifestError
from regstudy.prompts import Prompts, TemplateError
from regstudy.settings import REPO_ROOT


def test_manifest_entries() -> None:
    manifest = Manifest.load(REPO_ROOT / "corpus" / "manifest.toml")
    guiding = manifest.lookup(Path("党员网络行为规定.txt"))
    yijian = manifest.lookup(Path("关于规范党员干部网络行为的意见.txt"))
    assert guiding and yijian
    assert "规定" in guiding.aliases and "《规定》" in guiding.names()
    assert guiding.dates == ()  # the text states no date: none is invented
    assert [n.number for n in yijian.numbers] == ["中宣发〔2017〕20号", "豫宣通〔2017〕70号"]
    assert yijian.numbers[0].date == "2017-05-27"
    assert "意见" in yijian.aliases
    for info in (guiding, yijian):
        assert (REPO_ROOT / "corpus" / info.source).exists()


def test_malformed_manifest(tmp_path: Path) -> None:
    path = tmp_path / "manifest.toml"
    path.write_text("[[documents]]\ntitle = 1\n", encoding="utf-8")
    with pytest.raises(ManifestError, match="清单文件"):
        Manifest.load(path)


def test_templates_render_strictly() -> None:
    prompts = Prompts(REPO_ROOT / "prompts")
    with pytest.raises(TemplateError, match="缺少变量"):
        prompts.render("ingest_report", up_to_date=True)
    with pytest.raises(TemplateError, match="模板不存在"):
        prompts.render("no_such_template")
