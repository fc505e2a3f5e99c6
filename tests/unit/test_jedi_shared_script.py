"""One jedi Script answers every candidate of a text as a fresh Script per candidate would.

jedi limits the inferences it makes per context (300) and does not reset that count between
API calls, so a reused Script used to run out of it and answer nothing. The resolver clears
the count before each candidate; the control shows that without it answers are lost.
"""

from __future__ import annotations

from pathlib import Path

import jedi

from mindport.analysis.jedi_resolver import JediResolver
from mindport.kb.loader import load_knowledge
from tests.unit.resolution_labels import KNOWLEDGE

PAIRS = 120
TEXT = "import torch\n" + "".join(f"x{i} = torch.zeros(1)\nx{i}.view\n" for i in range(PAIRS))
POSITIONS = [(2 + 2 * i, len(f"x{i}.")) for i in range(PAIRS)]  # 0-based line, column


def test_a_shared_script_answers_every_candidate_like_a_fresh_one(tmp_path: Path) -> None:
    resolver = JediResolver(load_knowledge(KNOWLEDGE), project_root=tmp_path)
    path = tmp_path / "pairs.py"
    fresh = resolver._definitions(TEXT, path, *POSITIONS[-1])  # a Script of its own
    assert fresh and fresh[0].endswith(".view"), fresh
    script = resolver._script(TEXT, path)
    shared = [resolver._definitions(TEXT, path, line, column, script) for line, column in POSITIONS]
    assert shared == [fresh] * PAIRS


def test_control_without_clearing_a_reused_script_loses_answers(tmp_path: Path) -> None:
    resolver = JediResolver(load_knowledge(KNOWLEDGE), project_root=tmp_path)
    environment, project = resolver._setup()
    script = jedi.Script(TEXT, path=tmp_path / "pairs.py", project=project, environment=environment)
    answered = [
        bool(script.goto(line + 1, column, follow_imports=True)) for line, column in POSITIONS
    ]
    assert answered[0] and not all(answered)
