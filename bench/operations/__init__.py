"""The registry of benchmarked operations.

Each module in this package registers its operations with ``@operation``. An operation
is a function ``(context) -> Outcome`` that times Zweck, the raw-SQL floor and, where the
peer offers the same thing, the peer. An operation whose product code does not exist yet
raises ``NotBuilt`` (``product()`` turns the ``ImportError`` into one), and the report
lists it as "not yet built" with that reason instead of a number. When the module lands,
the next run picks it up without any change here.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from bench.measure import Stats

if TYPE_CHECKING:
    from bench.context import Context


class NotBuilt(Exception):
    """The product code this operation measures does not exist (yet)."""


class NotComparable(Exception):
    """One side (usually the peer) cannot do this operation; the reason goes in the report."""


@dataclass(frozen=True)
class Target:
    """A promise from the issue: ``metric`` of Zweck's numbers compared with ``limit``."""

    metric: str  # "p50_ms", "p95_ms", "throughput", "peak_mb"
    limit: float
    text: str

    def check(self, stats: Stats) -> tuple[float | None, bool | None]:
        value: float | None
        if self.metric == "peak_mb":
            value = stats.peak_rss_bytes / 1e6 if stats.peak_rss_bytes else None
        else:
            value = getattr(stats, self.metric)
        if value is None:
            return None, None
        met = value >= self.limit if self.metric == "throughput" else value <= self.limit
        return value, met


@dataclass
class Outcome:
    """One operation's numbers for Zweck, its floor and the peer, and what else a reader needs."""

    ours: Stats
    floor: Stats | None = None
    peer: Stats | None = None
    peer_reason: str = ""
    floor_sql: str = ""
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Operation:
    key: str
    title: str
    run: Callable[[Context], Outcome]
    targets: tuple[Target, ...] = ()
    uses_http: bool = False
    # Compared with the peer: the issue asks every API operation to beat it.
    api: bool = False


REGISTRY: dict[str, Operation] = {}


def operation(
    key: str, title: str, *, targets: tuple[Target, ...] = (), uses_http: bool = False, api: bool = False
) -> Callable[[Callable[[Context], Outcome]], Callable[[Context], Outcome]]:
    def register(run: Callable[[Context], Outcome]) -> Callable[[Context], Outcome]:
        if key in REGISTRY:
            raise ValueError(f"operation {key!r} registered twice")
        REGISTRY[key] = Operation(key, title, run, targets, uses_http, api)
        return run

    return register


def product(module: str, name: str) -> Any:
    """Import one product function; ``NotBuilt`` naming it when the module or name is missing."""
    try:
        imported = importlib.import_module(module)
    except ImportError as error:
        raise NotBuilt(f"`{module}` does not exist yet ({error.__class__.__name__})") from error
    try:
        return getattr(imported, name)
    except AttributeError as error:
        raise NotBuilt(f"`{module}.{name}` does not exist yet") from error


def load_operations() -> dict[str, Operation]:
    """Import every module of this package, which registers its operations, in a stable order."""
    for module in sorted(info.name for info in pkgutil.iter_modules(__path__)):
        importlib.import_module(f"{__name__}.{module}")
    return dict(sorted(REGISTRY.items(), key=lambda item: ORDER.index(item[0]) if item[0] in ORDER else 99))


# The report's row order: what a salesperson does first, then the privacy officer, then bulk work.
ORDER = [
    "search.exact",
    "search.prefix",
    "search.misspelled",
    "api.person_search",
    "api.person_list",
    "api.person_detail",
    "api.person_create",
    "security.login_flood",
    "privacy.access_export",
    "privacy.erasure",
    "import.csv",
    "export.persons_stream",
    "retention.sweep",
    "sales.revenue_report",
    "sales.datev_export",
    "marketing.campaign_audience",
]


def call_product(function: Callable[..., Any], **available: Any) -> Any:
    """Call a product function with the keyword arguments it declares, taken from ``available``.

    Lets an operation pass ``actor`` with ``person`` or ``person_id`` or ``subject``,
    whichever the function names, so it keeps working while the signature settles.
    """
    import inspect

    parameters = inspect.signature(function).parameters
    arguments = {}
    for name, parameter in parameters.items():
        if parameter.kind in (parameter.VAR_KEYWORD, parameter.VAR_POSITIONAL):
            continue
        if name in available:
            arguments[name] = available[name]
        elif parameter.default is parameter.empty:
            raise NotBuilt(
                f"`{function.__module__}.{function.__name__}` needs `{name}`, which the benchmark does not know how to give"
            )
    return function(**arguments)


def first_product(*candidates: tuple[str, str]) -> Any:
    """The first of several possible homes of a product function that exists."""
    for module, name in candidates:
        try:
            return product(module, name)
        except NotBuilt:
            continue
    names = ", ".join(f"`{module}.{name}`" for module, name in candidates)
    raise NotBuilt(f"none of {names} exists yet")
