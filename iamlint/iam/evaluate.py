"""Worst-case static evaluation of one policy set for one action on one resource."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from iamlint.iam.arn import arn_matches
from iamlint.iam.patterns import action_matches
from iamlint.model import Element, Statement

_WILDCARDS = re.compile(r"[*?]")


@dataclass(frozen=True)
class Decision:
    allowed: bool
    explicit_deny: bool
    statement: Statement | None  # the Deny that denied or the first Allow that allowed
    conditional: bool  # the deciding Allow has conditions that may not hold


def _covers(
    elements: tuple[Element, ...] | None,
    not_elements: tuple[Element, ...] | None,
    target: str,
    matches: Callable[[str, str], bool],
    *,
    certain: bool,
) -> bool:
    """Whether Action/NotAction (or Resource/NotResource) covers `target`.

    An unresolved or non-string element never matches. Under `certain` (a Deny we
    rely on), an unresolved NotX element may name the target, so it does not cover.
    """
    if elements is not None:
        return any(e.literal is not None and matches(e.literal, target) for e in elements)
    if not_elements is not None:
        if certain:
            # A Deny we rely on must spare nothing of the target: a NotX element that
            # matches part of a wildcard target (NotResource role/app-* of role/*) leaves
            # that part allowed.
            return not any(
                e.literal is None or _overlap(e.literal, target, matches) for e in not_elements
            )
        return not any(e.literal is not None and matches(e.literal, target) for e in not_elements)
    return False


def _overlap(pattern: str, target: str, matches: Callable[[str, str], bool]) -> bool:
    """Whether some value may match both (over-approximated for two wildcard patterns:
    when neither one's text before its first wildcard contradicts the other's)."""
    if matches(pattern, target):
        return True
    if "*" not in target and "?" not in target:
        return False
    fixed_pattern = _WILDCARDS.split(pattern, 1)[0].lower()
    fixed_target = _WILDCARDS.split(target, 1)[0].lower()
    return fixed_pattern.startswith(fixed_target) or fixed_target.startswith(fixed_pattern)


def _applies(statement: Statement, action: str, resource: str, *, certain: bool) -> bool:
    if not _covers(
        statement.actions, statement.not_actions, action, action_matches, certain=certain
    ):
        return False
    if statement.resources is None and statement.not_resources is None:
        return True  # e.g. a trust policy: no Resource element applies to the role itself
    return _covers(
        statement.resources, statement.not_resources, resource, arn_matches, certain=certain
    )


def evaluate(statements: Iterable[Statement], action: str, resource: str) -> Decision:
    """Whether the statements allow `action` on `resource`, in the worst case.

    An explicit Deny overrides any Allow, but only a Deny that surely applies: one
    without Condition, deployed whatever the template's conditions. An Allow applies
    whatever its conditions say (`conditional` records them). Principals are not
    considered; Effects other than exactly "Allow" and "Deny" are ignored. `action` and
    `resource` may contain wildcards, which then match only patterns that cover them.
    """
    allow: Statement | None = None
    for statement in statements:
        if statement.is_deny:
            if not statement.is_conditional and _applies(statement, action, resource, certain=True):
                return Decision(False, True, statement, False)
        elif (
            statement.is_allow
            and allow is None
            and _applies(statement, action, resource, certain=False)
        ):
            allow = statement
    if allow is None:
        return Decision(False, False, None, False)
    return Decision(True, False, allow, allow.is_conditional)
