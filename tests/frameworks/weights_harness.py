"""Convert torch models' weights with ``mindport weights convert`` and their sources with
``mindport fix``; load the weights into the converted models in MindSpore and compare outputs.

Each torch model is built with a fixed seed and run once in training mode (so BatchNorm's
running statistics are not the trivial 0 and 1), then evaluated. The MindSpore side runs all
models in one fresh interpreter: ``Cell.load_state_dict`` (which, unlike
``load_param_into_net``, also loads registered buffers) must leave nothing unloaded other than
what only MindSpore has (which ``mindport weights map`` lists) and use every entry; the
outputs must agree.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from tests.frameworks.training_harness import _load, mindport, run_in_mindspore

_RUNNER = """
import importlib.util, json, sys, traceback
import numpy as np
import mindspore
out = {}
for job in json.loads(sys.argv[1]):
    try:
        spec = importlib.util.spec_from_file_location("converted_" + job["name"], job["script"])
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        model = module.Net()
        loaded = model.load_state_dict(mindspore.load_checkpoint(job["ckpt"]), strict=False)
        model.set_train(False)
        x = np.load(job["x"])
        x = mindspore.Tensor(x.astype(np.int32) if x.dtype.kind == "i" else x)
        result = model(x)
        if isinstance(result, (tuple, list)):
            result = result[0]
        got = result.asnumpy()
        want = np.load(job["expected"])
        out[job["name"]] = {
            "not_loaded": list(loaded.missing_keys),
            "unused": list(loaded.unexpected_keys),
            "shape_ok": got.shape == want.shape,
            "max_diff": float(np.max(np.abs(got - want))) if got.shape == want.shape else None,
        }
    except Exception as error:
        out[job["name"]] = {"error": f"{type(error).__name__}: {error}"[:2000],
                            "trace": traceback.format_exc()[-3000:]}
print("RESULTS " + json.dumps(out))
"""


def prepare(source: Path, work: Path, target: str = "classic") -> dict[str, Any]:
    import numpy as np
    import torch

    work.mkdir(parents=True, exist_ok=True)
    module = _load(source, f"torch_{source.stem}")
    torch.manual_seed(0)
    model = module.Net()
    rng = np.random.default_rng(0)
    if getattr(module, "DTYPE", "float") == "int":
        x = rng.integers(0, 20, module.INPUT_SHAPE).astype(np.int64)
    else:
        x = rng.standard_normal(module.INPUT_SHAPE).astype(np.float32)
    with torch.no_grad():
        model.train()
        model(torch.from_numpy(x))  # moves BatchNorm's running statistics away from 0 and 1
        model.eval()
        expected = model(torch.from_numpy(x))
    if isinstance(expected, tuple):
        expected = expected[0]
    torch.save(model.state_dict(), work / "model.pt")
    np.save(work / "x.npy", x)
    np.save(work / "expected.npy", expected.numpy())
    code, out, _ = mindport("weights", "map", source, "--target", target, "--format", "json")
    convert_code, _, log = mindport(
        "weights",
        "convert",
        source,
        work / "model.pt",
        "-o",
        work / "model.ckpt",
        "--target",
        target,
    )
    ported = work / f"{source.stem}_ms.py"
    shutil.copy(source, ported)
    mindport("fix", "--unsafe", "--write", "--no-jedi", "--target", target, ported)
    return {
        "name": source.stem,
        "script": str(ported),
        "ckpt": str(work / "model.ckpt"),
        "x": str(work / "x.npy"),
        "expected": str(work / "expected.npy"),
        "keys": len(model.state_dict()),
        "map_exit": code,
        "map": json.loads(out) if out.strip() else {},
        "convert_exit": convert_code,
        "convert_log": log,
        "converted": ported.read_text(encoding="utf-8"),
    }


def run_all(sources: list[Path], work: Path, target: str = "classic") -> dict[str, dict[str, Any]]:
    prepared = {s.stem: prepare(s, work / s.stem, target) for s in sources}
    jobs = [
        {k: p[k] for k in ("name", "script", "ckpt", "x", "expected")}
        for p in prepared.values()
        if p["convert_exit"] == 0
    ]
    for name, result in run_in_mindspore(_RUNNER, jobs).items():
        prepared[name].update(result)
    return prepared
