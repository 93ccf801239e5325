"""Runs the registered operations and collects one row per operation for the report."""

from __future__ import annotations

import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from bench.context import Context
from bench.operations import NotBuilt, Operation, Outcome, load_operations


@dataclass
class Row:
    """One line of the report: measured, not yet built (with why), or failed (with the error)."""

    operation: Operation
    status: str  # "measured", "not built", "failed", "skipped"
    reason: str = ""
    outcome: Outcome | None = None
    target_results: list[tuple[str, float | None, bool | None]] = field(default_factory=list)


def run_all(
    context: Context,
    *,
    only: Iterable[str] | None = None,
    progress: Callable[[str], None] = lambda message: None,
) -> list[Row]:
    operations = load_operations()
    wanted = set(only) if only else None
    rows = []
    for key, operation in operations.items():
        if wanted is not None and key not in wanted:
            continue
        if operation.uses_http and context.http is None:
            rows.append(Row(operation, "skipped", "no HTTP server in this run"))
            continue
        progress(f"{key} …")
        try:
            outcome = operation.run(context)
        except NotBuilt as error:
            rows.append(Row(operation, "not built", str(error)))
            progress(f"{key}: not yet built ({error})")
            continue
        except Exception as error:  # one failing operation must not hide the others' numbers
            last = traceback.extract_tb(error.__traceback__)[-1]
            reason = f"{type(error).__name__}: {str(error)[:300]} (at {last.filename.rsplit('/', 2)[-1]}:{last.lineno})"
            rows.append(Row(operation, "failed", reason))
            progress(f"{key}: failed: {reason}")
            continue
        results = []
        for target in operation.targets:
            value, met = target.check(outcome.ours)
            results.append((target.text, value, met))
        rows.append(Row(operation, "measured", outcome=outcome, target_results=results))
        p50 = outcome.ours.p50_ms
        progress(f"{key}: p50 {p50:.1f} ms" if p50 is not None else f"{key}: measured")
    return rows
