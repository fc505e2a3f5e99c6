"""Pairing parameters, merging overloads, categories and the tables' claims."""

from __future__ import annotations

from mindport.kb.generate.compare import (
    category_of,
    compare,
    judge_claim,
    merge_overloads,
    pair_params,
)
from mindport.kb.generate.sigtext import parse_signature as sig
from mindport.kb.generate.sigtext import render
from mindport.kb.model import UNSPECIFIED, Category


def test_merge_makes_what_some_overload_lacks_optional() -> None:
    merged = merge_overloads(
        [sig("(input, *, dtype=None)"), sig("(input, dim, keepdim=False, *, dtype=None)")]
    )
    assert render(merged) == "(input, dim=..., keepdim=False, *, dtype=None)"


def test_merge_adds_other_overloads_names_as_keyword_only() -> None:
    merged = merge_overloads([sig("(input, dim, keepdim=False)"), sig("(input, other)")])
    assert render(merged) == "(input, dim=..., keepdim=False, *, other=...)"


def test_merge_keeps_varargs_of_their_own_name() -> None:
    merged = merge_overloads([sig("(tensor, /)"), sig("(*tensors)")])
    assert render(merged) == "(tensor=..., /, *tensors)"
    merged = merge_overloads([sig("(size, *, dtype=None)"), sig("(*size, dtype=None)")])
    assert render(merged) == "(size, *, dtype=None)"


def test_merge_drops_alternative_varargs_and_relaxes_defaults() -> None:
    merged = merge_overloads([sig("(shape)"), sig("(*shape)")])
    assert render(merged) == "(shape)"
    merged = merge_overloads([sig("(x, p=1)"), sig("(x, p=2)")])
    assert merged[1].default == UNSPECIFIED


def test_pairing_by_name_then_hint_then_synonym() -> None:
    pairing = pair_params(
        sig("(input, dim=None, keepdim=False, weight=None)"),
        sig("(x, axis=None, keep_dims=False, w=None)"),
        hints=[("weight", "w")],
    )
    assert pairing.pairs == {"weight": "w", "dim": "axis", "keepdim": "keep_dims", "input": "x"}
    assert pairing.how == {
        "weight": "hint",
        "dim": "synonym",
        "keepdim": "synonym",
        "input": "synonym",
    }


def test_slot_synonyms_need_the_same_slot() -> None:
    pairing = pair_params(sig("(input, other)"), sig("(y, x)"))
    assert pairing.pairs == {"other": "x"} or pairing.pairs == {}
    assert "input" not in pairing.pairs


def test_categories_in_precedence_order() -> None:
    def category(torch: str, target: str) -> Category:
        return compare(sig(torch), sig(target)).category

    assert category("(input, *, out=None)", "(input)") is Category.CONSISTENT  # general param
    assert category("(input, inplace=False)", "(input)") is Category.TORCH_ONLY_PARAMETERS
    assert category("(input, p=0.5)", "(input, p=0.1)") is Category.DEFAULTS_DIFFER
    assert category("(input, p=0.5)", "(input, p)") is Category.DEFAULTS_DIFFER
    assert category("(input, dim=0)", "(input, axis=0)") is Category.PARAMETER_NAMES_DIFFER
    assert category("(input)", "(input, seed=0)") is Category.MINDSPORE_ONLY_PARAMETERS
    assert category("(input)", "(input, **kwargs)") is Category.CONSISTENT
    assert category("(*size)", "(size)") is Category.BEHAVIOUR_DIFFERS
    assert (
        compare(sig("(input)"), sig("(input)"), torch_kind="function", target_kind="class").category
        is Category.BEHAVIOUR_DIFFERS
    )


def test_category_of_uses_the_given_target() -> None:
    rows = compare(sig("(a, b=1)"), sig("(a, b=2)")).rows
    assert category_of(rows, "t") is Category.DEFAULTS_DIFFER
    assert category_of(rows, "t", behaviour=True) is Category.BEHAVIOUR_DIFFERS


