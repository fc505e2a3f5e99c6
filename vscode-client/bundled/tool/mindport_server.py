"""Starts MindPort's language server from the copy bundled with the VS Code extension.

The extension runs ``python -I mindport_server.py [--stdio]``. ``-I`` keeps PYTHONPATH, the user
site-packages and the current directory out of ``sys.path``; ``../libs`` (MindPort, its knowledge
base and its pure-Python dependencies) goes first, so the interpreter's own packages cannot shadow
them. ``--check`` only verifies that the server and its knowledge base load (exit code 0).
"""

import os
import sys

if sys.version_info < (3, 10):
    sys.stderr.write(
        "MindPort needs Python 3.10 or newer; %s is %d.%d.\n"
        % (sys.executable, sys.version_info[0], sys.version_info[1])
    )
    sys.exit(3)

LIBS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "libs")
if os.path.isdir(LIBS):  # absent when running the extension from source: use the environment's
    sys.path.insert(0, LIBS)


def main() -> int:
    arguments = sys.argv[1:]
    if arguments == ["--check"]:
        import mindport
        from mindport.kb.loader import load_knowledge
        from mindport.lsp.server import create_server  # noqa: F401  (imports pygls and friends)

        kb = load_knowledge()
        print("mindport %s: %d knowledge entries, %d problem(s), from %s"
              % (mindport.__version__, len(kb.ids), len(kb.problems), os.path.dirname(mindport.__file__)))
        return 0
    from mindport.cli import main as mindport_main

    return mindport_main(["serve", *arguments])


if __name__ == "__main__":
    sys.exit(main())
