"""Write ``knowledge/weights.json``: how each torch module's weights are named in MindSpore.

Run by maintainers (``python -m mindport.weights.generate``); it imports torch and mindspore,
builds every module below on both sides (each target) with the same sample arguments, and
records, per torch class, the MindSpore class the knowledge base converts it to, which torch
state-dict leaf goes into which MindSpore parameter (pairs by name, then by the names classic
layers use: ``gamma``/``beta``/``moving_mean``/``moving_variance``/``embedding_table``), whose
layout differs (a reshape: classic ``Conv1d`` keeps a (out, in, 1, k) kernel), which torch
buffers have no place (classic ``BatchNorm``'s ``num_batches_tracked`` counter) and which
parameters only MindSpore has. ``tests/frameworks/test_weights_facts.py`` re-runs this and
compares with the committed file. The language server and ``mindport weights`` only read the
JSON; they never import the frameworks.
"""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path
from typing import Any

from mindport.verify.weights import FLOATING, Slot, map_weights

# torch class -> (torch arguments, {target: MindSpore arguments}) for one sample instance.
# The arguments make every optional weight exist (bias, affine) and LSTMs have two
# bidirectional layers, so every leaf name is seen.
SAMPLES: dict[str, tuple[str, dict[str, str]]] = {
    "torch.nn.Linear": ("3, 4", {"mint": "3, 4", "classic": "3, 4"}),
    "torch.nn.Bilinear": ("3, 2, 4", {"mint": "3, 2, 4", "classic": "3, 2, 4"}),
    "torch.nn.Conv1d": ("3, 4, 3", {"mint": "3, 4, 3", "classic": "3, 4, 3, has_bias=True"}),
    "torch.nn.Conv2d": ("3, 4, 3", {"mint": "3, 4, 3", "classic": "3, 4, 3, has_bias=True"}),
    "torch.nn.Conv3d": ("3, 4, 3", {"mint": "3, 4, 3", "classic": "3, 4, 3, has_bias=True"}),
    "torch.nn.ConvTranspose1d": (
        "3, 4, 3",
        {"mint": "3, 4, 3, has_bias=True", "classic": "3, 4, 3, has_bias=True"},
    ),
    "torch.nn.ConvTranspose2d": (
        "3, 4, 3",
        {"mint": "3, 4, 3", "classic": "3, 4, 3, has_bias=True"},
    ),
    "torch.nn.BatchNorm1d": ("4", {"mint": "4", "classic": "4"}),
    "torch.nn.BatchNorm2d": ("4", {"mint": "4", "classic": "4"}),
    "torch.nn.BatchNorm3d": ("4", {"mint": "4", "classic": "4"}),
    "torch.nn.LayerNorm": ("4", {"mint": "4", "classic": "(4,)"}),
    "torch.nn.GroupNorm": ("2, 4", {"mint": "2, 4", "classic": "2, 4"}),
    "torch.nn.InstanceNorm2d": (
        "4, affine=True",
        {"mint": "4, affine=True", "classic": "4, affine=True"},
    ),
    "torch.nn.Embedding": ("10, 3", {"mint": "10, 3", "classic": "10, 3"}),
    "torch.nn.PReLU": ("", {"mint": "", "classic": ""}),
    "torch.nn.LSTM": (
        "4, 5, num_layers=2, bidirectional=True",
        {
            "mint": "4, 5, num_layers=2, bidirectional=True",
            "classic": "4, 5, num_layers=2, bidirectional=True",
        },
    ),
    "torch.nn.GRU": (
        "4, 5, num_layers=2, bidirectional=True",
        {
            "mint": "4, 5, num_layers=2, bidirectional=True",
            "classic": "4, 5, num_layers=2, bidirectional=True",
        },
    ),
    "torch.nn.RNN": (
        "4, 5, num_layers=2, bidirectional=True",
        {
            "mint": "4, 5, num_layers=2, bidirectional=True",
            "classic": "4, 5, num_layers=2, bidirectional=True",
        },
    ),
    "torch.nn.LSTMCell": ("4, 5", {"mint": "4, 5", "classic": "4, 5"}),
    "torch.nn.GRUCell": ("4, 5", {"mint": "4, 5", "classic": "4, 5"}),
    "torch.nn.MultiheadAttention": ("8, 2", {"mint": "8, 2", "classic": "8, 2"}),
}

