"""Run a torch training script and its MindPort conversion from the same weights and data.

The torch side runs in this process: the model is built with a fixed seed, its initial
weights saved (``init.pt``) and ``train(model, batches)`` run. The script is then converted by
MindPort itself (``mindport fix --unsafe --write``) and the weights by ``mindport weights
convert``; the converted script runs in a fresh interpreter that loads ``init.ckpt`` into its
model and trains on the same numpy batches. Labels go to torch as int64 and to MindSpore as
int32 (what each framework's cross-entropy takes): that is the harness's boundary, not code
MindPort converted.
"""

from __future__ import annotations

import importlib.util
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
import importlib.util, json, sys
import numpy as np
import mindspore
spec = importlib.util.spec_from_file_location("converted", sys.argv[1])
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
model = module.Net()
missing, _ = mindspore.load_param_into_net(model, mindspore.load_checkpoint(sys.argv[2]))
data = np.load(sys.argv[3])
batches = []
for i in range(int(data["steps"])):
    x = mindspore.Tensor(data[f"x{i}"])
    y = data[f"y{i}"]
    y = mindspore.Tensor(y.astype(np.int32) if y.dtype.kind == "i" else y)
    batches.append((x, y))
losses = module.train(model, batches)
print(json.dumps({"losses": [float(v) for v in losses], "not_loaded": list(missing)}))
"""


def _load(path: Path, name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT / "server"), "GLOG_v": "3"}


def mindport(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mindport", *map(str, args)],
        capture_output=True,
        text=True,
        env=_env(),
        timeout=300,
    )


def run_both(script: Path, work: Path, target: str = "classic") -> dict[str, Any]:
    import numpy as np
    import torch

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
    fixed = mindport("fix", "--unsafe", "--write", "--no-jedi", "--target", target, converted)
    weights = mindport(
        "weights", "convert", script, work / "init.pt", "-o", work / "init.ckpt", "--target", target
    )
    result: dict[str, Any] = {
        "torch": torch_losses,
        "converted": converted.read_text(encoding="utf-8"),
        "fix": fixed.stderr,
        "weights": weights.returncode,
        "weights_log": weights.stderr,
    }
    if weights.returncode != 0:
        return result
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            _RUNNER,
            str(converted),
            str(work / "init.ckpt"),
            str(work / "data.npz"),
        ],
        capture_output=True,
        text=True,
        env=_env(),
        timeout=600,
    )
    if done.returncode != 0:
        result["error"] = done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "?"
        result["stderr"] = done.stderr[-3000:]
        return result
    result.update(json.loads(done.stdout.strip().splitlines()[-1]))
    return result


def agree(torch_losses: list[float], mindspore_losses: list[float], rel: float = 1e-3) -> bool:
    return len(torch_losses) == len(mindspore_losses) == STEPS and all(
        abs(a - b) <= rel * max(abs(a), 1e-8)
        for a, b in zip(torch_losses, mindspore_losses, strict=True)
    )
