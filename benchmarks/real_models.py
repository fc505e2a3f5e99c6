"""``mindport weights map`` on real model files: Hugging Face transformers at a pinned version.

The modeling files are read from the transformers wheel that tests/data/realcode pins
(``python tests/data/realcode/census.py fetch`` downloads it into a cache outside the
repository), unpacked next to it. Each model is mapped statically with ``--config`` (the
attributes of its configuration) and the path (so classes imported from sibling files, such
as GPT-2's ``Conv1D`` and the ``PreTrainedModel`` base, are read too), and the torch keys it
derives are compared with the real ``state_dict()`` keys of the same model built with that
configuration in torch, stored in tests/data/weights/real_models.json.

    python benchmarks/real_models.py [--write]          # measure (no torch needed)
    python benchmarks/real_models.py --keys --site DIR  # maintainers: rebuild the stored keys

``--keys`` builds each model in torch; transformers and its dependencies (not torch) must be
importable from DIR, e.g. ``pip install --target DIR transformers==4.51.3`` (outside the repo).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "server"))
sys.path.insert(0, str(ROOT))

from benchmarks.sections import markers, write_section  # noqa: E402
from tests.data.realcode.census import cache_dir, wheel_path  # noqa: E402

from mindport.weights.mapping import load_facts, map_model  # noqa: E402

WHEEL = "transformers==4.51.3"
KEYS = ROOT / "tests" / "data" / "weights" / "real_models.json"
START, END = markers("real-models")

_SMALL = {"num_hidden_layers": 2, "hidden_size": 32, "num_attention_heads": 2}
# folder -> (configuration class, model class, configuration arguments): small but complete
MODELS: dict[str, tuple[str, str, dict[str, Any]]] = {
    "bert": ("BertConfig", "BertModel", {**_SMALL, "intermediate_size": 64, "vocab_size": 100}),
    "roberta": (
        "RobertaConfig",
        "RobertaModel",
        {**_SMALL, "intermediate_size": 64, "vocab_size": 100},
    ),
    "distilbert": (
        "DistilBertConfig",
        "DistilBertModel",
        {"n_layers": 2, "dim": 32, "n_heads": 2, "hidden_dim": 64, "vocab_size": 100},
    ),
    "vit": (
        "ViTConfig",
        "ViTModel",
        {**_SMALL, "intermediate_size": 64, "image_size": 32, "patch_size": 8},
    ),
    "gpt2": (
        "GPT2Config",
        "GPT2Model",
        {"n_layer": 2, "n_embd": 32, "n_head": 2, "vocab_size": 100},
    ),
    "resnet": (
        "ResNetConfig",
        "ResNetModel",
        {"embedding_size": 16, "hidden_sizes": [16, 32, 64, 128], "depths": [1, 1, 2, 1]},
    ),
    "convnext": (
        "ConvNextConfig",
        "ConvNextModel",
        {"hidden_sizes": [16, 32, 64, 128], "depths": [1, 1, 2, 1]},
    ),
    "mobilenet_v2": ("MobileNetV2Config", "MobileNetV2Model", {}),
}

_DUMP = """
import json, sys
sys.path.append(sys.argv[1])
import torch
import transformers
out = {}
for folder, (config_name, model_name, arguments) in json.loads(sys.argv[2]).items():
    config = getattr(transformers, config_name)(**arguments)
    model = getattr(transformers, model_name)(config)
    values = json.loads(config.to_json_string(use_diff=False))
    for alias in getattr(config, "attribute_map", {}):  # num_hidden_layers -> n_layer
        values[alias] = getattr(config, alias)
    values["_attn_implementation"] = config._attn_implementation
    out[folder] = {"class": model_name, "config": values, "keys": list(model.state_dict())}
print(json.dumps({"transformers": transformers.__version__, "torch": torch.__version__,
                  "models": out}))
"""


def source_tree() -> Path:
    """The transformers package unpacked from the pinned wheel (Python files only)."""
    wheel = wheel_path(WHEEL, cache_dir())
    if wheel is None:
        raise SystemExit(
            f"{WHEEL} is not downloaded: run `python tests/data/realcode/census.py fetch`"
        )
    target = cache_dir() / "src" / wheel.stem
    if not (target / "transformers" / "modeling_utils.py").is_file():
        with zipfile.ZipFile(wheel) as archive:
            members = [
                n for n in archive.namelist() if n.startswith("transformers/") and n.endswith(".py")
            ]
            archive.extractall(target, members)
    return target / "transformers"


def build_keys(site: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", _DUMP, str(site), json.dumps(MODELS)],
        capture_output=True,
        text=True,
        check=True,
    )
    data = json.loads(result.stdout.strip().splitlines()[-1])
    KEYS.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"{KEYS}: {len(data['models'])} models (transformers {data['transformers']})")


def measure(package: Path) -> list[dict[str, Any]]:
    stored = json.loads(KEYS.read_text(encoding="utf-8"))["models"]
    facts = load_facts()
    rows = []
    for folder, info in stored.items():
        path = package / "models" / folder / f"modeling_{folder}.py"
        text = path.read_text(encoding="utf-8")
        start = time.perf_counter()
        mapping = map_model(
            text, info["class"], "classic", facts=facts, config=info["config"], path=path
        )
        seconds = time.perf_counter() - start
        derived = {row.torch_key for row in mapping.rows}
        real = set(info["keys"])
        rows.append(
            {
                "model": info["class"],
                "lines": text.count("\n"),
                "real": len(real),
                "mapped": len(real & derived),
                "missing": sorted(real - derived),
                "extra": sorted(derived - real),
                "problems": mapping.problems,
                "seconds": seconds,
            }
        )
    return rows


def report(rows: list[dict[str, Any]]) -> str:
    real = sum(r["real"] for r in rows)
    mapped = sum(r["mapped"] for r in rows)
    lines = [
        START,
        "",
        f"### Real models ({WHEEL}, `python benchmarks/real_models.py --write`)",
        "",
        f"{mapped} of {real} state-dict keys of {len(rows)} models derived statically"
        f" ({mapped / real:.1%}); keys derived that the model does not have:"
        f" {sum(len(r['extra']) for r in rows)}.",
        "",
        "| model | lines | keys | mapped | problems | map (in process) |",
        "|---|---:|---:|---:|---|---:|",
    ]
    for r in rows:
        problems = "; ".join(sorted(set(p.split(": ", 1)[-1] for p in r["problems"]))) or "none"
        lines.append(
            f"| {r['model']} | {r['lines']:,} | {r['real']} | {r['mapped']} | {problems}"
            f" | {r['seconds'] * 1000:.0f} ms |"
        )
    lines += ["", END]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--keys", action="store_true", help="rebuild the stored real keys")
    parser.add_argument("--site", type=Path, help="where transformers is importable (--keys)")
    parser.add_argument("--write", action="store_true", help="write into docs/benchmarks.md")
    args = parser.parse_args()
    if args.keys:
        if args.site is None:
            parser.error("--keys needs --site")
        build_keys(args.site)
        return 0
    section = report(measure(source_tree()))
    print(section)
    if args.write:
        write_section("real-models", section)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
