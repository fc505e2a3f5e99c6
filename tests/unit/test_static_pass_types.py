"""Receiver types in the static pass: what it is sure of, and where it must leave it to jedi."""

from __future__ import annotations

from functools import cache

from mindport.analysis.findings import Confidence
from mindport.analysis.references import ReferenceKind, Resolution
from mindport.analysis.static_pass import StaticResult, run_static_pass
from mindport.analysis.syntax import parse_source
from mindport.kb.loader import KnowledgeBase, load_knowledge
from tests.unit.resolution_labels import KNOWLEDGE

HEADER = "import torch\nimport torch.nn as nn\nimport numpy as np\n"


@cache
def kb() -> KnowledgeBase:
    return load_knowledge(KNOWLEDGE)


def run(body: str) -> StaticResult:
    return run_static_pass(parse_source(HEADER + body), kb())


def members(body: str) -> list[tuple[int, str, str]]:
    """(line in ``body``, public name, tier) of every member reference."""
    result = run(body)
    offset = HEADER.count("\n")
    return [
        (r.span.start.line - offset, r.name, r.confidence.value)
        for r in sorted(result.references, key=lambda r: r.span.start)
        if r.kind is ReferenceKind.MEMBER
    ]


def test_a_local_keeps_the_type_of_the_assignment_that_reaches_it() -> None:
    body = "x = torch.zeros(2)\nx = x.view(2, 1)\nx.sum()\n"
    assert members(body) == [
        (1, "torch.Tensor.view", "confirmed"),
        (2, "torch.Tensor.sum", "confirmed"),
    ]


def test_an_assignment_in_a_branch_makes_the_type_uncertain() -> None:
    body = "x = torch.zeros(2)\nif flag:\n    x = np.zeros(2)\nx.sum()\n"
    assert members(body) == [(3, "torch.Tensor.sum", "possible")]


def test_a_loop_can_bring_another_value_back() -> None:
    body = "x = torch.zeros(2)\nfor _ in range(2):\n    x.sum()\n    x = np.ones(2)\n"
    assert members(body) == [(2, "torch.Tensor.sum", "possible")]


def test_within_the_branch_the_branch_assignment_counts() -> None:
    body = "x = np.zeros(2)\nif flag:\n    x = torch.ones(2)\n    x.sum()\n"
    assert members(body) == [(3, "torch.Tensor.sum", "confirmed")]


def test_layers_called_through_self_give_tensors_except_recurrent_ones() -> None:
    body = (
        "class Net(nn.Module):\n"
        "    def __init__(self):\n"
        "        self.fc = nn.Linear(2, 2)\n"
        "        self.rnn = nn.LSTM(2, 2)\n"
        "    def forward(self, x):\n"
        "        self.fc(x).view(-1)\n"
        "        self.rnn(x).view(-1)\n"
    )
    result = run(body)
    instances = [r.name for r in result.references if r.kind is ReferenceKind.INSTANCE]
    assert instances == ["torch.nn.Linear", "torch.nn.LSTM"]
    assert members(body) == [
        (5, "torch.Tensor.view", "confirmed"),
        (6, "torch.Tensor.view", "possible"),
    ]


def test_a_users_method_shadows_the_module_method() -> None:
    body = (
        "class Net(nn.Module):\n"
        "    def eval(self):\n"
        "        return self\n"
        "    def run(self):\n"
        "        self.eval()\n"
        "        self.train()\n"
        "Net().eval()\n"
        "Net().train()\n"
    )
    assert members(body) == [
        (5, "torch.nn.Module.train", "confirmed"),
        (7, "torch.nn.Module.train", "confirmed"),
    ]


def test_a_class_with_an_unknown_base_is_left_to_jedi() -> None:
    body = "from somewhere import Base\nclass Thing(Base):\n    def f(self):\n        self.sum()\n"
    result = run(body)
    assert members(body) == [(3, "torch.Tensor.sum", "possible")]
    assert [c.member for c in result.candidates] == ["sum"]


def test_a_plain_class_needs_no_jedi() -> None:
    body = "class Meter:\n    def f(self):\n        return self.values\n"
    result = run(body)
    assert members(body) == []
    assert result.candidates == []


def test_unpacked_chunks_and_optional_annotations_are_tensors() -> None:
    body = (
        "from typing import Optional\n"
        "def f(mask: Optional[torch.Tensor], other: 'torch.Tensor | None'):\n"
        "    a, b = torch.randn(4).chunk(2)\n"
        "    return a.view(-1), mask.bool(), other.sum()\n"
    )
    assert members(body) == [
        (2, "torch.Tensor.chunk", "confirmed"),
        (3, "torch.Tensor.view", "confirmed"),
        (3, "torch.Tensor.bool", "confirmed"),
        (3, "torch.Tensor.sum", "confirmed"),
    ]


def test_only_unknown_receivers_become_candidates() -> None:
    body = (
        "def f(u, t: torch.Tensor):\n"
        "    return u.view(-1), t.view(-1), np.ones(2).view, 'a b'.split(), {}.values(), [t][0].sum()\n"
    )
    result = run(body)
    # NumPy results, strings and dicts are certainly not tensors; a list's item may be one.
    assert [(c.member, c.guess) for c in result.candidates] == [
        ("view", "torch.Tensor.view"),
        ("sum", "torch.Tensor.sum"),
    ]
    guesses = [r for r in result.references if r.resolution is Resolution.NAME]
    assert all(r.confidence is Confidence.POSSIBLE for r in guesses) and len(guesses) == 2


