"""Run every case in both frameworks, each API isolated from the others.

Workers are separate processes (``multiprocessing``, spawn): one for torch, ``jobs`` for
MindSpore. Each case is one request with a timeout; a worker that crashes (a segfault in a
kernel, say) or does not answer in time is killed and replaced, and only that case is
reported, as not verifiable with the reason. torch runs first; its results (which outputs
have gradients, the module's weights) go with the MindSpore request.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import queue
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mindport.kb.model import Entry
from mindport.verify.cases import ApiCases, Case, CaseKind
from mindport.verify.compare import Tolerance, comparable, describe, differences
from mindport.verify.inputs import case_inputs, optimizer_inputs
from mindport.verify.program import Conversion, FindingsOf, convert, suite_notes, torch_program
from mindport.verify.results import (
    DIFFERS,
    NOT_VERIFIABLE,
    PASS,
    ApiResult,
    CaseResult,
    api_status,
    target_result,
)
from mindport.verify.weights import FLOATING

CASE_TIMEOUT = 60.0
START_TIMEOUT = 300.0
Progress = Callable[[str], None]


class Worker:
    """One framework in one process; restarted after a crash or a timeout."""

    def __init__(
        self, framework: str, log_dir: Path, target: Callable[..., None] | None = None
    ) -> None:
        self.framework = framework
        self.target = target  # the process's main function (default: worker.serve)
        self.log_path = log_dir / f"{framework}-{id(self)}.log"
        self.process: Any = None
        self.connection: Any = None
        self.versions: dict[str, str] = {}
        self.restarts = 0

    def start(self) -> None:
        from mindport.verify.worker import serve

        context = multiprocessing.get_context("spawn")
        parent, child = context.Pipe()
        process = context.Process(
            target=self.target or serve,
            args=(child, self.framework, str(self.log_path)),
            daemon=True,
        )
        process.start()
        child.close()
        self.process, self.connection = process, parent
        if not parent.poll(START_TIMEOUT):
            self.stop()
            raise RuntimeError(f"the {self.framework} worker did not start: {self.log_tail()}")
        try:
            hello = parent.recv()
        except (EOFError, OSError):
            self.stop()
            raise RuntimeError(f"the {self.framework} worker died: {self.log_tail()}") from None
        if not hello.get("ready"):
            self.stop()
            raise RuntimeError(f"the {self.framework} worker failed: {hello.get('error')}")
        self.versions = dict(hello["versions"])

    def log_tail(self, lines: int = 3) -> str:
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
        tail = [line for line in text.splitlines() if line.strip()][-lines:]
        return " | ".join(tail)[-300:]

    def stop(self) -> None:
        if self.connection is not None:
            with contextlib.suppress(OSError, ValueError):
                self.connection.send(None)
        if self.process is not None:
            self.process.join(timeout=5)
            if self.process.is_alive():
                self.process.kill()
                self.process.join(timeout=5)
        if self.connection is not None:
            self.connection.close()
        self.process = self.connection = None

    def kill(self) -> None:
        if self.process is not None and self.process.is_alive():
            self.process.kill()
            self.process.join(timeout=5)
        if self.connection is not None:
            self.connection.close()
        self.process = self.connection = None
        self.restarts += 1

    def call(self, request: Mapping[str, Any], timeout: float = CASE_TIMEOUT) -> dict[str, Any]:
        if self.process is None:
            self.start()
        assert self.connection is not None
        try:
            self.connection.send(dict(request))
            if not self.connection.poll(timeout):
                self.kill()
                return {"ok": False, "stage": "timeout", "error": f"no answer in {timeout:g} s"}
            answer: dict[str, Any] = self.connection.recv()
            return answer
        except (EOFError, OSError, BrokenPipeError):
            code = None
            if self.process is not None:
                self.process.join(timeout=5)  # reap it, so the exit code is known
                code = self.process.exitcode
            self.kill()
            tail = self.log_tail()
            return {
                "ok": False,
                "stage": "crash",
                "error": f"the {self.framework} process died (exit code {code})"
                + (f": {tail}" if tail else ""),
            }


@dataclass
class _Job:
    api: str
    case: Case
    program: str
    conversions: dict[str, Conversion]
    request: dict[str, Any]
    torch: dict[str, Any] | None = None


def _request(case: Case, program: str) -> dict[str, Any]:
    request: dict[str, Any] = {
        "kind": case.kind.value,
        "program": program,
        "seed": case.seed,
        "grad": case.grad,
        "wrt": list(case.wrt) if case.wrt is not None else None,
        "train": case.train,
        "weights_mode": case.weights,
    }
    if case.kind in (CaseKind.OPTIMIZER, CaseKind.SCHEDULER):
        request["params"], request["grads"] = optimizer_inputs(case)
        request["inputs"] = []
    else:
        request["inputs"] = case_inputs(case)
    return request


def _result(
    case: Case,
    target: str,
    conversion: Conversion,
    status: str,
    detail: str | None = None,
    stage: str | None = None,
    compared: Sequence[str] = (),
) -> CaseResult:
    return CaseResult(
        case.id,
        target,
        status,
        detail,
        stage,
        tuple(compared),
        conversion.unsafe,
        conversion.text,
        conversion.warned,
    )


def compare_case(
    case: Case, target: str, conversion: Conversion, torch: Mapping[str, Any], ms: Mapping[str, Any]
) -> CaseResult:
    """The verdict for one case and one target."""
    if not ms.get("ok"):
        stage = f"mindspore {ms.get('stage')}"
        return _result(case, target, conversion, NOT_VERIFIABLE, str(ms.get("error")), stage)
    tolerance = Tolerance(case.rtol, case.atol)
    found = differences(torch["output"], ms["output"], "output", tolerance, values=not case.random)
    compared = ["shapes", "dtypes"] if case.random else ["values", "shapes", "dtypes"]
    before_after = zip(torch.get("after") or [], ms.get("after") or [], strict=False)
    for (name, _), (theirs, ours) in zip(case.inputs, before_after, strict=False):
        # the receiver and every argument as the call leaves them (in-place methods, out=)
        found += differences(
            theirs, ours, f"{name} after the call", tolerance, values=not case.random
        )
    if torch.get("after") and case.kind is CaseKind.FUNCTION:
        compared.append("inputs after the call")
    if case.kind is CaseKind.MODULE:
        compared.append("weights copied")
        for name in ms.get("missing_weights", []):
            found.append(f"weights: the converted module has no parameter for torch's {name}")
        for name, value in torch.get("state", {}).items():
            other = ms.get("state", {}).get(name)
            if other is None and value.get("dtype") not in FLOATING:
                continue  # a counter such as num_batches_tracked, left out when copying
            if other is None:
                found.append(f"buffer {name}: no MindSpore counterpart to compare")
            else:
                found += differences(value, other, f"buffer {name}", tolerance)
        if torch.get("state"):
            compared.append("buffers")
    if not found and torch.get("grads") is not None and not case.random:
        theirs = ms.get("grads")
        if theirs is None:
            error = ms.get("grad_error") or "MindSpore gave no gradient"
            return _result(
                case,
                target,
                conversion,
                NOT_VERIFIABLE,
                f"the outputs agree, but the gradient fails in MindSpore: {error}",
                "mindspore backward",
                compared,
            )
        else:
            for name, value in torch["grads"].items():
                if name not in theirs:
                    found.append(f"gradient of {name}: missing in MindSpore")
                else:
                    found += differences(value, theirs[name], f"gradient of {name}", tolerance)
        compared.append("gradients")
    if found:
        return _result(case, target, conversion, DIFFERS, "; ".join(found), None, compared)
    if case.random:
        detail = "random values: only shapes and dtypes were compared, and they agree"
        return _result(case, target, conversion, NOT_VERIFIABLE, detail, "random", compared)
    return _result(case, target, conversion, PASS, None, None, compared)


def _targets_of(entry: Entry, case: Case) -> list[str]:
    return [t for t in entry.targets if case.targets is None or t in case.targets]


class Runner:
    """Workers for both frameworks; ``run`` verifies a list of APIs."""

    def __init__(self, jobs: int = 1, log_dir: Path | None = None) -> None:
        self._tmp = None if log_dir else tempfile.TemporaryDirectory(prefix="mindport-verify-")
        self.log_dir = log_dir or Path(self._tmp.name if self._tmp else ".")
        self.jobs = max(1, jobs)
        self.torch = Worker("torch", self.log_dir)
        self.mindspore = [Worker("mindspore", self.log_dir) for _ in range(self.jobs)]

    def versions(self) -> dict[str, str]:
        if self.torch.process is None:
            self.torch.start()
        if self.mindspore[0].process is None:
            self.mindspore[0].start()
        return {**self.torch.versions, **self.mindspore[0].versions}

    def close(self) -> None:
        for worker in (self.torch, *self.mindspore):
            worker.stop()
        if self._tmp is not None:
            self._tmp.cleanup()

    def __enter__(self) -> Runner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def run(
        self,
        api_cases: Sequence[ApiCases],
        entries: Mapping[str, Entry],
        findings_of: FindingsOf,
        progress: Progress | None = None,
    ) -> list[ApiResult]:
        say = progress or (lambda _: None)
        jobs: list[_Job] = []
        for item in api_cases:
            entry = entries.get(item.api)
            if entry is None or item.skip or item.problem:
                continue
            for case in item.cases:
                program = torch_program(case)
                notes = suite_notes(entry)
                conversions = {
                    t: convert(program, t, findings_of, notes) for t in _targets_of(entry, case)
                }
                jobs.append(_Job(item.api, case, program, conversions, _request(case, program)))
        say(f"{len(jobs)} cases converted; running torch")
        started = time.perf_counter()
        for n, job in enumerate(jobs, 1):
            job.torch = self.torch.call(job.request)
            if n % 200 == 0:
                say(f"torch: {n}/{len(jobs)} ({time.perf_counter() - started:.0f} s)")
        tasks: queue.Queue[tuple[_Job, str]] = queue.Queue()
        outcomes: dict[tuple[int, str], CaseResult] = {}
        for index, job in enumerate(jobs):
            for target, conversion in job.conversions.items():
                result = self._before_mindspore(job, target, conversion)
                if result is not None:
                    outcomes[(index, target)] = result
                else:
                    tasks.put((job, target))
        total = tasks.qsize()
        say(f"running MindSpore: {total} programs with {self.jobs} worker(s)")
        index_of = {id(job): n for n, job in enumerate(jobs)}
        lock = threading.Lock()
        done = [0]

        def work(worker: Worker) -> None:
            while True:
                try:
                    job, target = tasks.get_nowait()
                except queue.Empty:
                    return
                conversion = job.conversions[target]
                assert job.torch is not None and conversion.text is not None
                request = {**job.request, "program": conversion.text}
                for key in ("grad_outputs", "grad_inputs", "trainable"):
                    if key in job.torch:
                        request[key] = job.torch[key]
                if "weights" in job.torch:
                    request["weights"] = job.torch["weights"]
                    request["buffers"] = list(job.torch.get("state", {}))
                answer = worker.call(request)
                try:
                    result = compare_case(job.case, target, conversion, job.torch, answer)
                except Exception as error:  # a harness bug stays one case's result
                    result = CaseResult(
                        job.case.id,
                        target,
                        NOT_VERIFIABLE,
                        f"comparing failed: {type(error).__name__}: {error}",
                        "compare",
                    )
                with lock:
                    outcomes[(index_of[id(job)], target)] = result
                    done[0] += 1
                    if done[0] % 200 == 0:
                        say(f"MindSpore: {done[0]}/{total} ({time.perf_counter() - started:.0f} s)")

        threads = [threading.Thread(target=work, args=(w,)) for w in self.mindspore]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        say(f"compared in {time.perf_counter() - started:.0f} s")
        return self._aggregate(api_cases, entries, jobs, outcomes)

    def _before_mindspore(
        self, job: _Job, target: str, conversion: Conversion
    ) -> CaseResult | None:
        """A verdict that needs no MindSpore run (a conversion or torch problem), or None."""
        case = job.case
        if conversion.text is None:
            return _result(case, target, conversion, NOT_VERIFIABLE, conversion.problem, "convert")
        if conversion.todos:
            # An unsafe fix removed an argument the target lacks: the call cannot carry over
            # (MP201 says so); running what is left says nothing about the mapping.
            detail = "the fix removes what the target lacks: " + "; ".join(
                t.split("]", 1)[-1].strip() for t in conversion.todos
            )
            return _result(case, target, conversion, NOT_VERIFIABLE, detail, "unsafe fix")
        torch = job.torch or {}
        if not torch.get("ok"):
            detail = f"the torch program failed, so the case is wrong: {torch.get('error')}"
            return _result(
                case, target, conversion, NOT_VERIFIABLE, detail, f"torch {torch.get('stage')}"
            )
        if not comparable(torch["output"]):
            detail = f"torch returns a {describe(torch['output'])}, which cannot be compared"
            return _result(case, target, conversion, NOT_VERIFIABLE, detail, "compare")
        return None

    def _aggregate(
        self,
        api_cases: Sequence[ApiCases],
        entries: Mapping[str, Entry],
        jobs: Sequence[_Job],
        outcomes: Mapping[tuple[int, str], CaseResult],
    ) -> list[ApiResult]:
        by_api: dict[str, list[tuple[int, _Job]]] = {}
        for index, job in enumerate(jobs):
            by_api.setdefault(job.api, []).append((index, job))
        results: list[ApiResult] = []
        for item in api_cases:
            entry = entries.get(item.api)
            ids = tuple(c.id for c in item.cases)
            if entry is None or item.skip or item.problem:
                why = item.skip or item.problem or "no knowledge entry"
                results.append(ApiResult(item.api, NOT_VERIFIABLE, {}, ids, why, item.sources))
                continue
            targets = {}
            for target, side in entry.targets.items():
                case_results = [
                    outcomes[(index, target)]
                    for index, job in by_api.get(item.api, [])
                    if (index, target) in outcomes
                ]
                if case_results:
                    targets[target] = target_result(target, side.name, case_results)
            status = api_status(targets.values()) if targets else NOT_VERIFIABLE
            reason = None if targets else "no case runs for any target"
            results.append(ApiResult(item.api, status, targets, ids, reason, item.sources))
        return results


def verify(
    api_cases: Sequence[ApiCases],
    entries: Mapping[str, Entry],
    findings_of: FindingsOf,
    *,
    jobs: int = 1,
    progress: Progress | None = None,
) -> tuple[list[ApiResult], dict[str, str]]:
    """Run everything; returns the results and the versions the workers reported."""
    with Runner(jobs) as runner:
        versions = runner.versions()
        return runner.run(api_cases, entries, findings_of, progress), versions


def default_jobs() -> int:
    return max(1, min(2, (os.cpu_count() or 1)))


def entries_by_id(entries: Iterable[Entry]) -> dict[str, Entry]:
    return {e.id: e for e in entries}