def test_claims_are_judged_by_the_tables_rules() -> None:
    same = compare(sig("(input, *, out=None)"), sig("(input, extra=None)"))
    assert judge_claim("consistent", (), same, curated_behaviour=False).agrees is True
    assert judge_claim("consistent", (), same, curated_behaviour=True).agrees is False
    required_extra = compare(sig("(input)"), sig("(input, extra)"))
    assert judge_claim("consistent", (), required_extra, curated_behaviour=False).agrees is False

    now_has_inplace = compare(sig("(input, inplace=False)"), sig("(input, inplace=False)"))
    verdict = judge_claim("ms_lacks_param", ("inplace",), now_has_inplace, curated_behaviour=False)
    assert verdict.agrees is False and "now has inplace" in verdict.reason
    lacks = compare(sig("(input, inplace=False)"), sig("(input)"))
    assert judge_claim("ms_lacks_param", ("inplace",), lacks, curated_behaviour=False).agrees

    defaults = compare(sig("(input, dim=-1)"), sig("(input, dim=None)"))
    assert judge_claim("default_differs", ("dim",), defaults, curated_behaviour=False).agrees
    assert not judge_claim("default_differs", ("dim",), same, curated_behaviour=False).agrees

    names = compare(sig("(input, dim=0)"), sig("(input, axis=0)"))
    assert judge_claim("param_names_differ", (), names, curated_behaviour=False).agrees
    assert judge_claim("diff", (), same, curated_behaviour=False).agrees is None
    assert judge_claim("param_types_differ", (), same, curated_behaviour=False).agrees is None
    extra = compare(sig("(input)"), sig("(input, group_desc=None)"))
    assert judge_claim("ms_extra_param", ("group_desc",), extra, curated_behaviour=False).agrees


def test_curated_hints_may_share_a_target_parameter() -> None:
    torch = sig("(input, indices=..., dim=0, *, sections=...)")
    target = sig("(input, indices_or_sections, axis=0)")
    hints = [("indices", "indices_or_sections"), ("sections", "indices_or_sections")]
    assert pair_params(torch, target, hints).pairs == {
        "input": "input",
        "indices": "indices_or_sections",
        "dim": "axis",
    }
    shared = pair_params(torch, target, hints, shared=hints).pairs
    assert shared["indices"] == shared["sections"] == "indices_or_sections"


def test_unpaired_parameters_in_the_same_slots_pair_when_the_slots_tell_everything() -> None:
    # Tensor.transpose(dim0, dim1) against Tensor.swapaxes(axis0, axis1) (issue 10)
    pairing = pair_params(sig("(dim0, dim1)"), sig("(axis0, axis1)"))
    assert pairing.pairs == {"dim0": "axis0", "dim1": "axis1"}
    assert set(pairing.how.values()) == {"slot"}
    # a method going to a function: the receiver fills the function's first slot
    shifted = pair_params(sig("(other)"), sig("(input, tensor2)"), receiver_offset=1)
    assert shifted.pairs == {"other": "tensor2"}


def test_slot_pairing_refuses_partial_or_doubtful_matches() -> None:
    # something torch passes is left without a partner: the order is a coincidence
    assert (
        pair_params(sig("(dataset, batch_size=1)"), sig("(source, column_names=None)")).pairs == {}
    )
    # optional on one side only, or both None (``transform=None`` is not ``num_samples=None``)
    assert pair_params(sig("(a, b=0)"), sig("(x, y)")).pairs == {}
    assert pair_params(sig("(a=None)"), sig("(x=None)")).pairs == {}
    # the name's partner is elsewhere: Optimizer(params, defaults) / (learning_rate, parameters)
    assert pair_params(sig("(params, defaults)"), sig("(learning_rate, parameters)")).pairs == {}
    # a required MindSpore parameter would stay unfilled
    assert pair_params(sig("(a)"), sig("(x, y)")).pairs == {}
