"""Where the knowledge base is: inside an installed wheel, or at the root of a checkout."""

from __future__ import annotations

import os
from pathlib import Path

ENV_OVERRIDE = "MINDPORT_KNOWLEDGE"
_PACKAGE_DIR = Path(__file__).resolve().parent.parent


def knowledge_dir() -> Path:
    """The knowledge directory in use.

    Order: ``$MINDPORT_KNOWLEDGE``; ``mindport/_knowledge`` (the wheel puts it there, see
    pyproject's force-include); ``<checkout>/knowledge`` for editable installs and tests,
    where the package sits in ``<checkout>/server/mindport``.
    """
    override = os.environ.get(ENV_OVERRIDE)
    if override:
        return Path(override)
    bundled = _PACKAGE_DIR / "_knowledge"
    if bundled.is_dir():
        return bundled
    return _PACKAGE_DIR.parent.parent / "knowledge"