def test_half_typed_code_still_types_what_parses() -> None:
    body = "x = torch.zeros(2)\nx.view(\ny = x.sum(\nx.mean()\n"
    result = run(body)
    assert result.parsed.problems
    assert ("torch.Tensor.mean", "confirmed") in [(name, tier) for _, name, tier in members(body)]


def test_legacy_tensor_type_and_union_annotations_type_the_parameter() -> None:
    body = (
        "from typing import Optional, Union\n"
        "def f(ids: torch.LongTensor, mask: Optional[torch.FloatTensor],\n"
        "      pos: Union[torch.Tensor, None], other: 'torch.BoolTensor'):\n"
        "    ids.view(-1)\n"
        "    mask.view(-1)\n"
        "    pos.view(-1)\n"
        "    other.view(-1)\n"
    )
    assert [m for m in members(body) if m[1] == "torch.Tensor.view"] == [
        (3, "torch.Tensor.view", "confirmed"),
        (4, "torch.Tensor.view", "confirmed"),
        (5, "torch.Tensor.view", "confirmed"),
        (6, "torch.Tensor.view", "confirmed"),
    ]


def test_a_union_of_two_types_stays_unknown() -> None:
    body = "from typing import Union\ndef f(x: Union[torch.Tensor, np.ndarray]):\n    x.view(-1)\n"
    assert [m[2] for m in members(body) if m[1] == "torch.Tensor.view"] != ["confirmed"]


def test_no_name_only_guess_on_receivers_known_not_to_be_torch_objects() -> None:
    body = (
        "from . import init\n"
        "from pycocotools.cocoeval import COCOeval\n"
        "class Box:\n"
        "    def size(self):\n"
        "        return 1\n"
        "def f(gt, x):\n"
        "    init.zero_(x)\n"
        "    COCOeval(gt).eval()\n"
        "    Box.view(3)\n"
        "    x.view(3)\n"
    )
    result = run(body)
    offset = HEADER.count("\n")
    guessed = [r.span.start.line - offset for r in result.references if r.name.endswith(")")]
    assert guessed == []
    assert members(body) == [(9, "torch.Tensor.view", "possible")]
    # jedi is still asked about the library's and the project's objects (they may be torch
    # subclasses), but not about a class attribute of a class without a torch base
    asked = sorted((c.node_span.start.line - offset, c.member, c.guess) for c in result.candidates)
    assert asked == [(6, "zero_", None), (7, "eval", None), (9, "view", "torch.Tensor.view")]


def test_results_of_libraries_built_on_torch_may_still_be_guessed() -> None:
    body = (
        "from einops import rearrange\ny = rearrange(torch.ones(2, 3), 'a b -> b a')\ny.view(-1)\n"
    )
    assert members(body) == [(2, "torch.Tensor.view", "possible")]


def test_a_layer_held_by_self_is_a_reference_where_it_is_read_without_a_call() -> None:
    body = (
        "class Net(nn.Module):\n"
        "    def __init__(self):\n"
        "        super().__init__()\n"
        "        self.norm = nn.LayerNorm(4)\n"
        "        self.fc = nn.Linear(4, 4)\n"
        "    def forward(self, x):\n"
        "        w = self.norm.weight\n"
        "        init(self.fc)\n"
        "        return self.fc(x)\n"
    )
    result = run(body)
    offset = HEADER.count("\n")
    instances = sorted(
        (r.span.start.line - offset, r.name)
        for r in result.references
        if r.kind is ReferenceKind.INSTANCE
    )
    assert instances == [
        (6, "torch.nn.LayerNorm"),
        (7, "torch.nn.Linear"),
        (8, "torch.nn.Linear"),
    ]


def test_a_buffer_is_a_tensor_not_a_layer() -> None:
    body = (
        "class Rope(nn.Module):\n"
        "    def __init__(self, t):\n"
        "        super().__init__()\n"
        "        self.inv_freq = nn.Buffer(t)\n"
        "    def forward(self, x):\n"
        "        return self.inv_freq.to(x.device)\n"
    )
    assert [m for m in members(body) if m[1].endswith(".to")] == [
        (5, "torch.Tensor.to", "confirmed")
    ]


def test_no_tensor_guess_where_the_call_passes_text_the_method_cannot_take() -> None:
    # Real code (tests/data/realcode): ``name.split(".")`` and ``keys.index("x")`` on values
    # nothing types were guessed as Tensor.split / Tensor.index; a device string stays possible.
    body = (
        "def f(name, keys, x, y):\n"
        "    a = name.split('.')[0].split(f'{a}-')\n"
        "    b = keys.index('x')\n"
        "    return x.to('cuda'), y.split(2), a, b\n"
    )
    assert members(body) == [
        (3, "torch.Tensor.to", "possible"),
        (3, "torch.Tensor.split", "possible"),
    ]
    assert [c.member for c in run(body).candidates] == ["to", "split"]
