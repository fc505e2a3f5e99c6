"""Generate and check the knowledge base from the installed frameworks.

This is maintainer and CI tooling, run through ``mindport kb generate | validate | report``.
The modules that look at the frameworks (``introspect``, ``jedi_table``) import torch and
mindspore lazily, inside functions; everything else here is plain data processing. The
language server and the rest of the CLI never import this package.

The pipeline (each step writes reviewable files under ``knowledge/``):

1. ``claims``: the official mapping tables -> ``sources/official-claims.json`` (facts only).
2. ``introspect``: the installed torch and mindspore -> ``snapshots/<framework>.json``
   (every signature the knowledge base uses, with the method that produced it).
3. ``build``: snapshots + claims + ``curated/`` -> ``apis/**.toml`` and ``index.json``.
4. ``jedi_table``: ask jedi, set up like the server, -> ``jedi-names.json``.
"""
