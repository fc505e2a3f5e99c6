"""Signature text: what snapshots store, parsed back into parameters."""

from __future__ import annotations

import enum

import pytest

from mindport.kb.generate.sigtext import (
    SignatureSyntaxError,
    default_source,
    normalise_default,
    parse_params,
    parse_signature,
    render,
)
from mindport.kb.model import UNSPECIFIED, Param, ParamKind


def test_round_trip_keeps_every_kind() -> None:
    text = "(a, /, b, c=1, *args, d, e='x', **kwargs)"
    params = parse_signature(text)
    assert [p.kind for p in params] == [
        ParamKind.POSITIONAL_ONLY,
        ParamKind.POSITIONAL_OR_KEYWORD,
        ParamKind.POSITIONAL_OR_KEYWORD,
        ParamKind.VAR_POSITIONAL,
        ParamKind.KEYWORD_ONLY,
        ParamKind.KEYWORD_ONLY,
        ParamKind.VAR_KEYWORD,
    ]
    assert render(params) == text


def test_annotations_from_stubs_are_dropped() -> None:
    params = parse_params("input: Tensor, dim: _int | None = None, *, out: Tensor | None = None")
    assert render(params) == "(input, dim=None, *, out=None)"


def test_docstring_spellings_are_repaired() -> None:
    assert render(parse_params("*size, *, out=None, dtype=None")) == "(*size, out=None, dtype=None)"
    assert render(parse_params("input, ...")) == "(input)"


def test_unreadable_text_is_an_error() -> None:
    with pytest.raises(SignatureSyntaxError):
        parse_params("input (Tensor), dim")
    with pytest.raises(SignatureSyntaxError):
        parse_signature("input, dim")


def test_defaults_have_one_spelling() -> None:
    assert normalise_default('"mean"') == "'mean'"
    assert normalise_default("Ellipsis") == UNSPECIFIED
    assert normalise_default("...") == UNSPECIFIED
    assert parse_params("x=...")[0].default == UNSPECIFIED


class Mode(enum.Enum):
    FAST = "fast"


def test_default_source_of_runtime_values() -> None:
    assert default_source(None) == "None"
    assert default_source(1e-5) == "1e-05"
    assert default_source(float("inf")) == "float('inf')"
    assert default_source(-float("inf")) == "-float('inf')"
    assert default_source((1,)) == "(1,)"
    assert default_source([1, 2]) == "[1, 2]"
    assert default_source(Mode.FAST).endswith("Mode.FAST")
    assert default_source(object()) == UNSPECIFIED
    assert default_source(len) == "builtins.len"


def test_render_places_markers() -> None:
    params = (Param("a", kind=ParamKind.POSITIONAL_ONLY), Param("b", "1", ParamKind.KEYWORD_ONLY))
    assert render(params) == "(a, /, *, b=1)"
