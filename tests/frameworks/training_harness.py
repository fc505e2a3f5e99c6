"""Run torch training scripts and their MindPort conversions from the same weights and data.

For each script the torch side runs in this process: the model is built with a fixed seed, its
initial weights saved (``init.pt``) and ``train(model, batches)`` run. The script is then
converted by MindPort itself (``mindport fix --unsafe --write``) and the weights by ``mindport
weights convert``. All converted scripts then run in one fresh interpreter (MindSpore is
imported once): each loads ``init.ckpt`` into its model and trains on the same numpy batches.
Labels go to torch as int64 and to MindSpore as int32 (what each framework's cross-entropy
takes): that is the harness's boundary, not code MindPort converted.
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

from tests.conftest import ROOT

STEPS = 5
BATCH = 4

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
        missing, _ = mindspore.load_param_into_net(model, mindspore.load_checkpoint(job["ckpt"]))
        data = np.load(job["data"])
        batches = []
        for i in range(int(data["steps"])):
            y = data[f"y{i}"]
            y = y.astype(np.int32) if y.dtype.kind == "i" else y
            batches.append((mindspore.Tensor(data[f"x{i}"]), mindspore.Tensor(y)))
        losses = module.train(model, batches)
        out[job["name"]] = {"losses": [float(v) for v in losses], "not_loaded": list(missing)}
    except Exception as error:
        out[job["name"]] = {"error": f"{type(error).__name__}: {error}"[:2000],
                            "trace": traceback.format_exc()[-3000:]}
print("RESULTS " + json.dumps(out))
"""


def _load(path: Path, name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT / "server"), "GLOG_v": "3"}


def mindport(*args: str | Path) -> tuple[int, str, str]:
    """The ``mindport`` command in this process: (exit code, stdout, stderr)."""
    from mindport.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(a) for a in args])
    return code, out.getvalue(), err.getvalue()


def run_in_mindspore(runner: str, jobs: list[dict[str, Any]]) -> dict[str, Any]:
    """Run ``runner`` over ``jobs`` in one fresh interpreter; its results by job name."""
    done = subprocess.run(
        [sys.executable, "-c", runner, json.dumps(jobs)],
        capture_output=True,
        text=True,
        env=_env(),
        timeout=3000,
    )
    for line in done.stdout.splitlines():
        if line.startswith("RESULTS "):
            results: dict[str, Any] = json.loads(line[len("RESULTS ") :])
            return results
    raise RuntimeError(f"the MindSpore runner failed:\n{done.stderr[-3000:]}")


def prepare(script: Path, work: Path, target: str = "classic") -> dict[str, Any]:
    """The torch run, the converted script and the converted initial weights."""
    import numpy as np
    import torch

    work.mkdir(parents=True, exist_ok=True)
    module = _load(script, f"torch_{script.stem}")
    torch.manual_seed(0)
    model = module.Net()
    torch.save(model.state_dict(), work / "init.pt")
    rng = np.random.default_rng(0)
    arrays: dict[str, Any] = {"steps": np.array(STEPS)}
    batches = []
    for i in range(STEPS):
        x = rng.standard_normal((BATCH, *module.INPUT_SHAPE)).astype(np.float32)
        if module.TASK == "classify":
            y = rng.integers(0, 4, BATCH).astype(np.int64)
        else:
            y = rng.standard_normal((BATCH, 1)).astype(np.float32)
        arrays[f"x{i}"], arrays[f"y{i}"] = x, y
        batches.append((torch.from_numpy(x), torch.from_numpy(y)))
    np.savez(work / "data.npz", **arrays)
    torch_losses = [float(v) for v in module.train(model, batches)]
    converted = work / f"{script.stem}_ms.py"
    shutil.copy(script, converted)
    mindport("fix", "--unsafe", "--write", "--no-jedi", "--target", target, converted)
    code, _, log = mindport(
        "weights", "convert", script, work / "init.pt", "-o", work / "init.ckpt", "--target", target
    )
    return {
        "name": script.stem,
        "script": str(converted),
        "ckpt": str(work / "init.ckpt"),
        "data": str(work / "data.npz"),
        "torch": torch_losses,
        "converted": converted.read_text(encoding="utf-8"),
        "weights": code,
        "weights_log": log,
    }


def run_all(scripts: list[Path], work: Path, target: str = "classic") -> dict[str, dict[str, Any]]:
    prepared = {s.stem: prepare(s, work / s.stem, target) for s in scripts}
    jobs = [p for p in prepared.values() if p["weights"] == 0]
    ran = run_in_mindspore(
        _RUNNER, [{k: j[k] for k in ("name", "script", "ckpt", "data")} for j in jobs]
    )
    for name, result in ran.items():
        prepared[name].update(result)
    return prepared


def agree(torch_losses: list[float], mindspore_losses: list[float], rel: float = 1e-3) -> bool:
    return len(torch_losses) == len(mindspore_losses) == STEPS and all(
        abs(a - b) <= rel * max(abs(a), 1e-8)
        for a, b in zip(torch_losses, mindspore_losses, strict=True)
    )
