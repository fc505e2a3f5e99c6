"""Finding torch and MindSpore references in source code and turning them into findings.

Pure core: never imports pygls, torch or mindspore. jedi is used without running code.
"""
