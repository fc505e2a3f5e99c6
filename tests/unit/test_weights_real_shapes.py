"""``mindport weights map`` on the shapes real model libraries write: configuration objects
(``--config``), branches taken on known values, loops and ``append``, tables of classes,
classes imported from sibling files; and on real transformers modeling files against the
real state-dict keys (tests/data/weights/real_models.json, built in torch by
benchmarks/real_models.py --keys)."""

from __future__ import annotations

import json
import time
import zipfile
from pathlib import Path

import pytest

from mindport.cli import main
from mindport.weights.mapping import map_model
from tests.conftest import DATA
from tests.data.realcode.census import cache_dir, wheel_path

CONFIGURED = """
import copy
import torch
from torch import nn

ATTENTION = {"eager": Attention, "fast": FastAttention}


class Attention(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.qkv = nn.Linear(config.hidden, 3 * config.hidden)


class FastAttention(Attention):
    def forward(self, x):
        return x


class Layer(nn.Module):
    def __init__(self, config, index):
        super().__init__()
        self.attn = ATTENTION[config.attn](config)
        self.saved = copy.copy(config)
        if config.cross and index > 0:
            self.cross = Attention(config)
        else:
            self.norm = nn.LayerNorm(config.hidden)
        block = nn.Linear if config.bias else nn.Bilinear
        self.out = block(config.hidden, config.hidden)
        self.drop = nn.Dropout(0.1) if config.p > 0 else nn.Identity()


class Model(nn.Module):
    def __init__(self, config, pool=True):
        super().__init__()
        self.layers = nn.ModuleList([Layer(config, i) for i in range(config.layers)])
        self.stages = nn.ModuleList([])
        for width, depth in zip(config.widths, config.depths[1:]):
            self.stages.append(nn.Sequential(*[nn.Linear(width, width) for _ in range(depth)]))
        self.pool = nn.Linear(config.hidden, config.hidden) if pool else None
"""

CONFIG = {
    "hidden": 4,
    "attn": "sdpa",  # not in the table: both classes give the same keys
    "cross": True,
    "bias": True,
    "p": 0.0,
    "layers": 2,
    "widths": [3, 5],
    "depths": [9, 1, 2],
}


def test_configuration_branches_loops_and_tables() -> None:
    mapping = map_model(CONFIGURED, "Model", "classic", config=CONFIG)
    assert mapping.problems == []
    keys = [row.torch_key for row in mapping.rows]
    assert keys == [
        "layers.0.attn.qkv.weight",
        "layers.0.attn.qkv.bias",
        "layers.0.norm.weight",  # index 0: the else branch
        "layers.0.norm.bias",
        "layers.0.out.weight",
        "layers.0.out.bias",
        "layers.1.attn.qkv.weight",
        "layers.1.attn.qkv.bias",
        "layers.1.cross.qkv.weight",  # index 1: the if branch
        "layers.1.cross.qkv.bias",
        "layers.1.out.weight",
        "layers.1.out.bias",
        "stages.0.0.weight",  # zip(widths, depths[1:]): (3, 1), (5, 2)
        "stages.0.0.bias",
        "stages.1.0.weight",
        "stages.1.0.bias",
        "stages.1.1.weight",
        "stages.1.1.bias",
        "pool.weight",
        "pool.bias",
    ]
    shapes = {row.torch_key: row.torch_shape for row in mapping.rows}
    assert shapes["layers.0.attn.qkv.weight"] == (12, 4)
    assert shapes["stages.1.1.weight"] == (5, 5)


def test_what_is_not_known_is_a_problem_never_a_gap() -> None:
    mapping = map_model(CONFIGURED, "Model", "classic")  # no configuration
    assert any("not known statically" in p for p in mapping.problems)
    config = {**CONFIG, "bias": "maybe", "widths": None}
    other = CONFIGURED.replace("if config.bias else", "if config.unknown else")
    mapping = map_model(other, "Model", "classic", config=config)
    assert any("depends on a value not known" in p for p in mapping.problems)
    assert any("loop at line" in p for p in mapping.problems)


def test_classes_imported_from_sibling_files(tmp_path: Path) -> None:
    package = tmp_path / "lib"
    (package / "models").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "models" / "__init__.py").write_text("")
    (package / "layers.py").write_text(
        "from torch import nn\n\n\nclass Conv1D(nn.Module):\n    def __init__(self, nf, nx):\n"
        "        super().__init__()\n        self.weight = nn.Parameter(torch.empty(nx, nf))\n"
        "        self.bias = nn.Parameter(torch.zeros(nf))\n"
    )
    (package / "blocks.py").write_text("from .layers import Conv1D\n")  # a re-export
    model = package / "models" / "net.py"
    model.write_text(
        "from torch import nn\nfrom ..blocks import Conv1D\nfrom lib.layers import Conv1D as C\n\n\n"
        "class Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
        "        self.a = Conv1D(4, 3)\n        self.b = C(2, 2)\n"
    )
    mapping = map_model(model.read_text(), "Net", "classic", path=model)
    assert mapping.problems == []
    assert [row.torch_key for row in mapping.rows] == ["a.weight", "a.bias", "b.weight", "b.bias"]
    # without the path, the imported class is a problem that names it
    alone = map_model(model.read_text(), "Net", "classic")
    assert any("Conv1D" in p for p in alone.problems)


def test_config_option_of_the_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "model.py"
    source.write_text(CONFIGURED)
    config = tmp_path / "config.json"
    config.write_text(json.dumps(CONFIG))
    code = main(["weights", "map", str(source), "--class", "Model", "--config", str(config)])
    assert code == 0, capsys.readouterr().err
    assert "layers.1.cross.qkv.weight" in capsys.readouterr().out
    config.write_text("[1, 2]")
    assert main(["weights", "map", str(source), "--config", str(config)]) == 2


@pytest.fixture(scope="module")
def transformers_tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    wheel = wheel_path("transformers==4.51.3", cache_dir())
    if wheel is None:
        pytest.skip(
            "the pinned transformers wheel is not downloaded: run"
            " `python tests/data/realcode/census.py fetch` (CI's resolver stage does)"
        )
    target = tmp_path_factory.mktemp("transformers")
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(
            target,
            [n for n in archive.namelist() if n.startswith("transformers/") and n.endswith(".py")],
        )
    return target / "transformers"


STORED = json.loads((DATA / "weights" / "real_models.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("folder", sorted(STORED["models"]))
def test_real_transformers_models_map_every_key(transformers_tree: Path, folder: str) -> None:
    info = STORED["models"][folder]
    path = transformers_tree / "models" / folder / f"modeling_{folder}.py"
    start = time.perf_counter()
    mapping = map_model(
        path.read_text(encoding="utf-8"), info["class"], "classic", config=info["config"], path=path
    )
    assert time.perf_counter() - start < 10  # generous: a loaded CI machine
    derived = [row.torch_key for row in mapping.rows]
    assert set(derived) == set(info["keys"])
    assert len(derived) == len(info["keys"])
    if folder == "distilbert":  # its activation comes from a factory function: named, not guessed
        assert mapping.problems and all("get_activation" in p for p in mapping.problems)
    else:
        assert mapping.problems == []
