"""Tests that run torch and mindspore themselves: skipped, with the reason, when they are absent.

Install them with ``python -m pip install -e '.[test,frameworks]'`` (torch 2.13.0, mindspore
2.10.0). CI runs these with the frameworks installed.
"""

from __future__ import annotations

import pytest

REASON = (
    "needs torch and mindspore (pip install -e '.[test,frameworks]'); the knowledge-base"
    " validation and behaviour checks were not run"
)


def require_frameworks() -> None:
    pytest.importorskip("torch", reason=REASON)
    pytest.importorskip("mindspore", reason=REASON)
