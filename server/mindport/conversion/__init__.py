"""The conversion plan: the pure layer between the analysis and the fixer.

``binding`` binds a call's arguments to an API's parameters; ``plan`` decides, per argument,
what a conversion into the MindSpore target does (``plan_call``); ``edits`` writes a plan as
text edits; ``class_conversion`` plans ``nn.Module`` subclasses; ``fix`` is the ``Fix`` model.
The checks (``mindport.analysis.checks``) read their findings from a plan and attach the edits
written from the same plan; the fixer (``mindport.fixes``) applies them. This package imports
neither ``mindport.fixes`` nor the checks, and ``mindport.analysis`` never imports ``mindport.fixes``.
"""
