"""The knowledge base: which PyTorch API maps to which MindSpore API, and how they differ.

``model`` holds the types, ``loader`` reads ``knowledge/`` (index first, entries on demand).
This package never imports torch, mindspore or pygls.
"""
