"""Where the ported code must run (the ``devices`` setting) decides the target a fix writes.

The equivalence suite runs on CPU, so kernel availability is known for CPU only: a target
whose check says ``no-cpu-kernel`` does not run there. When ``devices`` lists ``cpu`` and the
preferred target has no CPU kernel, the other target is written if the suite verified it on
CPU; if none is, the fix stays but is unsafe and says why. Ascend and GPU availability is not
measured here, so it never blocks a fix (``mint`` is MindSpore's Ascend-first namespace).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from mindport.conversion.evidence import Values, no_kernel_for_call, verified_for_call
from mindport.kb.model import ApiSide, Entry, LocalText
from mindport.kb.verification import Verification

DEVICES = ("cpu", "gpu", "ascend")
DEFAULT_DEVICES = ("cpu", "ascend")


@dataclass(frozen=True, slots=True)
class TargetChoice:
    target_id: str
    target: ApiSide
    # The preferred target's API, when another target is written because it has no kernel
    # on a listed device.
    instead_of: str | None = None
    # Why the written target does not run on a listed device (then the fix is unsafe).
    missing: LocalText | None = None


def choose_target(
    entry: Entry,
    preference: str,
    devices: Sequence[str],
    verification: Verification | None,
    call: Values | None = None,
) -> TargetChoice | None:
    """The target a fix writes for ``entry`` under the ``target`` and ``devices`` settings.

    ``call`` is the call's parameter values (``evidence.values_of_call``; None when there is
    no call or it cannot be read): the suite's cases are read for this call, so a target
    that failed only for values this call does not pass counts as running (and verified)
    for it.
    """
    chosen = entry.choose_target(preference)
    if chosen is None:
        return None
    target_id, target = chosen
    if "cpu" not in devices or not no_kernel_for_call(entry, verification, target_id, call):
        return TargetChoice(target_id, target)
    for other_id, other in entry.targets.items():
        if other_id != target_id and verified_for_call(entry, verification, other_id, call):
            return TargetChoice(other_id, other, instead_of=target.name)
    version = verification.versions.get("mindspore", "") if verification else ""
    return TargetChoice(
        target_id,
        target,
        missing=LocalText(
            en=f"{target.name} has no CPU kernel in MindSpore {version}, and `devices` lists cpu",
            zh=f"{target.name} 在 MindSpore {version} 中没有 CPU 实现,而 `devices` 包含 cpu",
        ),
    )
