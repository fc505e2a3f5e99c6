"""Between the core's positions (0-based lines, code-point columns) and LSP's.

LSP columns are counted in the encoding negotiated at initialize: UTF-16 code units for
VS Code, UTF-8 bytes or code points for some other clients. On the line
``x = '😀'; torch.nn.Parameter(w)`` the name starts at code point 10, which is character 11
in UTF-16 and 13 in UTF-8. pygls' position codec does the conversion; all we must do is
never put a code-point column into an LSP ``Range`` without it.
"""

from __future__ import annotations

from collections.abc import Sequence

from lsprotocol import types
from pygls.workspace.position_codec import PositionCodec

from mindport.analysis.findings import Finding
from mindport.analysis.rules import RULES
from mindport.text import Position, Span

SOURCE = "mindport"


def to_range(span: Span, lines: Sequence[str], codec: PositionCodec) -> types.Range:
    return types.Range(
        start=codec.position_to_client_units(
            lines, types.Position(span.start.line, span.start.column)
        ),
        end=codec.position_to_client_units(lines, types.Position(span.end.line, span.end.column)),
    )


def from_client_position(
    position: types.Position, lines: Sequence[str], codec: PositionCodec
) -> Position:
    # pygls' codec clamps the character in place when it is past the line's end: pass a copy.
    copy = types.Position(line=position.line, character=position.character)
    converted = codec.position_from_client_units(lines, copy)
    return Position(converted.line, converted.character)


# A detail that changes what the user does next stays on the diagnostic's one line.
_KEPT_DETAILS = ("No automatic fix", "无法自动修复")


def one_line(message: str) -> str:
    """The diagnostic's message: its first line (the card and the rule page have the rest),
    plus why there is no automatic fix, when there is none."""
    first, *rest = message.split("\n")
    kept = [line for line in rest if line.startswith(_KEPT_DETAILS)]
    return " ".join([first, *kept[:1]])


def to_diagnostic(
    finding: Finding, lines: Sequence[str], codec: PositionCodec, *, with_code_description: bool
) -> types.Diagnostic:
    rule = RULES.get(finding.code)
    return types.Diagnostic(
        range=to_range(finding.span, lines, codec),
        severity=types.DiagnosticSeverity(int(finding.severity)),
        code=finding.code,
        code_description=types.CodeDescription(href=rule.url)
        if rule and with_code_description
        else None,
        source=SOURCE,
        message=one_line(finding.message),
        data={
            "entry": finding.entry_id,
            "torch": finding.torch_api,
            "mindspore": finding.mindspore_api,
        },
    )
