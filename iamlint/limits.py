"""Bounds on what one scanned file may cost, so hostile input cannot hang or exhaust a scan.

Every file is untrusted. A file over a limit is reported as an error naming the
limit (and the `limits:` key of the configuration that raises it) and is not
linted; the other files are scanned as usual.

The limits in force are a context variable set around each scan job
(`using`), so decoders deep in a source read them with `current()` instead of
receiving them through every call.

The per-file time budget (`deadline`) is a `SIGALRM` interval timer: pure Python
parsing and evaluation are interrupted between bytecodes without a watchdog
thread and without threading a deadline through every decoder loop. Signals
reach only the main thread, so the budget applies where a job runs on the main
thread of its process (a serial scan, or a process-pool worker); elsewhere, or
where `setitimer` does not exist (Windows), or while another interval timer is
armed, the job runs without a budget and the size, depth and count limits still
bound it.
"""

from __future__ import annotations

import re
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, fields
from typing import Any

from iamlint.model import Inventory, ParseError, Policy


@dataclass(frozen=True)
class Limits:
    max_file_bytes: int = 5 * 1024 * 1024
    max_alias_nodes: int = 10_000
    """Nodes YAML aliases may stand for in one file, in total (a 'billion laughs' guard)."""
    max_depth: int = 100
    """Nesting of objects, lists and brackets in JSON, YAML and HCL."""
    max_statements: int = 1_000
    """Statements of one policy document."""
    max_elements: int = 10_000
    """Actions, resources, principals and condition values of one policy document."""
    time_budget_seconds: float = 30.0
    """Reading and linting one file (or one Terraform module)."""


DEFAULT = Limits()
_CURRENT: ContextVar[Limits] = ContextVar("iamlint_limits", default=DEFAULT)


def current() -> Limits:
    return _CURRENT.get()


@contextmanager
def using(limits: Limits) -> Iterator[None]:
    token = _CURRENT.set(limits)
    try:
        yield
    finally:
        _CURRENT.reset(token)


def parse_limits(value: Any, where: str) -> Limits:
    """The `limits:` configuration key: a mapping of limit names to positive numbers."""
    names = {f.name: f.type for f in fields(Limits)}
    if not isinstance(value, dict):
        raise ValueError(f"{where} must map limit names ({', '.join(names)}) to numbers")
    parsed: dict[str, int | float] = {}
    for name, number in value.items():
        if name not in names:
            raise ValueError(f"{where}: unknown limit {name!r} (known: {', '.join(names)})")
        integral = names[name] == "int"
        allowed = (int,) if integral else (int, float)
        if isinstance(number, bool) or not isinstance(number, allowed) or number <= 0:
            kind = "a positive whole number" if integral else "a positive number"
            raise ValueError(f"{where}.{name} must be {kind}")
        parsed[name] = number
    return Limits(**parsed)


class TimeBudgetExceeded(BaseException):
    """Raised by the interval timer. A BaseException, so that the `except Exception`
    isolation inside sources and the rule engine cannot swallow it."""


def _expire(signum: int, frame: object) -> None:
    raise TimeBudgetExceeded


def _budget_usable() -> bool:
    return (
        hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
        and signal.getitimer(signal.ITIMER_REAL)[0] == 0
    )


@contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Raise `TimeBudgetExceeded` in the body once `seconds` have passed (see the module
    docstring for where this applies)."""
    if not _budget_usable():
        yield
        return
    previous = signal.signal(signal.SIGALRM, _expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        try:
            signal.setitimer(signal.ITIMER_REAL, 0)
        finally:
            signal.signal(signal.SIGALRM, previous)


_BRACKET_OR_STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"|[\[{(]|[\]})]')


def too_deep(text: str, limit: int) -> int | None:
    """The offset where bracket nesting first goes deeper than `limit`, else None.
    Double-quoted strings are skipped; an unbalanced closer is ignored."""
    depth = 0
    for match in _BRACKET_OR_STRING.finditer(text):
        token = match.group()
        if token[0] == '"':
            continue
        if token in "[{(":
            depth += 1
            if depth > limit:
                return match.start()
        elif depth:
            depth -= 1
    return None


def bounded(inventory: Inventory, limits: Limits) -> Inventory:
    """The inventory, or, when a policy document is over the statement or element limit,
    only its files and an error at that policy: rules compare statements pairwise, so an
    oversized document is not linted at all."""
    for policy in inventory.policies:
        problem = _oversized(policy, limits)
        if problem is not None:
            at = policy.location
            error = ParseError(at.file, at.line, f"{problem}: the file is not linted", at.column)
            return Inventory(files=inventory.files, errors=(*inventory.errors, error))
    return inventory


def _oversized(policy: Policy, limits: Limits) -> str | None:
    if len(policy.statements) > limits.max_statements:
        return (
            f"the policy has {len(policy.statements)} statements, more than "
            f"limits.max_statements ({limits.max_statements})"
        )
    elements = sum(
        len(statement.actions or ())
        + len(statement.not_actions or ())
        + len(statement.resources or ())
        + len(statement.not_resources or ())
        + len(statement.principals or ())
        + len(statement.not_principals or ())
        + sum(len(condition.values) for condition in statement.conditions)
        for statement in policy.statements
    )
    if elements > limits.max_elements:
        return (
            f"the policy has {elements} elements, more than "
            f"limits.max_elements ({limits.max_elements})"
        )
    return None
