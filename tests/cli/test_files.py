"""`mindport fix --write` writes files the way editors do, and never blocks on odd files."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from mindport.cli import main
from mindport.sources import WriteError, write_in_place

pytestmark = pytest.mark.usefixtures("seed_env")

SOURCE = "import torch\np = torch.nn.Parameter(w)\n"
FIXED = "import torch\nimport mindspore\np = mindspore.Parameter(w)\n"


def _fifo(path: Path) -> Path:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs on this platform")
    os.mkfifo(path)
    return path


def test_a_symlink_is_written_through_to_its_target(tmp_path: Path) -> None:
    target = tmp_path / "real.py"
    target.write_text(SOURCE, encoding="utf-8")
    link = tmp_path / "link.py"
    link.symlink_to(target)
    main(["fix", str(link), "--write"])
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert target.read_text(encoding="utf-8") == FIXED


def test_hard_links_inode_mode_stay(tmp_path: Path) -> None:
    first = tmp_path / "a.py"
    first.write_text(SOURCE, encoding="utf-8")
    os.chmod(first, 0o751)
    second = tmp_path / "b.py"
    os.link(first, second)
    inode = first.stat().st_ino
    main(["fix", str(first), "--write"])
    assert first.stat().st_ino == inode == second.stat().st_ino
    assert second.read_text(encoding="utf-8") == FIXED
    assert stat.S_IMODE(first.stat().st_mode) == 0o751
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.py", "b.py"]  # no leftovers


def test_read_only_files_are_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "ro.py"
    source.write_text(SOURCE, encoding="utf-8")
    os.chmod(source, 0o444)
    assert main(["fix", str(source), "--write"]) == 2
    assert "ro.py: not written: the file is read-only" in capsys.readouterr().err
    assert source.read_text(encoding="utf-8") == SOURCE


def test_a_file_changed_meanwhile_is_left_alone(tmp_path: Path) -> None:
    source = tmp_path / "m.py"
    source.write_bytes(b"new text\n")
    with pytest.raises(WriteError, match="changed on disk"):
        write_in_place(source, b"fixed\n", expected=b"old text\n")
    assert source.read_bytes() == b"new text\n"


def test_a_fix_the_encoding_cannot_hold_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from mindport.batch import FileResult, FixResult
    from mindport.sources import SourceFile, encode_source

    with pytest.raises(WriteError, match="latin-1 cannot encode"):
        encode_source("# 中文\n", "latin-1")
    assert FixResult(FileResult(tmp_path / "x.py"), source=SourceFile(b"", "", "latin-1"))


def test_fifos_are_skipped_in_folders_and_refused_by_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A FIFO named x.py would block any reader: run in a subprocess with a timeout so a
    regression fails instead of hanging the suite."""
    (tmp_path / "m.py").write_text(SOURCE, encoding="utf-8")
    fifo = _fifo(tmp_path / "x.py")
    for command in (["check", str(tmp_path)], ["fix", "--write", str(tmp_path)]):
        done = subprocess.run(
            [sys.executable, "-m", "mindport", *command, "--no-jedi"],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert "x.py" not in done.stdout + done.stderr
        assert done.returncode in (0, 1)
    done = subprocess.run(
        [sys.executable, "-m", "mindport", "check", str(fifo), "--no-jedi"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2 and "x.py: skipped: not a regular file" in done.stderr


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (
            b"import torch\r\n# a b\r\np = torch.nn.Parameter(w)\r\n",
            b"import torch\r\nimport mindspore\r\n# a b\r\np = mindspore.Parameter(w)\r\n",
        ),
        (
            b"\xef\xbb\xbfimport torch\n# \xe4\xb8\xad\np = torch.nn.Parameter(w)\n",
            b"\xef\xbb\xbfimport torch\nimport mindspore\n# \xe4\xb8\xad\np = mindspore.Parameter(w)\n",
        ),
        (
            b"# -*- coding: latin-1 -*-\nimport torch\n# caf\xe9\np = torch.nn.Parameter(w)\n",
            b"# -*- coding: latin-1 -*-\nimport torch\nimport mindspore\n# caf\xe9\np = mindspore.Parameter(w)\n",
        ),
        (
            b"import torch\rp = torch.nn.Parameter(w)\r",
            b"import torch\rimport mindspore\rp = mindspore.Parameter(w)\r",
        ),
        pytest.param(
            b"import torch\r\n# a\x0cb\r\np = torch.nn.Parameter(w)\r\n",
            b"import torch\r\nimport mindspore\r\n# a\x0cb\r\np = mindspore.Parameter(w)\r\n",
            id="crlf-formfeed",
        ),
        pytest.param(
            b"\xef\xbb\xbfimport torch\n# \xc2\x85 \xe2\x80\xa8\np = torch.nn.Parameter(w)\n",
            b"\xef\xbb\xbfimport torch\nimport mindspore\n# \xc2\x85 \xe2\x80\xa8\np = mindspore.Parameter(w)\n",
            id="bom-nel-u2028",
        ),
        pytest.param(
            b"# -*- coding: latin-1 -*-\nimport torch\n# \x85 caf\xe9\np = torch.nn.Parameter(w)\n",
            b"# -*- coding: latin-1 -*-\nimport torch\nimport mindspore\n# \x85 caf\xe9\np = mindspore.Parameter(w)\n",
            id="latin1-nel",
        ),
    ],
)
def test_bytes_outside_the_edits_survive(tmp_path: Path, before: bytes, after: bytes) -> None:
    source = tmp_path / "m.py"
    source.write_bytes(before)
    main(["fix", str(source), "--write"])
    assert source.read_bytes() == after
    main(["fix", str(source), "--write"])
    assert source.read_bytes() == after  # idempotent
