"""``mindport.migrationSummary`` over real JSON-RPC: the workspace's findings by rule, API and file."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from tests.lsp.conftest import SERVER, accept_registrations, open_document

DEMO = Path(__file__).resolve().parents[2] / "examples" / "parameter_demo.py"
TORCH = "import torch.nn as nn\n\nw = nn.Parameter(x)\nv = nn.Parameter(y)\n"

# One server for the module; the test that opens a document runs last.
pytestmark = pytest.mark.asyncio(loop_scope="module")


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp_path = tmp_path_factory.mktemp("project")
    (tmp_path / "model.py").write_text(TORCH, encoding="utf-8")
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "demo.py").write_text(DEMO.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "pkg" / "plain.py").write_text("print('no torch here')\n", encoding="utf-8")
    (tmp_path / ".venv" / "lib").mkdir(parents=True)  # virtual environments are skipped
    (tmp_path / ".venv" / "lib" / "vendored.py").write_text(TORCH, encoding="utf-8")
    (tmp_path / "broken.py").write_bytes(b"# -*- coding: no-such-codec -*-\nx = 1\n")
    return tmp_path


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER), scope="module")
async def client(lsp_client: LanguageClient, project: Path) -> AsyncIterator[None]:
    accept_registrations(lsp_client)
    lsp_client.initialize_result = await lsp_client.initialize_session(  # type: ignore[attr-defined]
        types.InitializeParams(
            capabilities=client_capabilities("visual-studio-code"),
            workspace_folders=[types.WorkspaceFolder(uri=project.as_uri(), name="project")],
            locale="en-us",
        )
    )
    yield
    await lsp_client.shutdown_session()


async def summary_of(client: LanguageClient) -> dict:
    result = await client.workspace_execute_command_async(
        types.ExecuteCommandParams(command="mindport.migrationSummary", arguments=[])
    )
    assert isinstance(result, dict)
    return result


async def test_the_command_is_advertised(client: LanguageClient) -> None:
    result: types.InitializeResult = client.initialize_result  # type: ignore[attr-defined]
    provider = result.capabilities.execute_command_provider
    assert provider is not None
    assert "mindport.migrationSummary" in provider.commands


async def test_summary_counts_the_workspace(client: LanguageClient, project: Path) -> None:
    result = await summary_of(client)
    assert result["filesScanned"] == 3  # model.py, pkg/demo.py, pkg/plain.py; not .venv
    files = {f["path"]: f for f in result["files"]}
    assert set(files) == {"model.py", "pkg/demo.py"}
    assert files["model.py"]["byCode"] == {"MP101": 2}
    demo = files["pkg/demo.py"]["byCode"]
    assert demo["MP101"] >= 6 and demo["MP301"] == 1  # every spelling of Parameter in the demo
    assert result["byCode"]["MP101"] == 2 + demo["MP101"]
    assert (
        sum(result["byCode"].values())
        == result["total"]
        == sum(f["total"] for f in result["files"])
    )
    assert result["byApi"]["torch.nn.Parameter"] >= 2
    assert result["safe"] <= result["fixable"] <= result["total"]
    assert [p for p in result["problems"] if p.startswith("broken.py: ")], result["problems"]
    markdown = result["markdown"]
    assert markdown.startswith("# MindPort migration summary")
    assert "| `torch.nn.Parameter` | `mindspore.Parameter` |" in markdown
    assert "| pkg/demo.py |" in markdown
    assert "broken.py" in markdown


async def test_open_documents_count_with_their_unsaved_text(
    client: LanguageClient, project: Path
) -> None:
    uri = (project / "model.py").as_uri()
    await open_document(client, uri, TORCH + "u = nn.Parameter(z)\n")
    result = await summary_of(client)
    files = {f["path"]: f for f in result["files"]}
    assert files["model.py"]["byCode"] == {"MP101": 3}
