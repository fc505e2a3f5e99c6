"""The language server: a thin layer over the core, one module per LSP feature.

``server`` holds the state and wiring; ``documents``, ``diagnostics``, ``hover``,
``code_actions`` and ``configuration`` each register the handlers of one feature.
"""
