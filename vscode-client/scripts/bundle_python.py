"""Bundle MindPort, its knowledge base and its pure-Python dependencies into ``bundled/libs``.

The .vsix then needs nothing but a Python >= 3.10 on the user's machine: the bootstrap script
``bundled/tool/mindport_server.py`` puts ``bundled/libs`` first on ``sys.path`` and starts the
server. Dependencies are resolved for the oldest supported Python (3.10), so back-ports such as
``tomli`` and ``exceptiongroup`` are included; every wheel must be pure Python (``py3-none-any``),
which ``--only-binary=:all:`` with a foreign ``--python-version`` enforces.

    python scripts/bundle_python.py     # what `npm run bundle-python` runs (needs pip and PyPI)

MINDPORT_SOURCE=DIR bundles the MindPort source tree in DIR instead of this repository's.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from email.parser import Parser
from pathlib import Path

from pip._vendor.packaging.requirements import Requirement  # pip is needed here anyway

CLIENT = Path(__file__).resolve().parent.parent
REPO = CLIENT.parent
LIBS = CLIENT / "bundled" / "libs"
OLDEST_PYTHON = "3.10"
# pip evaluates environment markers for the running interpreter even with --python-version,
# so the back-ports that only 3.10 needs are found by evaluating the markers ourselves.
MARKER_ENVIRONMENT = {"python_version": OLDEST_PYTHON, "python_full_version": f"{OLDEST_PYTHON}.0"}
PIP_INSTALL = (
    "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--root-user-action=ignore",
    "--target", str(LIBS), "--python-version", OLDEST_PYTHON, "--only-binary=:all:", "--no-compile",
)


def run(*args: str) -> None:
    print("+", " ".join(args), flush=True)
    subprocess.run(args, check=True)


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def missing_for_oldest_python() -> list[str]:
    """Requirements of the bundled distributions that 3.10 needs but are not bundled."""
    installed: set[str] = set()
    requirements: list[Requirement] = []
    for metadata in LIBS.glob("*.dist-info/METADATA"):
        message = Parser().parsestr(metadata.read_text(encoding="utf-8"))
        installed.add(_normalise(message["Name"]))
        requirements += [Requirement(text) for text in message.get_all("Requires-Dist") or []]
    return sorted(
        {
            f"{requirement.name}{requirement.specifier}"  # the marker holds for 3.10
            for requirement in requirements
            if _normalise(requirement.name) not in installed
            and (
                requirement.marker is None
                or requirement.marker.evaluate({**MARKER_ENVIRONMENT, "extra": ""})
            )
        }
    )


def interpreters() -> dict[str, str]:
    """One CPython >= 3.10 per minor version found here: this one, then python3.N on PATH."""
    found: dict[str, str] = {f"{sys.version_info[0]}.{sys.version_info[1]}": sys.executable}
    for minor in range(10, 20):
        version = f"3.{minor}"
        executable = shutil.which(f"python{version}")
        if version in found or executable is None:
            continue
        probe = subprocess.run(  # pyenv's shims exist for versions that are not installed
            [executable, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
            capture_output=True, text=True, check=False,
        )
        if probe.returncode == 0 and probe.stdout.strip() == version:
            found[version] = executable
    return found


def compile_bytecode() -> None:
    """Ship bytecode, so that the server's first start after installing the extension does not
    compile the ~100,000 bundled lines first (a 3.1 s start became 1.2 s on a busy 2-core machine).

    Only interpreters of the minor versions found on the build machine use it; others compile
    on their first start as before (and keep the result where the extension folder is
    writable). ``checked-hash`` pycs are valid whatever modification times the .vsix
    installation gives the files, and are never used for a source that differs.
    """
    for version, executable in sorted(interpreters().items()):
        command = (
            executable, "-m", "compileall", "-qq", "-j", "0",
            "--invalidation-mode", "checked-hash", str(LIBS),
        )
        print("+", " ".join(command), flush=True)
        # A file this version cannot compile simply has no bytecode (and fails at import
        # exactly as it would without this step).
        status = subprocess.run(command, check=False).returncode
        print(f"bytecode for Python {version} ({executable}): exit {status}")


def main() -> int:
    if sys.version_info < (3, 10):
        print("bundle_python.py needs Python >= 3.10", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="mindport-wheel-") as wheels:
        source = os.environ.get("MINDPORT_SOURCE") or str(REPO)
        run(
            sys.executable, "-m", "pip", "wheel", "--quiet", "--disable-pip-version-check",
            "--no-deps", "--wheel-dir", wheels, source,
        )
        (wheel,) = Path(wheels).glob("mindport-*.whl")
        shutil.rmtree(LIBS, ignore_errors=True)
        run(sys.executable, *PIP_INSTALL, str(wheel))
    for _ in range(5):  # back-ports of back-ports: a short closure
        missing = missing_for_oldest_python()
        if not missing:
            break
        run(sys.executable, *PIP_INSTALL, "--no-deps", *missing)
    # Console scripts point at the build machine's interpreter.
    shutil.rmtree(LIBS / "bin", ignore_errors=True)
    for cache in list(LIBS.rglob("__pycache__")):
        shutil.rmtree(cache, ignore_errors=True)
    compile_bytecode()
    # Smoke test: the bundle alone (isolated mode, nothing from this environment) loads the
    # server and the knowledge base.
    probe = (
        "import sys; sys.path.insert(0, sys.argv[1]); "
        "import mindport.lsp.server as s, mindport.kb.loader as k; "
        "kb = k.load_knowledge(); assert kb.ids, 'empty knowledge base'; "
        "print('bundle ok:', len(kb.ids), 'knowledge entries from', s.__file__)"
    )
    run(sys.executable, "-I", "-B", "-c", probe, str(LIBS))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
