"""Read the labels of tests/data/resolution (see its README) and score an analysis against them."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from mindport.analysis.engine import Analysis
from mindport.analysis.findings import Confidence
from tests.conftest import DATA

RESOLUTION = DATA / "resolution"
KNOWLEDGE = DATA / "knowledge" / "resolution"
FILES = sorted(RESOLUTION.glob("*.py"))
CATEGORIES = ("names", "members_inferable", "members_other", "negatives", "mindspore")

_LABEL = re.compile(r"#\s*(refs|possible|miss|not):\s*([^#]*)")
_ITEM = re.compile(r"([\w.]+)\[([^\]]*)\]")

Label = tuple[int, str, str]  # (0-based line, public name, covered text)


@dataclass
class Labels:
    refs: set[Label] = field(default_factory=set)
    possible: set[Label] = field(default_factory=set)
    miss: set[Label] = field(default_factory=set)
    negatives: set[tuple[int, str]] = field(default_factory=set)  # (line, text)


def category(path: Path) -> str:
    return next(c for c in CATEGORIES if path.name.startswith(c + "_"))


def read_labels(text: str) -> Labels:
    labels = Labels()
    for number, line in enumerate(text.splitlines()):
        for kind, body in _LABEL.findall(line):
            if kind == "not":
                labels.negatives.update((number, item.strip()) for item in body.split(","))
                continue
            items = {(number, name, covered) for name, covered in _ITEM.findall(body)}
            getattr(labels, kind).update(items)
    return labels


def found(analysis: Analysis, confidence: Confidence) -> set[Label]:
    lines = analysis.static.parsed.lines
    return {
        (r.span.start.line, r.name, lines.text_of(r.span))
        for r in analysis.references
        if r.confidence is confidence
    }


def negatives_hit(confirmed: Iterable[Label], labels: Labels) -> set[tuple[int, str]]:
    """Negative labels that a confirmed reference covers (false positives)."""
    hits = set()
    for line, text in labels.negatives:
        for ref_line, _, covered in confirmed:
            if ref_line == line and (covered == text or covered.rsplit(".", 1)[-1] == text):
                hits.add((line, text))
    return hits


@dataclass
class Score:
    labelled: int = 0
    confirmed: int = 0
    negatives: int = 0
    false_positives: int = 0

    @property
    def recall(self) -> float:
        return self.confirmed / self.labelled if self.labelled else 1.0

    def add(self, other: Score) -> None:
        self.labelled += other.labelled
        self.confirmed += other.confirmed
        self.negatives += other.negatives
        self.false_positives += other.false_positives


def score(analysis: Analysis, labels: Labels, known: set[str] | None = None) -> Score:
    """Recall over the true references (``refs`` and ``miss``) and false positives.

    ``known``: only count labels whose name is in this set (another knowledge base).
    """
    truth = labels.refs | labels.miss
    if known is not None:
        truth = {label for label in truth if label[1] in known}
    confirmed = found(analysis, Confidence.CONFIRMED)
    unlabelled = confirmed - labels.refs - labels.miss
    if known is not None:
        unlabelled = {label for label in unlabelled if label not in truth}
    return Score(
        labelled=len(truth),
        confirmed=len(truth & confirmed),
        negatives=len(labels.negatives),
        false_positives=len(unlabelled) + len(negatives_hit(confirmed, labels)),
    )
