"""Whole-program conversions of issue 12 (pure: no torch, no mindspore): the training step
(``step``) and the checkpoint save/load pair (``checkpoint``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from mindport.analysis.findings import Finding
from mindport.analysis.static_pass import StaticResult
from mindport.kb.model import Locale
from mindport.text import Span


def training_findings(
    static: StaticResult, locale: Locale, written: Mapping[str, str] | None = None
) -> tuple[list[Finding], list[Span]]:
    """MP601 for each training step, MP602 for a save/load pair of state dicts; and the spans
    their fixes rewrite (``optimizer.step()``, ``torch.save(...)``): a call-by-call fix there
    would break the pair or the step, so the caller drops those fixes. ``written``: torch API
    -> the MindSpore API the call-by-call fixes write (the step says what the optimizer
    written needs)."""
    from mindport.training.checkpoint import checkpoint_findings
    from mindport.training.step import training_step_findings

    found: list[Finding] = []
    claimed: list[Span] = []
    for findings, spans in (
        training_step_findings(static, locale, written),
        checkpoint_findings(static, locale),
    ):
        found.extend(findings)
        claimed.extend(spans)
    return found, claimed


def release_claimed(findings: list[Finding], claimed: list[Span]) -> list[Finding]:
    """Other findings keep their messages but lose fixes that overlap a claimed span."""
    if not claimed:
        return findings
    return [
        replace(f, fix=None)
        if f.fix is not None
        and not f.code.startswith("MP6")
        and any(f.span.overlaps(c) or c.start <= f.span.start < c.end for c in claimed)
        else f
        for f in findings
    ]
