"""Which torch namespaces we cover and where their same-name MindSpore counterparts live.

One table drives both the snapshot step (which names to look at) and the entry step
(which targets an entry gets), so the two can never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass

TORCH_TENSOR = "torch.Tensor"
MS_TENSOR = "mindspore.Tensor"


@dataclass(frozen=True, slots=True)
class Namespace:
    """A torch namespace, what its members are, and where to look for same-name targets."""

    torch: str
    # "functions", "callables" (functions and classes), "tensor" (every public attribute),
    # "methods" (public methods and properties), "modules", "optimizers", "schedulers"
    members: str
    mint: tuple[str, ...]  # MindSpore modules for the `mint` target, first match wins
    classic: tuple[str, ...]  # the classic ops / nn / Tensor target


NAMESPACES: tuple[Namespace, ...] = (
    # mindspore.numpy is the last resort for top-level functions ops does not have
    Namespace("torch", "functions", ("mindspore.mint",), ("mindspore.ops", "mindspore.numpy")),
    Namespace(TORCH_TENSOR, "tensor", (), (MS_TENSOR,)),
    Namespace("torch.nn", "modules", ("mindspore.mint.nn",), ("mindspore.nn",)),
    Namespace(
        "torch.nn.functional",
        "functions",
        ("mindspore.mint.nn.functional",),
        ("mindspore.ops",),
    ),
    Namespace(
        "torch.optim",
        "optimizers",
        ("mindspore.mint.optim",),
        ("mindspore.experimental.optim",),
    ),
    Namespace(
        "torch.optim.lr_scheduler",
        "schedulers",
        (),
        ("mindspore.experimental.optim.lr_scheduler",),
    ),
    Namespace("torch.linalg", "functions", ("mindspore.mint.linalg",), ("mindspore.ops",)),
    Namespace("torch.fft", "functions", (), ("mindspore.ops",)),
    Namespace("torch.special", "functions", ("mindspore.mint.special",), ("mindspore.ops",)),
    # Beyond the namespaces the issue lists: what real training code calls most.
    Namespace("torch.nn.Module", "methods", (), ("mindspore.nn.Cell",)),
    Namespace("torch.optim.Optimizer", "methods", (), ("mindspore.experimental.optim.Optimizer",)),
    Namespace(
        "torch.distributed",
        "callables",
        ("mindspore.mint.distributed",),
        ("mindspore.communication.comm_func", "mindspore.communication"),
    ),
)

# Namespaces that are not scanned for candidates but whose table rows get the same targets.
EXTRA_COUNTERPARTS: tuple[Namespace, ...] = ()

# Namespaces that are classes: their members are methods and attributes of any kind.
CLASS_NAMESPACES = frozenset({TORCH_TENSOR, "torch.nn.Module", "torch.optim.Optimizer"})

_BY_TORCH = {ns.torch: ns for ns in (*NAMESPACES, *EXTRA_COUNTERPARTS)}

# Public namespaces searched for other spellings of the same object (aliases).
TORCH_ALIAS_MODULES: tuple[str, ...] = (
    "torch",
    "torch.amp",
    "torch.autograd",
    "torch.distributed",
    "torch.fft",
    "torch.linalg",
    "torch.nn",
    "torch.nn.functional",
    "torch.nn.init",
    "torch.nn.parameter",
    "torch.nn.utils",
    "torch.optim",
    "torch.optim.lr_scheduler",
    "torch.random",
    "torch.special",
    "torch.utils.data",
)
MINDSPORE_ALIAS_MODULES: tuple[str, ...] = (
    "mindspore",
    "mindspore.amp",
    "mindspore.common",
    "mindspore.common.parameter",
    "mindspore.communication",
    "mindspore.communication.comm_func",
    "mindspore.dataset",
    "mindspore.experimental.optim",
    "mindspore.experimental.optim.lr_scheduler",
    "mindspore.mint",
    "mindspore.mint.distributed",
    "mindspore.mint.linalg",
    "mindspore.mint.nn",
    "mindspore.mint.nn.functional",
    "mindspore.mint.optim",
    "mindspore.mint.special",
    "mindspore.nn",
    "mindspore.ops",
)


def split_name(name: str) -> tuple[str, str]:
    """``torch.nn.functional.relu`` -> (``torch.nn.functional``, ``relu``)."""
    module, _, short = name.rpartition(".")
    return module, short


def namespace_of(torch_name: str) -> Namespace | None:
    return _BY_TORCH.get(split_name(torch_name)[0])


def counterparts(torch_name: str) -> dict[str, tuple[str, ...]]:
    """Same-name MindSpore candidates per target id, most preferred first."""
    namespace = namespace_of(torch_name)
    if namespace is None:
        return {"mint": (), "classic": ()}
    short = split_name(torch_name)[1]
    return {
        "mint": tuple(f"{module}.{short}" for module in namespace.mint),
        "classic": tuple(f"{module}.{short}" for module in namespace.classic),
    }


def target_slot(mindspore_name: str) -> str:
    """Which target a MindSpore name fills: ``mint`` for ``mindspore.mint.*``, else classic."""
    return "mint" if mindspore_name.startswith("mindspore.mint.") else "classic"


DATA_PIPELINE_PREFIXES: tuple[str, ...] = (
    "torchvision.",
    "torchaudio.",
    "torchtext.",
    "torch.utils.data.",
)


def is_data_pipeline(torch_name: str) -> bool:
    return torch_name.startswith(DATA_PIPELINE_PREFIXES)
