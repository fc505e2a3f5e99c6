"""MP602's pair, run: a file saving a state dict with torch.save and loading it in two
statements (``state = torch.load(p)``, ``model.load_state_dict(state)``) is converted with
``fix --unsafe``; the converted functions save and restore a MindSpore model."""

from __future__ import annotations

from pathlib import Path

from tests.frameworks.conftest import require_frameworks

SOURCE = """import torch


def save(model, path):
    torch.save(model.state_dict(), path)


def restore(model, path):
    state = torch.load(path, map_location="cpu")
    model.load_state_dict(state)
"""


def test_two_statement_load_runs_in_mindspore(tmp_path: Path) -> None:
    require_frameworks()
    import numpy as np
    from mindspore import Tensor, nn

    from mindport.analysis.checks import AnalysisOptions
    from mindport.analysis.engine import Analyzer
    from mindport.fixes.fix_all import fix_all
    from mindport.kb.loader import load_knowledge

    analyzer = Analyzer(load_knowledge())
    options = AnalysisOptions(target="classic")
    result = fix_all(SOURCE, lambda t: analyzer.analyze_static(t, options).findings, unsafe=True)
    assert "torch" not in result.text.replace("import torch\n", "")
    namespace: dict[str, object] = {}
    exec(compile(result.text.replace("import torch\n", ""), "converted.py", "exec"), namespace)
    source, target = nn.Dense(3, 2), nn.Dense(3, 2)
    x = Tensor(np.ones((1, 3), np.float32))
    assert not np.allclose(source(x).asnumpy(), target(x).asnumpy())
    path = str(tmp_path / "model.ckpt")
    namespace["save"](source, path)  # type: ignore[operator]
    namespace["restore"](target, path)  # type: ignore[operator]
    np.testing.assert_array_equal(source(x).asnumpy(), target(x).asnumpy())
