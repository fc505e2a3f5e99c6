"""Generated Python through the static pass, the checks and fix-all (safe and unsafe).

Bounded for the default run (a few seconds each); ``MINDPORT_FUZZ_SCALE=20`` multiplies the
number of examples for a longer run in CI.
"""

from __future__ import annotations

from functools import cache

from hypothesis import HealthCheck, given, settings

from mindport.analysis.engine import Analyzer
from mindport.kb.loader import load_knowledge
from tests.fuzz.generate import deep_nesting, modules
from tests.fuzz.properties import check_text, scaled

FUZZ = settings(
    max_examples=scaled(40),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=False,
)


@cache
def analyzer() -> Analyzer:
    return Analyzer(load_knowledge())


@FUZZ
@given(modules())
def test_generated_modules(text: str) -> None:
    check_text(analyzer(), text, targets=("mint", "classic"))


@settings(FUZZ, max_examples=scaled(8))
@given(deep_nesting())
def test_deep_nesting(text: str) -> None:
    check_text(analyzer(), text)
