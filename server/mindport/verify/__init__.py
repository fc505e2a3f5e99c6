"""Equivalence checks: run each converted API in torch and in MindSpore and compare.

A maintainer's tool, like ``mindport.kb.generate``: the language server never imports this
package. Cases come from the knowledge base (``cases.generated_cases``) and the case files in
``knowledge/cases/`` (``cases.load_case_files``); each torch program is converted by MindPort's
own fixer (``program``); workers in separate processes run the original and the converted
program (``runner``, ``worker``); ``compare`` decides, ``results`` aggregates and stores
``knowledge/verification.json``, ``docs`` writes ``docs/verified-apis.md``.

Run it with ``python -m mindport.verify run`` (needs the ``frameworks`` extra).
"""
