"""Convert a torch model's weights with ``mindport weights convert`` and its source with
``mindport fix``; load the weights into the converted model in MindSpore and compare outputs.

The torch model is built with a fixed seed and run once in training mode (so BatchNorm's
running statistics are not the trivial 0 and 1), then evaluated. The MindSpore side runs in a
fresh interpreter: ``load_param_into_net`` must leave no parameter unloaded other than those
only MindSpore has (which ``mindport weights map`` lists), and the outputs must agree.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.frameworks.training_harness import _env, _load, mindport

_RUNNER = """
import importlib.util, json, sys
import numpy as np
import mindspore
spec = importlib.util.spec_from_file_location("converted", sys.argv[1])
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
model = module.Net()
not_loaded, unused = mindspore.load_param_into_net(model, mindspore.load_checkpoint(sys.argv[2]), strict_load=True)
model.set_train(False)
x = np.load(sys.argv[3])
x = mindspore.Tensor(x.astype(np.int32) if x.dtype.kind == "i" else x)
out = model(x)
if isinstance(out, (tuple, list)):
    out = out[0]
np.save(sys.argv[4], out.asnumpy())
print(json.dumps({"not_loaded": list(not_loaded), "unused": list(unused)}))
"""


def run_model(source: Path, work: Path, target: str = "classic") -> dict[str, Any]:
    import numpy as np
    import torch

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
    result: dict[str, Any] = {"keys": len(model.state_dict())}
    mapped = mindport("weights", "map", source, "--target", target, "--format", "json")
    result["map_exit"] = mapped.returncode
    result["map"] = json.loads(mapped.stdout) if mapped.stdout.strip() else {}
    converted = mindport(
        "weights",
        "convert",
        source,
        work / "model.pt",
        "-o",
        work / "model.ckpt",
        "--target",
        target,
    )
    result["convert_exit"] = converted.returncode
    result["convert_log"] = converted.stderr
    if converted.returncode != 0:
        return result
    ported = work / f"{source.stem}_ms.py"
    shutil.copy(source, ported)
    mindport("fix", "--unsafe", "--write", "--no-jedi", "--target", target, ported)
    result["converted"] = ported.read_text(encoding="utf-8")
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            _RUNNER,
            str(ported),
            str(work / "model.ckpt"),
            str(work / "x.npy"),
            str(work / "out.npy"),
        ],
        capture_output=True,
        text=True,
        env=_env(),
        timeout=600,
    )
    if done.returncode != 0:
        result["error"] = done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "?"
        return result
    result.update(json.loads(done.stdout.strip().splitlines()[-1]))
    got = np.load(work / "out.npy")
    want = expected.numpy()
    result["shape_ok"] = got.shape == want.shape
    result["max_diff"] = float(np.max(np.abs(got - want))) if got.shape == want.shape else None
    return result


__all__ = ["importlib", "run_model"]
