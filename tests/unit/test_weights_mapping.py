"""``mindport weights map`` (static mapping from the source and knowledge/weights.json) and the
``.ckpt`` writer, without torch or mindspore."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mindport.cli import main
from mindport.weights.ckpt import encode
from mindport.weights.convert import convert
from mindport.weights.mapping import load_facts, map_model
from tests.conftest import DATA, ROOT

MODEL = """
import torch
from torch import nn


class Block(nn.Module):
    def __init__(self, channels, expansion=2):
        super().__init__()
        self.conv = nn.Conv2d(channels, channels * expansion, 3, bias=False)
        self.bn = nn.BatchNorm2d(channels * expansion)
        self.act = nn.ReLU()


class Net(nn.Module):
    def __init__(self, width=4, depth=2):
        super().__init__()
        self.stem = nn.Conv1d(3, width, 3)
        self.blocks = nn.ModuleList([Block(width) for _ in range(depth)])
        self.norm = nn.LayerNorm(width)
        self.emb = nn.Embedding(10, width)
        self.rnn = nn.LSTM(width, 6, bidirectional=True)
        self.head = nn.Sequential(nn.Linear(12, 8), nn.GELU(), nn.Linear(8, 5))
        self.scale = nn.Parameter(torch.ones(5))
        self.register_buffer("offset", torch.zeros(5))
        self.register_buffer("tmp", torch.zeros(5), persistent=False)
