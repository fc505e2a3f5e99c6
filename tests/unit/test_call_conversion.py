"""The quick-fix for torch.nn.Parameter: exact output text for every argument shape."""

from __future__ import annotations

import ast

import pytest

from mindport.analysis.checks import AnalysisOptions
from mindport.analysis.engine import Analyzer
from mindport.kb.loader import KnowledgeBase
from mindport.text import apply_edits


def fixed(kb: KnowledgeBase, text: str, target: str = "mint") -> str | None:
    analysis = Analyzer(kb).analyze_static(text, AnalysisOptions(target=target))
    fixes = [f.fix for f in analysis.findings if f.code == "MP101"]
    assert len(fixes) == 1
    return apply_edits(text, fixes[0].edits) if fixes[0] is not None else None


CASES = [
    pytest.param(
        "import torch\np = torch.nn.Parameter(w)\n",
        "import torch\nimport mindspore\np = mindspore.Parameter(w)\n",
        id="positional data",
    ),
    pytest.param(
        "import torch.nn as nn\np = nn.Parameter(data=w, requires_grad=False)\n",
        "import torch.nn as nn\nimport mindspore\np = mindspore.Parameter(default_input=w, requires_grad=False)\n",
        id="keywords renamed",
    ),
    pytest.param(
        "from torch.nn import Parameter as P\np = P(w, False)\n",
        "from torch.nn import Parameter as P\nimport mindspore\np = mindspore.Parameter(w, requires_grad=False)\n",
        id="second positional moves: name is MindSpore's second slot",
    ),
    pytest.param(
        "import torch\nimport mindspore as ms\np = torch.nn.Parameter(w)\n",
        "import torch\nimport mindspore as ms\np = ms.Parameter(w)\n",
        id="existing alias is reused, no new import",
    ),
    pytest.param(
        "from torch import nn\nfrom mindspore import Parameter as MsP\np = nn.Parameter(w)\n",
        "from torch import nn\nfrom mindspore import Parameter as MsP\np = MsP(w)\n",
        id="existing from-import is reused",
    ),
    pytest.param(
        '"""Doc."""\nfrom torch import nn\n\n\nclass M(nn.Module):\n    def __init__(self):\n'
        "        self.w = nn.Parameter(  # weights\n            w,\n"
        "            requires_grad=False,  # frozen\n        )\n",
        '"""Doc."""\nfrom torch import nn\nimport mindspore\n\n\nclass M(nn.Module):\n    def __init__(self):\n'
        "        self.w = mindspore.Parameter(  # weights\n            w,\n"
        "            requires_grad=False,  # frozen\n        )\n",
        id="comments and layout kept",
    ),
    pytest.param(
        "import torch\r\np = torch.nn.Parameter(w)\r\n",
        "import torch\r\nimport mindspore\r\np = mindspore.Parameter(w)\r\n",
        id="CRLF line endings",
    ),
    pytest.param(
        "import torch\nx = '中文😀'; p = torch.nn.Parameter(w, requires_grad=False)",
        "import torch\nimport mindspore\nx = '中文😀'; p = mindspore.Parameter(w, requires_grad=False)",
        id="non-ASCII before the call, no final newline",
    ),
    pytest.param(
        "import torch\ndef f(p: torch.nn.Parameter) -> None: ...\n",
        "import torch\nimport mindspore\ndef f(p: mindspore.Parameter) -> None: ...\n",
        id="annotation",
    ),
]


@pytest.mark.parametrize(("before", "after"), CASES)
def test_fix_output(kb: KnowledgeBase, before: str, after: str) -> None:
    result = fixed(kb, before)
    assert result == after
    ast.parse(result)


def test_classic_target_is_the_same_for_parameter(kb: KnowledgeBase) -> None:
    text = "import torch\np = torch.nn.Parameter(w)\n"
    assert fixed(kb, text, target="classic") == fixed(kb, text, target="mint")


def test_no_fix_when_mindspore_needs_data_torch_left_out(kb: KnowledgeBase) -> None:
    analysis = Analyzer(kb).analyze_static(
        "import torch\np = torch.nn.Parameter()\n", AnalysisOptions()
    )
    (finding,) = analysis.findings
    assert finding.fix is None
    assert "requires `default_input`" in finding.message


def test_no_fix_for_arguments_torch_does_not_take(kb: KnowledgeBase) -> None:
    analysis = Analyzer(kb).analyze_static(
        "import torch\np = torch.nn.Parameter(w, True, 3)\n", AnalysisOptions()
    )
    (finding,) = analysis.findings
    assert finding.fix is None
    assert "`3`" in finding.message


def test_spread_arguments_give_an_unsafe_fix_that_keeps_them(kb: KnowledgeBase) -> None:
    text = "import torch\np = torch.nn.Parameter(*args, **kwargs)\n"
    analysis = Analyzer(kb).analyze_static(text, AnalysisOptions())
    (finding,) = analysis.findings
    assert finding.fix is not None and not finding.fix.safe
    assert "unsafe" in finding.fix.title
    assert apply_edits(text, finding.fix.edits).endswith("mindspore.Parameter(*args, **kwargs)\n")


def test_fix_titles_follow_the_locale(kb: KnowledgeBase) -> None:
    text = "import torch\np = torch.nn.Parameter(w)\n"
    (zh,) = Analyzer(kb).analyze_static(text, AnalysisOptions(locale="zh")).findings
    assert zh.fix is not None and zh.fix.title == "替换为 mindspore.Parameter"
    assert zh.message.startswith("torch.nn.Parameter 在 MindSpore 中对应")
