"""What the resolver found: references to known APIs, with the call they are part of."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from mindport.analysis.findings import Confidence
from mindport.kb.model import Framework
from mindport.text import Span


class ArgumentKind(enum.Enum):
    POSITIONAL = "positional"
    KEYWORD = "keyword"
    STARRED = "starred"  # *args at the call site
    DOUBLE_STARRED = "double-starred"  # **kwargs at the call site


@dataclass(frozen=True, slots=True)
class Argument:
    kind: ArgumentKind
    span: Span  # the whole argument, ``name=value`` included
    value_span: Span
    value_source: str
    keyword: str | None = None
    keyword_span: Span | None = None


@dataclass(frozen=True, slots=True)
class CallSite:
    span: Span  # from the callee's first character to the closing parenthesis
    arguments: tuple[Argument, ...]
    close_paren: Span  # the ``)`` itself


class Resolution(enum.Enum):
    IMPORTS = "imports"  # the static pass: import aliases and plain names
    TYPES = "types"  # the static pass: the receiver's type follows from torch calls or annotations
    JEDI = "jedi"  # jedi's inference
    NAME = "name"  # a guess from the member's name alone (always ``Confidence.POSSIBLE``)


class ReferenceKind(enum.Enum):
    NAME = "name"  # the API is named: ``torch.randn``, ``nn.Linear``, ``F.relu``
    MEMBER = "member"  # a method or attribute of a value: ``x.view``; the span is ``view``
    INSTANCE = "instance"  # a value of the API's class is called: ``self.fc(x)``


@dataclass(frozen=True, slots=True)
class Reference:
    """One use of a known API in the code."""

    name: str  # the public name as the knowledge base spells it
    framework: Framework
    span: Span  # the dotted expression that names the API (``nn.Parameter``)
    resolution: Resolution
    call: CallSite | None = None
    is_import: bool = False  # the name inside ``from torch.nn import Parameter``
    kind: ReferenceKind = ReferenceKind.NAME
    confidence: Confidence = Confidence.CONFIRMED
    receiver: Span | None = None  # for members: the expression before the dot
