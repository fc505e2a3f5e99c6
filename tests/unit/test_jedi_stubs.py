"""The stubs MindPort ships let jedi infer tensor receivers when torch is installed nowhere."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from mindport.analysis.checks import AnalysisOptions
from mindport.analysis.engine import Analyzer
from mindport.analysis.findings import Confidence
from mindport.analysis.jedi_resolver import JediResolver, stubs_needed
from mindport.analysis.references import ReferenceKind
from mindport.kb.loader import load_knowledge
from mindport.stubs import STUBS_DIR
from mindport.stubs.generate import write_stubs
from tests.conftest import DATA
from tests.unit.resolution_labels import KNOWLEDGE

# Receivers the static pass cannot type (a user function's result): only jedi can tell.
TEXT = """\
import torch
from torch import nn


def make():
    return torch.randn(3)


def use():
    layer = nn.Linear(2, 2)
    out = layer(make())
    return make().view(-1), out.sum(), layer.parameters()
"""


def _confirmed(resolver: JediResolver) -> list[str]:
    kb = resolver.kb
    analysis = Analyzer(kb, resolver).analyze(TEXT, None, AnalysisOptions())
    return sorted(
        r.name
        for r in analysis.references
        if r.confidence is Confidence.CONFIRMED and r.kind is ReferenceKind.MEMBER
    )


def test_without_torch_jedi_reads_the_shipped_stubs(tmp_path: Path) -> None:
    kb = load_knowledge(KNOWLEDGE)
    resolver = JediResolver(kb, project_root=tmp_path, site_paths=[str(tmp_path / "none")])
    assert resolver.use_stubs and str(STUBS_DIR) in resolver.added_sys_path
    assert _confirmed(resolver) == [
        "torch.Tensor.sum",
        "torch.Tensor.view",
        "torch.nn.Module.parameters",
    ]


def test_without_stubs_nothing_would_be_confirmed(tmp_path: Path) -> None:
    """Control: without the stubs only what the static pass types itself is confirmed."""
    kb = load_knowledge(KNOWLEDGE)
    resolver = JediResolver(
        kb, project_root=tmp_path, site_paths=[str(tmp_path / "none")], use_stubs=False
    )
    assert _confirmed(resolver) == ["torch.Tensor.sum", "torch.nn.Module.parameters"]


def test_stubs_are_only_used_when_torch_is_missing() -> None:
    assert stubs_needed([str(DATA / "nowhere")])
    assert not stubs_needed([str(DATA / "site")])  # the test data's fake torch


def test_the_generator_writes_every_known_api_and_never_imports_torch(tmp_path: Path) -> None:
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from mindport.kb.loader import load_knowledge\n"
        "from mindport.stubs.generate import write_stubs\n"
        f"write_stubs(load_knowledge(Path({str(KNOWLEDGE)!r})), Path({str(tmp_path)!r}))\n"
        "assert 'torch' not in sys.modules, 'the generator imported torch'\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True)
    root = (tmp_path / "torch" / "__init__.pyi").read_text(encoding="utf-8")
    nn = (tmp_path / "torch" / "nn" / "__init__.pyi").read_text(encoding="utf-8")
    assert "def randn(" in root and ") -> torch.Tensor: ..." in root
    assert (
        "class Tensor:" in root and "    def view(self" in root and "    shape: torch.Size" in root
    )
    assert "class Linear(torch.nn.Module):" in nn
    assert "def __call__(self, *args: Any, **kwargs: Any) -> torch.Tensor: ..." in nn
    assert "class LSTM(torch.nn.Module):" in nn
    compile(root, "torch/__init__.pyi", "exec")  # valid syntax
    assert write_stubs is not None
