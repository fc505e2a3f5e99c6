"""jedi is asked again only about the code that changed, and answers are stable."""

from __future__ import annotations

from pathlib import Path

from mindport.analysis.checks import AnalysisOptions
from mindport.analysis.engine import Analyzer
from mindport.analysis.jedi_resolver import JediResolver
from mindport.kb.loader import load_knowledge
from tests.unit.resolution_labels import KNOWLEDGE

TEXT = """\
import numpy as np


def first(a):
    return a.sum(), a.view(1)


def second(b):
    return b.mean()
"""


def test_an_edit_re_asks_only_about_the_function_it_touched(tmp_path: Path) -> None:
    kb = load_knowledge(KNOWLEDGE)
    resolver = JediResolver(kb, project_root=tmp_path)
    analyzer = Analyzer(kb, resolver)
    path = tmp_path / "m.py"
    before = analyzer.analyze(TEXT, path, AnalysisOptions())
    assert resolver.requests == 3
    edited = TEXT.replace("return b.mean()", "c = b\n    return b.mean() + 1")
    after = analyzer.analyze(edited, path, AnalysisOptions())
    assert resolver.requests == 4  # only b.mean() in second() was asked again
    assert [r.name for r in after.references] == [r.name for r in before.references]
    header_edit = "import torch\n" + TEXT
    analyzer.analyze(header_edit, path, AnalysisOptions())
    assert resolver.requests == 7  # module-level code changed: every answer may differ


def test_refining_part_of_a_file_leaves_the_rest_open(tmp_path: Path) -> None:
    kb = load_knowledge(KNOWLEDGE)
    analyzer = Analyzer(kb, JediResolver(kb, project_root=tmp_path))
    static = analyzer.analyze_static(TEXT, AnalysisOptions())
    assert len(static.open_candidates) == 3 and not static.refined
    part = analyzer.refine(static, tmp_path / "m.py", AnalysisOptions(), lines=(0, 6))
    assert [c.member for c in part.open_candidates] == ["mean"] and not part.refined
    whole = analyzer.refine(part, tmp_path / "m.py", AnalysisOptions())
    assert whole.refined and whole.open_candidates == ()


def test_jedi_answers_are_sorted_and_de_duplicated(tmp_path: Path) -> None:
    kb = load_knowledge(KNOWLEDGE)
    # Two definitions of one name (a conditional redefinition): jedi answers with both,
    # in no guaranteed order, and possibly more than once.
    site = tmp_path / "site"
    (site / "shapes").mkdir(parents=True)
    (site / "shapes" / "__init__.py").write_text(
        "import sys\n\nif sys.platform == 'win32':\n    def view(): ...\nelse:\n    def view(): ...\n"
        "\n\nclass Zed:\n    pass\n",
        encoding="utf-8",
    )
    resolver = JediResolver(kb, project_root=tmp_path, site_paths=[str(site)])
    text = "import shapes\nshapes.view\n"
    names = resolver._definitions(text, tmp_path / "n.py", 1, 8)
    assert names == sorted(set(names)) == ["shapes.view"]
