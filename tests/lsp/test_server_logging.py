"""Expected cancellations are not logged (VS Code shows server stderr lines as errors)."""

from __future__ import annotations

import logging

from mindport.lsp.server import ExpectedCancellations


def _record(name: str, message: str) -> logging.LogRecord:
    return logging.LogRecord(name, logging.WARNING, __file__, 1, message, None, None)


def test_a_cancel_for_a_finished_request_is_not_logged() -> None:
    keep = ExpectedCancellations()
    assert not keep.filter(
        _record("pygls.protocol.json_rpc", 'Cancel notification for unknown message id "15"')
    )
    assert keep.filter(_record("pygls.protocol.json_rpc", "Failed to handle request 3"))
    assert keep.filter(_record("mindport", "Cancel notification for unknown message id"))
