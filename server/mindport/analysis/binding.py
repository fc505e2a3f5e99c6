"""Map a call's arguments onto a signature, the way Python itself would."""

from __future__ import annotations

from dataclasses import dataclass, field

from mindport.analysis.references import Argument, ArgumentKind, CallSite
from mindport.kb.model import ApiSide, ParamKind


@dataclass
class BoundCall:
    """``by_param`` maps a parameter name to the argument that fills it.

    When the call spreads ``*args`` or ``**kwargs`` we cannot know which parameters they
    fill: ``spread`` is then True and nothing is claimed about parameters left unbound.
    """

    by_param: dict[str, Argument] = field(default_factory=dict)
    unmatched: list[Argument] = field(default_factory=list)
    spread: bool = False

    def argument(self, param_name: str) -> Argument | None:
        return self.by_param.get(param_name)


def bind_call(call: CallSite, side: ApiSide) -> BoundCall:
    bound = BoundCall()
    positional_params = [p for p in side.params if p.positional]
    takes_var_positional = any(p.kind is ParamKind.VAR_POSITIONAL for p in side.params)
    takes_var_keyword = any(p.kind is ParamKind.VAR_KEYWORD for p in side.params)
    keyword_names = {p.name for p in side.params if p.kind is not ParamKind.POSITIONAL_ONLY}
    index = 0
    for argument in call.arguments:
        if argument.kind is ArgumentKind.STARRED or argument.kind is ArgumentKind.DOUBLE_STARRED:
            bound.spread = True
        elif argument.kind is ArgumentKind.POSITIONAL:
            if bound.spread:
                # after *args we no longer know which slot a positional argument fills
                bound.unmatched.append(argument)
            elif index < len(positional_params):
                bound.by_param[positional_params[index].name] = argument
                index += 1
            elif not takes_var_positional:
                bound.unmatched.append(argument)
        else:
            name = argument.keyword or ""
            if name in keyword_names and name not in bound.by_param:
                bound.by_param[name] = argument
            elif not takes_var_keyword:
                bound.unmatched.append(argument)
    return bound