"""


def rows(target: str) -> dict[str, tuple[str | None, object, object]]:
    mapping = map_model(MODEL, target=target)
    assert mapping.problems == []
    return {r.torch_key: (r.mindspore_name, r.torch_shape, r.mindspore_shape) for r in mapping.rows}


def test_classic_names_shapes_and_layouts() -> None:
    found = rows("classic")
    assert found["stem.weight"] == ("stem.weight", (4, 3, 3), (4, 3, 1, 3))  # classic Conv1d
    assert found["blocks.1.conv.weight"] == ("blocks.1.conv.weight", (8, 4, 3, 3), (8, 4, 3, 3))
    assert "blocks.1.conv.bias" not in found  # bias=False
    assert found["blocks.0.bn.weight"][0] == "blocks.0.bn.gamma"
    assert found["blocks.0.bn.running_var"][0] == "blocks.0.bn.moving_variance"
    assert found["blocks.0.bn.num_batches_tracked"][0] is None  # dropped counter
    assert found["norm.bias"][0] == "norm.beta"
    assert found["emb.weight"] == ("emb.embedding_table", (10, 4), (10, 4))
    assert found["rnn.weight_ih_l0_reverse"] == ("rnn.weight_ih_l0_reverse", (24, 4), (24, 4))
    assert found["head.2.weight"] == ("head.2.weight", (5, 8), (5, 8))
    assert found["scale"][1] == (5,) and found["offset"][1] == (5,)
    assert "tmp" not in found  # persistent=False buffers are not in the state dict
    assert len(found) == 2 + 2 * 6 + 2 + 1 + 8 + 4 + 2


def test_mint_keeps_torch_names() -> None:
    found = rows("mint")
    assert found["blocks.0.bn.weight"][0] == "blocks.0.bn.weight"
    assert found["blocks.0.bn.num_batches_tracked"][0] == "blocks.0.bn.num_batches_tracked"
    assert found["stem.weight"][2] == (4, 3, 3)


def test_unknown_things_are_problems_that_name_the_attribute() -> None:
    source = MODEL.replace("nn.Conv1d(3, width, 3)", "make_stem()").replace(
        "range(depth)", "range(len(sizes))"
    )
    problems = map_model(source, target="classic").problems
    assert any(p.startswith("stem:") for p in problems)
    assert any(p.startswith("blocks:") for p in problems)
    assert "no class Nope" in map_model(MODEL, "Nope").problems[0]


def test_the_facts_cover_every_module_of_the_weights_suite() -> None:
    facts = load_facts()
    assert facts["modules"]["torch.nn.BatchNorm2d"]["classic"]["names"]["weight"] == "gamma"
    for path in sorted((DATA / "weights").glob("*.py")):
        for target in ("mint", "classic"):
            assert map_model(path.read_text(encoding="utf-8"), target=target).problems == [], path


def _decode(data: bytes) -> list[tuple[str, list[int], str, bytes]]:
    """A minimal protobuf reader for the checkpoint layout (the test's own, not ckpt.py's)."""

    def varint(buf: bytes, i: int) -> tuple[int, int]:
        shift = value = 0
        while True:
            byte = buf[i]
            value |= (byte & 0x7F) << shift
            i += 1
            if not byte & 0x80:
                return value, i
            shift += 7

    def fields(buf: bytes) -> list[tuple[int, bytes]]:
        out, i = [], 0
        while i < len(buf):
            key, i = varint(buf, i)
            assert key & 7 == 2
            size, i = varint(buf, i)
            out.append((key >> 3, buf[i : i + size]))
            i += size
        return out

    values = []
    for number, value in fields(data):
        assert number == 1
        parts = dict(fields(value))
        tensor = dict(fields(parts[2]))
        dims, i = [], 0
        packed = tensor.get(1, b"")
        while i < len(packed):
            d, i = varint(packed, i)
            dims.append(d)
        values.append((parts[1].decode(), dims, tensor[2].decode(), tensor[3]))
    return values


def test_ckpt_encoding() -> None:
    data = encode([("fc.weight", (2, 300), "float32", b"\0" * 2400), ("n", (), "int64", b"\1" * 8)])
    assert _decode(data) == [
        ("fc.weight", [2, 300], "Float32", b"\0" * 2400),
        ("n", [], "Int64", b"\1" * 8),
    ]
    with pytest.raises(ValueError, match="complex"):
        encode([("z", (1,), "complex64", b"")])


class _Array:
    """Stands in for a numpy array in ``convert``."""

    def __init__(self, shape: tuple[int, ...]) -> None:
        self.shape = shape
        self.dtype = _Dtype()

    def reshape(self, shape: tuple[int, ...]) -> _Array:
        return _Array(shape)

    def tobytes(self, order: str = "C") -> bytes:
        return b""


class _Dtype:
    itemsize = 4

    def __str__(self) -> str:
        return "float32"


def test_convert_names_every_unmatched_or_misshaped_key() -> None:
    mapping = map_model(MODEL, target="classic")
    tensors = {r.torch_key: _Array(r.torch_shape or ()) for r in mapping.rows}
    done = convert(mapping, tensors)
    assert done.errors == []
    assert ("blocks.0.bn.weight", "blocks.0.bn.gamma") in done.renamed
    assert done.reshaped == ["stem.weight"]
    assert next(w for w in done.written if w[0] == "stem.weight")[1] == (4, 3, 1, 3)
    tensors["extra.weight"] = _Array((1,))
    tensors["norm.weight"] = _Array((5,))
    del tensors["head.0.bias"]
    errors = convert(mapping, tensors).errors
    assert any(e.startswith("extra.weight: unmatched") for e in errors)
    assert any(e.startswith("norm.weight: shape [5]") for e in errors)
    assert any(e.startswith("head.0.bias: missing") for e in errors)


def test_cli_map_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "model.py"
    source.write_text(MODEL, encoding="utf-8")
    assert main(["weights", "map", str(source), "--target", "classic", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["model"] == "Net" and data["target"] == "classic"
    assert {"torch": "emb.weight", "mindspore": "emb.embedding_table"}.items() <= next(
        w for w in data["weights"] if w["torch"] == "emb.weight"
    ).items()
    assert main(["weights", "map", str(source), "--class", "Missing"]) == 1


def test_facts_file_is_committed() -> None:
    assert (ROOT / "knowledge" / "weights.json").is_file()
