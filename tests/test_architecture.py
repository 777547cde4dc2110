"""The architecture, read from the imports (ast): one-way layers, one module on Chroma, one package
on Gradio, nothing reaching into the web app but the entry points, no module over 300 lines."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from regstudy.settings import REPO_ROOT

ENTRY_POINTS = {"app", "regstudy.cli", "regstudy.__main__", "ingest.__main__"}
# What each layer may import from the project; the order is web → composition → services → kb → core.
LAYERS = {
    "core": {"core"},
    "kb": {"core", "kb"},
    "ingest": {"core", "kb", "ingest"},
    "answering": {"core", "kb", "answering"},
    "study": {"core", "kb", "study"},
    "composition": {"core", "kb", "ingest", "answering", "study"},
    "web": {"core", "kb", "ingest", "answering", "study", "composition", "web"},
}
ONLY_IMPORTER = {"chromadb": "regstudy.kb.vector_store", "gradio": "regstudy.web"}
MAX_LINES = 300


def module_name(path: Path) -> str:
    parts = path.relative_to(REPO_ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def project_modules() -> dict[str, Path]:
    files = [REPO_ROOT / "app.py", *(REPO_ROOT / "regstudy").rglob("*.py"), *(REPO_ROOT / "ingest").rglob("*.py")]
    return {module_name(p): p for p in files}


def layer_of(module: str) -> str:
    """The layer a project module belongs to (the core is every module directly under regstudy/)."""
    if module.startswith("ingest"):
        return "ingest"
    if module == "regstudy.composition":
        return "composition"
    for package in ("kb", "answering", "study", "web"):
        if module.startswith(f"regstudy.{package}"):
            return package
    return "core"


def imports_of(path: Path) -> set[str]:
    """Every module an import statement names, at module level or inside functions."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def is_project(name: str) -> bool:
    return name.split(".")[0] in ("regstudy", "ingest")


def violations(modules: dict[str, Path]) -> list[str]:
    found = []
    for module, path in sorted(modules.items()):
        names = imports_of(path)
        for library, owner in ONLY_IMPORTER.items():
            if any(n.split(".")[0] == library for n in names) and not module.startswith(owner):
                found.append(f"{module} imports {library} (only {owner} may)")
        if module in ENTRY_POINTS:
            continue
        allowed = LAYERS[layer_of(module)]
        for name in sorted(n for n in names if is_project(n) and n in modules):
            if layer_of(name) not in allowed:
                found.append(f"{module} ({layer_of(module)}) imports {name} ({layer_of(name)})")
    return found


def test_imports_flow_one_way() -> None:
    assert violations(project_modules()) == []


def test_a_forbidden_import_is_caught(tmp_path: Path) -> None:
    modules = project_modules()
    bad = tmp_path / "kb_module.py"
    bad.write_text("from regstudy.answering.service import Assistant\nimport gradio\n", encoding="utf-8")
    modules["regstudy.kb.bad"] = bad
    assert violations(modules) == [
        "regstudy.kb.bad imports gradio (only regstudy.web may)",
        "regstudy.kb.bad (kb) imports regstudy.answering.service (answering)",
    ]


@pytest.mark.parametrize("module", sorted(project_modules()))
def test_modules_stay_small(module: str) -> None:
    lines = len(project_modules()[module].read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{module}: {lines} lines"
