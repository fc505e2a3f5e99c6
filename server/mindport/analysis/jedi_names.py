"""Map the definition names jedi reports back to public API names.

jedi names the place where something is *defined* (``torch._C._VariableFunctions.abs``),
not how users spell it (``torch.abs``). The knowledge base may ship a generated table
(``jedi-names.json``); these rules are the fallback for names the table does not list.
"""

from __future__ import annotations

import re

from mindport.analysis.torch_types import class_chain
from mindport.kb.loader import KnowledgeBase

_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"^torch\._C\._VariableFunctions\.(\w+)$", r"torch.\1"),
        (r"^torch\._C\.(?:_TensorBase|TensorBase)\.(\w+)$", r"torch.Tensor.\1"),
        (r"^torch\._tensor\.Tensor\.(\w+)$", r"torch.Tensor.\1"),
        (r"^torch\.nn\.modules\.\w+\.(\w+)$", r"torch.nn.\1"),
        (r"^torch\.nn\.modules\.\w+\.(\w+)\.(\w+)$", r"torch.nn.\1.\2"),
        (r"^torch\.optim\.(?!lr_scheduler)\w+\.(\w+)$", r"torch.optim.\1"),
        (r"^torch\.optim\.(?!lr_scheduler)\w+\.(\w+)\.(\w+)$", r"torch.optim.\1.\2"),
        (r"^torch\.nn\.parameter\.(\w+)$", r"torch.nn.\1"),
        (r"^torch\._C\._nn\.(\w+)$", r"torch.nn.functional.\1"),
        (r"^torch\.functional\.(\w+)$", r"torch.\1"),
        (r"^torch\.autograd\.grad_mode\.(\w+)$", r"torch.\1"),
        (r"^torch\._C\.(\w+)$", r"torch.\1"),
        (r"^mindspore\.common\.\w+\.(\w+)$", r"mindspore.\1"),
        (r"^mindspore\.common\.tensor\.Tensor\.(\w+)$", r"mindspore.Tensor.\1"),
    )
)


def public_name(definition: str, kb: KnowledgeBase) -> str | None:
    """The knowledge base's name for a jedi definition name, or None when it is not ours.

    A member defined on a subclass (``torch.optim.adam.Adam.step``) is the base class's
    member the knowledge base describes (``torch.optim.Optimizer.step``).
    """
    if kb.knows(definition):
        return definition
    mapped = kb.jedi_public_name(definition)
    if mapped is not None:
        return mapped
    for pattern, replacement in _RULES:
        candidate, count = pattern.subn(replacement, definition)
        if not count:
            continue
        if kb.knows(candidate):
            return candidate
        owner, _, member = candidate.rpartition(".")
        for base in class_chain(owner)[1:]:
            if kb.knows(f"{base}.{member}"):
                return f"{base}.{member}"
    return None
