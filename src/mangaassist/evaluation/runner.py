"""Runs golden cases against a target: concurrency, timeouts, retries, cache, repeats, scores.

Outcomes per case: `pass`, `fail` (with the failed checks and why) or `error` (the target
or the judge broke: a timeout, a dropped connection, an unparsable verdict). Errors are
never counted as passes or fails; they are reported on their own and can fail the gate.
Only transport errors are retried. With `repeat` > 1 each case runs several times (for
non-deterministic models) and every run is an outcome of its own.

The cache (a folder of JSON files) is keyed by the target's description, the case's
fingerprint and the repeat index: re-running an unchanged case against an unchanged
target reuses the transcript instead of calling the model again.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import math
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from mangaassist.evaluation.checks import Check, Checker, failed
from mangaassist.evaluation.golden import GoldenCase
from mangaassist.evaluation.judge import Judge, JudgeError, Verdict
from mangaassist.evaluation.targets import Target, Transcript, TransportError, TurnResult

Outcome = Literal["pass", "fail", "error"]


@dataclass(frozen=True, slots=True)
class CaseResult:
    case_id: str
    intent: str
    language: str
    repeat: int
    outcome: Outcome
    answer: str = ""
    got_intent: str | None = None
    checks: tuple[Check, ...] = ()
    judge: Verdict | None = None
    error: str | None = None
    elapsed_ms: float = 0.0
    cached: bool = False
    tags: tuple[str, ...] = ()

    @property
    def failures(self) -> list[Check]:
        return failed(self.checks)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.case_id,
            "intent": self.intent,
            "language": self.language,
            "repeat": self.repeat,
            "outcome": self.outcome,
            "answer": self.answer,
            "got_intent": self.got_intent,
            "failures": [asdict(c) | {"critical": c.critical} for c in self.failures],
            "judge": None if self.judge is None else asdict(self.judge),
            "error": self.error,
            "elapsed_ms": round(self.elapsed_ms, 1),
            "cached": self.cached,
            "tags": list(self.tags),
        }


def wilson(successes: int, trials: int, z: float = 1.959963984540054) -> tuple[float, float]:
    """Wilson score interval of a proportion (95% by default); (0, 1) for no trials."""
    if trials == 0:
        return 0.0, 1.0
    p = successes / trials
    denominator = 1 + z * z / trials
    centre = (p + z * z / (2 * trials)) / denominator
    half = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


@dataclass(frozen=True, slots=True)
class Score:
    passed: int
    failed: int
    errors: int

    @property
    def scored(self) -> int:
        return self.passed + self.failed

    @property
    def rate(self) -> float:
        return self.passed / self.scored if self.scored else 0.0

    def as_dict(self) -> dict[str, Any]:
        low, high = wilson(self.passed, self.scored)
        return {
            "passed": self.passed,
            "failed": self.failed,
            "errors": self.errors,
            "pass_rate": round(self.rate, 4),
            "ci_low": round(low, 4),
            "ci_high": round(high, 4),
        }


def score(results: Sequence[CaseResult]) -> Score:
    return Score(
        sum(r.outcome == "pass" for r in results),
        sum(r.outcome == "fail" for r in results),
        sum(r.outcome == "error" for r in results),
    )


@dataclass
class RunReport:
    target: str
    results: list[CaseResult]
    judge: str
    elapsed_s: float
    meta: dict[str, Any] = field(default_factory=dict)

    def by(self, key: Callable[[CaseResult], str]) -> dict[str, Score]:
        groups: dict[str, list[CaseResult]] = defaultdict(list)
        for result in self.results:
            groups[key(result)].append(result)
        return {name: score(group) for name, group in sorted(groups.items())}

    @property
    def overall(self) -> Score:
        return score(self.results)

    def critical_failures(self) -> list[tuple[str, Check]]:
        return [(r.case_id, c) for r in self.results for c in r.failures if c.critical]

    def as_dict(self) -> dict[str, Any]:
        return {
            "target": self.target,
            "judge": self.judge,
            "elapsed_s": round(self.elapsed_s, 2),
            "meta": self.meta,
            "overall": self.overall.as_dict(),
            "by_intent": {k: v.as_dict() for k, v in self.by(lambda r: r.intent).items()},
            "by_language": {k: v.as_dict() for k, v in self.by(lambda r: r.language).items()},
            "critical_failures": [
                {"id": case_id, "check": c.name, "detail": c.detail}
                for case_id, c in self.critical_failures()
            ],
            "results": [r.as_dict() for r in self.results],
        }


class TranscriptCache:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)

    def _path(self, target: str, case: GoldenCase, repeat: int) -> Path:
        key = hashlib.sha256(f"{target}\x1f{case.fingerprint()}\x1f{repeat}".encode()).hexdigest()
        return self.folder / f"{key[:32]}.json"

    def get(self, target: str, case: GoldenCase, repeat: int) -> Transcript | None:
        path = self._path(target, case, repeat)
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            turns = tuple(TurnResult(**t) for t in raw["turns"])
            return Transcript(turns, float(raw["elapsed_ms"]))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def put(self, target: str, case: GoldenCase, repeat: int, transcript: Transcript) -> None:
        path = self._path(target, case, repeat)
        data = {"turns": [asdict(t) for t in transcript.turns], "elapsed_ms": transcript.elapsed_ms}
        temporary = path.with_suffix(".tmp")
        temporary.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        temporary.replace(path)  # never a half-written entry


@dataclass
class Runner:
    target: Target
    checker: Checker
    judge: Judge
    concurrency: int = 4
    timeout_s: float = 60.0
    retries: int = 2
    repeat: int = 1
    cache: TranscriptCache | None = None

    def __post_init__(self) -> None:
        if self.concurrency < 1 or self.repeat < 1 or self.retries < 0 or self.timeout_s <= 0:
            raise ValueError("concurrency >= 1, repeat >= 1, retries >= 0, timeout_s > 0")

    async def _transcript(self, case: GoldenCase, repeat: int) -> tuple[Transcript, bool]:
        description = self.target.description
        if self.cache is not None:
            cached = self.cache.get(description, case, repeat)
            if cached is not None:
                return cached, True
        for attempt in range(self.retries + 1):
            try:
                async with asyncio.timeout(self.timeout_s):
                    transcript = await self.target.run(case)
                break
            except TransportError:
                if attempt == self.retries:
                    raise
        if self.cache is not None:
            self.cache.put(description, case, repeat, transcript)
        return transcript, False

    async def run_case(self, case: GoldenCase, repeat: int = 0) -> CaseResult:
        base = CaseResult(
            case.case_id, case.expect.intent, case.language, repeat, "error", tags=case.tags
        )
        try:
            transcript, cached = await self._transcript(case, repeat)
        except TimeoutError:
            return replace(base, error=f"timed out after {self.timeout_s} s")
        except TransportError as exc:
            return replace(base, error=f"transport: {exc}")
        answer = transcript.last
        base = replace(
            base,
            answer=answer.text,
            got_intent=answer.intent,
            elapsed_ms=transcript.elapsed_ms,
            cached=cached,
        )
        checks = self.checker.expectations(case, answer) + self.checker.properties(case, answer)
        if answer.error is not None:
            detail = f"the answer was an error: {answer.error}"
            checks.append(Check("no_error_frame", False, detail))
        try:
            verdict = await self.judge.judge(case, answer)
        except JudgeError as exc:
            return replace(base, checks=tuple(checks), error=f"judge: {exc}")
        if verdict is not None and not verdict.passed:
            checks.append(Check("judge", False, verdict.rationale))
        outcome: Outcome = "fail" if failed(checks) else "pass"
        return replace(base, outcome=outcome, checks=tuple(checks), judge=verdict)

    async def run(self, cases: Sequence[GoldenCase]) -> RunReport:
        loop = asyncio.get_running_loop()
        started = loop.time()
        gate = asyncio.Semaphore(self.concurrency)

        async def limited(case: GoldenCase, repeat: int) -> CaseResult:
            async with gate:
                return await self.run_case(case, repeat)

        results = await asyncio.gather(
            *(limited(case, r) for case in cases for r in range(self.repeat))
        )
        return RunReport(
            target=self.target.description,
            results=list(results),
            judge=self.judge.name,
            elapsed_s=loop.time() - started,
            meta={"cases": len(cases), "repeat": self.repeat, "concurrency": self.concurrency},
        )
