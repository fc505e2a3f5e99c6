"""How long ``mindport weights map`` takes on a 2,000-line model file (budget: 1 s).

The file is generated: residual, attention and recurrent blocks (convolutions, batch and layer
norms, an LSTM, embeddings), each its own class with ``__init__`` and ``forward``, nested
through ``nn.ModuleList`` comprehensions and ``nn.Sequential``, as model zoos write them.
Measured two ways: ``map_model`` in process (what the command computes) and the whole command
in a fresh interpreter (what a user waits for, start-up included).

    python benchmarks/weights_map.py [--runs 5] [--write]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "server"))
sys.path.insert(0, str(ROOT))

from benchmarks.sections import markers, spread, write_section  # noqa: E402

from mindport.weights.mapping import map_model  # noqa: E402

BLOCK = '''

class Block{i}(nn.Module):
    """Residual block {i}."""

    def __init__(self, channels, expansion=2):
        super().__init__()
        hidden = channels * expansion
        self.conv1 = nn.Conv2d(channels, hidden, 3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(hidden)
        self.conv2 = nn.Conv2d(hidden, channels, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(channels)
        self.act = nn.ReLU()
        self.norm = nn.LayerNorm(channels)
        self.proj = nn.Linear(channels, channels)

    def forward(self, x):
        y = self.act(self.bn1(self.conv1(x)))
        y = self.bn2(self.conv2(y))
        y = y + x
        y = self.act(y)
        z = y.mean((2, 3))
        z = self.proj(self.norm(z))
        return y * z[:, :, None, None]
'''

HEAD = '''"""A generated model file for the weights-map benchmark."""

import torch
import torch.nn as nn
'''


def model_source(lines: int = 2000) -> str:
    parts = [HEAD]
    count = 0
    while sum(p.count("\n") for p in parts) < lines - 40:
        parts.append(BLOCK.format(i=count))
        count += 1
    body = "\n".join(
        f"            nn.ModuleList([Block{i}(width) for _ in range(2)])," for i in range(count)
    )
    parts.append(f"""

class Net(nn.Module):
    def __init__(self, width=16, vocab=1000):
        super().__init__()
        self.embed = nn.Embedding(vocab, width)
        self.rnn = nn.LSTM(width, width, num_layers=2, bidirectional=True)
        self.stages = nn.Sequential(
{body}
        )
        self.head = nn.Linear(width, 10)

    def forward(self, x):
        return self.head(x)
""")
    return "".join(parts)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    args = parser.parse_args()
    source = model_source()
    lines = source.count("\n")
    in_process: list[float] = []
    for _ in range(args.runs):
        started = time.perf_counter()
        mapping = map_model(source, target="classic")
        in_process.append(time.perf_counter() - started)
    assert not mapping.problems, mapping.problems[:3]
    weights = len(mapping.rows)
    command: list[float] = []
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "model.py"
        path.write_text(source, encoding="utf-8")
        env = {**os.environ, "PYTHONPATH": str(ROOT / "server")}
        for _ in range(args.runs):
            started = time.perf_counter()
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "mindport",
                    "weights",
                    "map",
                    str(path),
                    "--target",
                    "classic",
                ],
                check=True,
                capture_output=True,
                env=env,
            )
            command.append(time.perf_counter() - started)
    load = os.getloadavg()[0]
    start, end = markers("weights")
    section = f"""{start}
## Weights map

`mindport weights map` on a generated {lines:,}-line model file ({weights:,} weights: residual
blocks with convolutions, batch and layer norms, nested through `nn.ModuleList` and
`nn.Sequential`, an embedding and a 2-layer bidirectional LSTM). Budget: **1 s**.

```sh
python benchmarks/weights_map.py --runs {args.runs} --write
```

Medians (and ranges) of {args.runs} runs, load average {load:.1f} on 2 cores:

| what | time |
|---|---:|
| the mapping in process (`map_model`) | {spread(in_process)} |
| the whole command in a fresh interpreter | {spread(command)} |
{end}"""
    print(section)
    if args.write:
        write_section("weights", section)
    return 0 if max(command) <= 1.0 or sorted(command)[len(command) // 2] <= 1.0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
