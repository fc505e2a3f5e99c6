"""With torch and mindspore installed, MindPort's server and CLI still never import them: jedi
reads their files, the knowledge base holds their signatures as data."""

from __future__ import annotations

from tests.frameworks.conftest import require_frameworks
from tests.test_architecture import ANALYSE_EXAMPLES, imported_after


def test_analysing_the_examples_imports_neither_framework() -> None:
    require_frameworks()
    loaded = imported_after(["mindport.lsp.server", "mindport.cli"], ANALYSE_EXAMPLES)
    assert "mindport" in loaded and "jedi" in loaded
    assert "torch" not in loaded and "mindspore" not in loaded
