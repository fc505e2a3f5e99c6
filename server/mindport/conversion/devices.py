"""Where the ported code must run (the ``devices`` setting) decides the target a fix writes.

The equivalence suite runs on CPU, so kernel availability is known for CPU only: a target
whose check says ``no-cpu-kernel`` does not run there. When ``devices`` lists ``cpu`` and the
preferred target has no CPU kernel, the other target is written if the suite verified it on
CPU; if none is, the fix stays but is unsafe and says why. Ascend and GPU availability is not
measured here, so it never blocks a fix (``mint`` is MindSpore's Ascend-first namespace).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

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


def _no_cpu_kernel(verification: Verification | None, target_id: str) -> bool:
    check = verification.targets.get(target_id) if verification is not None else None
    return check is not None and check.kind == "no-cpu-kernel"


def _verified(verification: Verification | None, target_id: str) -> bool:
    check = verification.targets.get(target_id) if verification is not None else None
    return check is not None and check.status == "verified"


def choose_target(
    entry: Entry,
    preference: str,
    devices: Sequence[str],
    verification: Verification | None,
) -> TargetChoice | None:
    """The target a fix writes for ``entry`` under the ``target`` and ``devices`` settings."""
    chosen = entry.choose_target(preference)
    if chosen is None:
        return None
    target_id, target = chosen
    if "cpu" not in devices or not _no_cpu_kernel(verification, target_id):
        return TargetChoice(target_id, target)
    for other_id, other in entry.targets.items():
        if other_id != target_id and _verified(verification, other_id):
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


def not_running(
    written: Iterable[tuple[str | None, str | None]],
    verification_of: Callable[[str], Verification | None],
    devices: Sequence[str],
) -> int:
    """How many of the converted calls ``written`` (entry id, MindSpore API written) have no
    kernel on a listed device. ``verification_of`` is ``KnowledgeBase.verification``."""
    if "cpu" not in devices:
        return 0
    count = 0
    for entry_id, api in written:
        if entry_id is None or api is None:
            continue
        verification = verification_of(entry_id)
        if verification is None:
            continue
        if any(
            check.api == api and check.kind == "no-cpu-kernel"
            for check in verification.targets.values()
        ):
            count += 1
    return count