OUTPUT = Path(__file__).resolve().parents[3] / "knowledge" / "weights.json"


def _slots_torch(module: Any) -> list[Slot]:
    return [
        Slot(name, tuple(value.shape), str(value.dtype).replace("torch.", ""))
        for name, value in module.state_dict().items()
    ]


def _slots_mindspore(cell: Any) -> list[Slot]:
    return [
        Slot(name, tuple(p.shape), str(p.dtype).lower()) for name, p in cell.parameters_and_names()
    ]


def _target_class(torch_name: str, target: str) -> str | None:
    from mindport.kb.loader import load_knowledge

    entry = load_knowledge().entry_for_torch(torch_name)
    chosen = entry.choose_target(target) if entry is not None else None
    return chosen[1].name if chosen is not None else None


def _build(dotted: str, arguments: str) -> Any:
    import importlib

    module_name, _, name = dotted.rpartition(".")
    cls = getattr(importlib.import_module(module_name), name)
    return eval(f"cls({arguments})", {"cls": cls})  # our own sample arguments above


def weightless() -> list[str]:
    """torch.nn layers that keep no state (activations, pooling, dropout...): those that build
    with no argument or with one or two small integers and have an empty state dict."""
    torch = importlib.import_module("torch")  # by name: absent where the type checker runs

    found: list[str] = []
    for name in sorted(dir(torch.nn)):
        cls = getattr(torch.nn, name)
        if not (isinstance(cls, type) and issubclass(cls, torch.nn.Module)) or name in (
            "Module",
            "Sequential",
            "ModuleList",
            "ModuleDict",
            "ParameterList",
            "ParameterDict",
        ):
            continue
        import inspect

        try:
            parameters = set(inspect.signature(cls.__init__).parameters)  # type: ignore[misc]
        except (TypeError, ValueError):
            continue
        if parameters & {"affine", "elementwise_affine", "weight", "learnable"}:
            continue  # weights that depend on the arguments: not assumed absent
        for arguments in ((), (2,), (2, 2)):
            try:
                module = cls(*arguments)
            except Exception:
                continue
            if not module.state_dict() and f"torch.nn.{name}" not in SAMPLES:
                found.append(f"torch.nn.{name}")
            break
    return found


def facts() -> dict[str, Any]:
    """The facts, from live instances of both frameworks."""
    importlib.import_module("torch")  # a maintainers' tool: torch only here

    result: dict[str, Any] = {}
    for torch_name, (torch_args, targets) in SAMPLES.items():
        torch_slots = _slots_torch(_build(torch_name, torch_args))
        record: dict[str, Any] = {"torch": {s.name: list(s.shape) for s in torch_slots}}
        for target, ms_args in targets.items():
            ms_name = _target_class(torch_name, target)
            if ms_name is None:
                record[target] = None
                continue
            try:
                ms_slots = _slots_mindspore(_build(ms_name, ms_args))
            except Exception as error:
                record[target] = {"class": ms_name, "error": f"{type(error).__name__}: {error}"}
                continue
            mapping = map_weights(torch_slots, ms_slots)
            by_torch = dict(mapping.pairs)
            shapes_m = {s.name: s.shape for s in ms_slots}
            shapes_t = {s.name: s.shape for s in torch_slots}
            record[target] = {
                "class": ms_name,
                "names": {t: m for t, m in by_torch.items()},
                "reshaped": sorted(t for t, m in by_torch.items() if shapes_t[t] != shapes_m[m]),
                "mindspore_shapes": {s.name: list(s.shape) for s in ms_slots},
                "dropped": sorted(mapping.ignored),
                "missing": sorted(m.split(" ")[0] for m in mapping.missing),
                "mindspore_only": sorted(k.split(" ")[0] for k in mapping.kept),
                "problems": list(mapping.problems),
            }
        result[torch_name] = record
    return {
        "comment": "Generated by python -m mindport.weights.generate (torch and mindspore"
        " instances); do not edit by hand.",
        "floating": list(FLOATING),
        "modules": result,
        "weightless": weightless(),
    }


def render(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    text = render(facts())
    if args[:1] == ["--check"]:
        return 0 if OUTPUT.read_text(encoding="utf-8") == text else 1
    OUTPUT.write_text(text, encoding="utf-8")
    print(f"{OUTPUT}: {text.count(chr(10))} lines")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
