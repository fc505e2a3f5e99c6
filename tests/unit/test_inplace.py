"""``inplace=True`` is dropped as a safe fix only where the program never looks at the input
tensor after the call (``conversion/inplace.py``); everywhere else it stays unsupported."""

from __future__ import annotations

import pytest

from mindport.analysis.checks import AnalysisOptions
from mindport.analysis.engine import Analyzer
from mindport.kb.loader import KnowledgeBase

PRELUDE = "import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n\n\n"
LAYERS = "        self.conv = nn.Conv2d(3, 8, 3, padding=1)\n        self.drop = nn.Dropout(0.1)\n"


def module(init: str, forward: str) -> str:
    return (
        f"{PRELUDE}class Block(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
        f"{LAYERS}{init}\n    def forward(self, x):\n{forward}"
    )


def inplace_fixes(kb: KnowledgeBase, text: str) -> list[bool]:
    """Whether each `inplace=` argument's fix is safe (one entry per argument, in order)."""
    analysis = Analyzer(kb).analyze_static(text, AnalysisOptions())
    lines = text.splitlines()
    found = []
    for finding in analysis.findings:
        line = lines[finding.span.start.line]
        if finding.code == "MP201" and line[finding.span.start.column :].startswith("inplace"):
            found.append(finding.fix is not None and finding.fix.safe)
    return found


SAFE = {
    "sequential after a convolution": f"{PRELUDE}m = nn.Sequential(nn.Conv2d(3, 8, 3), nn.ReLU(inplace=True))\n",
    "attribute called on a new tensor": module(
        "        self.act = nn.ReLU(inplace=True)\n",
        "        return self.act(self.conv(x))\n",
    ),
    "attribute rebinding a new tensor": module(
        "        self.act = nn.ReLU(inplace=True)\n",
        "        y = self.conv(x)\n        y = self.act(y)\n        return y\n",
    ),
    "function rebinding a new tensor": f"{PRELUDE}def f(x):\n    h = x * 2\n    h = F.elu(h, inplace=True)\n    return h\n",
    "function on an expression": f"{PRELUDE}def f(a, b):\n    return F.elu(a + b, inplace=True)\n",
}
UNSAFE = {
    "first in a sequential (the caller's input)": f"{PRELUDE}m = nn.Sequential(nn.ReLU(inplace=True), nn.Conv2d(3, 8, 3))\n",
    "after a layer that returns its input": f"{PRELUDE}m = nn.Sequential(nn.Dropout(0.1), nn.ReLU(inplace=True))\n",
    "after a layer of the user's": f"{PRELUDE}m = nn.Sequential(Mine(), nn.ReLU(inplace=True))\n",
    "attribute called on the caller's tensor": module(
        "        self.act = nn.ReLU(inplace=True)\n", "        return self.act(x)\n"
    ),
    "attribute used another way too": module(
        "        self.act = nn.ReLU(inplace=True)\n",
        "        y = self.conv(x)\n        y = self.act(y)\n        return helper(self.act, y)\n",
    ),
    "an alias taken before": module(
        "        self.act = nn.ReLU(inplace=True)\n",
        "        y = self.conv(x)\n        keep = y\n        y = self.act(y)\n        return y + keep\n",
    ),
    "result under another name": f"{PRELUDE}def f(x):\n    h = x * 2\n    k = F.elu(h, inplace=True)\n    return h + k\n",
    "a parameter": f"{PRELUDE}def f(x):\n    x = F.elu(x, inplace=True)\n    return x\n",
    "a global": f"{PRELUDE}def f(x):\n    global h\n    h = x * 2\n    h = F.elu(h, inplace=True)\n    return h\n",
    "a view of a new tensor": f"{PRELUDE}def f(x):\n    h = (x * 2).view(-1)\n    h = F.elu(h, inplace=True)\n    return h\n",
    "a layer kept elsewhere": f"{PRELUDE}act = nn.ReLU(inplace=True)\n",
}


@pytest.mark.parametrize("text", SAFE.values(), ids=SAFE.keys())
def test_dropping_inplace_is_safe_where_nobody_reads_the_input_again(
    kb: KnowledgeBase, text: str
) -> None:
    assert inplace_fixes(kb, text) == [True]


@pytest.mark.parametrize("text", UNSAFE.values(), ids=UNSAFE.keys())
def test_dropping_inplace_stays_unsafe_where_the_input_may_be_read(
    kb: KnowledgeBase, text: str
) -> None:
    assert inplace_fixes(kb, text) == [False]


def test_the_message_says_why_it_is_dropped(kb: KnowledgeBase) -> None:
    analysis = Analyzer(kb).analyze_static(
        SAFE["sequential after a convolution"], AnalysisOptions()
    )
    messages = [f.message for f in analysis.findings if f.code == "MP201"]
    assert messages and "nothing reads the input" in messages[0]
