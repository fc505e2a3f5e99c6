"""The members MindPort reports as missing on MindSpore objects (analysis/mindspore_members.py)
are missing, or are not methods, in the installed mindspore."""

from __future__ import annotations

import pytest

from mindport.analysis.mindspore_members import CLASSES, MISSING

mindspore = pytest.importorskip("mindspore")


def _class(name: str) -> type:
    module, _, attribute = name.rpartition(".")
    target: object = mindspore
    for part in module.split(".")[1:]:
        target = getattr(target, part)
    found = getattr(target, attribute)
    assert isinstance(found, type)
    return found


@pytest.mark.parametrize(
    ("kind", "member"), [(kind, member) for kind, table in MISSING.items() for member in table]
)
def test_the_member_is_not_a_method_in_mindspore(kind: str, member: str) -> None:
    cls = _class(CLASSES[kind][0])
    value = getattr(cls, member, None)
    # x.size is MindSpore's element count (a property): calling it as x.size(0) fails
    assert value is None or isinstance(value, property), f"{cls.__name__}.{member} exists"
