"""Which torch weight goes into which MindSpore parameter (pure, unit-tested).

Module cases copy torch's weights (parameters and floating buffers, from ``state_dict``) into
the converted module before both run. ``auto`` pairs equal names first (``weight`` and
``weight``), then the names MindSpore's classic layers use for the same thing (``gamma`` for
``weight``, ``moving_mean`` for ``running_mean``: ``SYNONYMS``, compared on the last dotted
part, at the same place in the module or, failing that, the only such name anywhere: classic
``BatchNorm3d`` keeps its weights in an inner ``bn2d``), then the rest in order; ``order`` pairs by order only. Shapes must agree, up to singleton axes (copied with a reshape).
Non-floating torch buffers nobody pairs (BatchNorm's ``num_batches_tracked`` counter) are left
out; MindSpore-only parameters keep their initial values (``affine`` weights of ones, say, are
then compared by the outputs); a torch weight the converted module has no place for is a
difference (the module lacks torch's bias, say); weights that cannot be paired by shape make
the case not verifiable.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

FLOATING = ("float16", "bfloat16", "float32", "float64", "complex64", "complex128")


# torch's name -> the names MindSpore's classic layers give the same weight
SYNONYMS: dict[str, tuple[str, ...]] = {
    "weight": ("gamma", "embedding_table"),
    "bias": ("beta",),
    "running_mean": ("moving_mean",),
    "running_var": ("moving_variance",),
}


def _last(name: str) -> str:
    return name.rsplit(".", 1)[-1]


def _prefix(name: str) -> str:
    return name.rsplit(".", 1)[0] if "." in name else ""


@dataclass(frozen=True, slots=True)
class Slot:
    name: str
    shape: tuple[int, ...]
    dtype: str


@dataclass(frozen=True, slots=True)
class WeightMap:
    pairs: tuple[tuple[str, str], ...]  # (torch name, MindSpore name)
    problems: tuple[str, ...] = ()  # weights that cannot be placed: not verifiable
    ignored: tuple[str, ...] = ()  # torch's non-floating buffers left out
    # torch weights the converted module has no place for (a difference: torch's bias, say)
    missing: tuple[str, ...] = ()
    kept: tuple[str, ...] = ()  # MindSpore-only parameters, left at their initial values

    def describe(self) -> str:
        renamed = [f"{t}->{m}" for t, m in self.pairs if t != m]
        text = f"{len(self.pairs)} weights copied"
        if renamed:
            text += f" ({', '.join(renamed)})"
        elif self.pairs:
            text += " by name"
        return text


def _squeezed(shape: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(n for n in shape if n != 1)


def fits(torch: Slot, mindspore: Slot) -> bool:
    """Same shape, or the same numbers with singleton axes added or removed (classic Conv1d
    keeps a (4, 3, 3) kernel as (4, 3, 1, 3)): the values are copied with a reshape."""
    return torch.shape == mindspore.shape or _squeezed(torch.shape) == _squeezed(mindspore.shape)


def map_weights(torch: Sequence[Slot], mindspore: Sequence[Slot], mode: str = "auto") -> WeightMap:
    pairs: list[tuple[str, str]] = []
    problems: list[str] = []
    left_t = list(torch)
    left_m = list(mindspore)
    if mode == "auto":
        names_m = {s.name: s for s in left_m}
        for slot in list(left_t):
            other = names_m.get(slot.name)
            if other is not None and fits(slot, other):
                pairs.append((slot.name, other.name))
                left_t.remove(slot)
                left_m.remove(other)
        for slot in list(left_t):
            names = (_last(slot.name), *SYNONYMS.get(_last(slot.name), ()))
            found = [s for s in left_m if _last(s.name) in names and fits(slot, s)]
            same_prefix = [s for s in found if _prefix(s.name) == _prefix(slot.name)]
            # the same place in the module first; else the one weight of that name anywhere
            other = same_prefix[0] if same_prefix else (found[0] if len(found) == 1 else None)
            if other is not None:
                pairs.append((slot.name, other.name))
                left_t.remove(slot)
                left_m.remove(other)
    elif mode != "order":
        return WeightMap((), (f"unknown weights mode {mode!r}",))
    ignored = [s.name for s in left_t if s.dtype not in FLOATING]
    left_t = [s for s in left_t if s.dtype in FLOATING]
    for slot, other in zip(left_t, left_m, strict=False):
        if not fits(slot, other):
            problems.append(
                f"torch {slot.name} {list(slot.shape)} cannot go into MindSpore"
                f" {other.name} {list(other.shape)}"
            )
        else:
            pairs.append((slot.name, other.name))
    missing = tuple(f"{s.name} {list(s.shape)}" for s in left_t[len(left_m) :])
    kept = tuple(f"{s.name} {list(s.shape)}" for s in left_m[len(left_t) :])
    return WeightMap(tuple(pairs), tuple(problems), tuple(ignored), missing, kept)
