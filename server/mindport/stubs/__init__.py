"""Torch stubs for jedi, used when torch is not installed where the analysed code runs.

``site/`` is a directory jedi can put on its path: ``site/torch/**/__init__.pyi``, written by
``python -m mindport.stubs.generate`` from the knowledge base and
``mindport.analysis.torch_types``. The server never imports torch, and nor do the stubs'
users: jedi only parses them.
"""

from pathlib import Path

STUBS_DIR = Path(__file__).resolve().parent / "site"
