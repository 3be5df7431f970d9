"""Worst-case static evaluation of one policy set for one action on one resource."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from iamlint.iam.arn import OWN_ACCOUNT, OWN_REGION, arn_matches
from iamlint.iam.patterns import action_matches
from iamlint.model import Element, Statement

_WILDCARDS = re.compile(r"[*?]")
_OWN_SEGMENT = re.compile(f":(?:{OWN_ACCOUNT}|{OWN_REGION}):")


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
    when neither one's text before its first wildcard contradicts the other's). The
    deployment's own account and region in the target may be any value."""
    if matches(pattern, target):
        return True
    target = _OWN_SEGMENT.sub(":*:", target)
    if "*" not in target and "?" not in target:
        return False
    fixed_pattern = _WILDCARDS.split(pattern, 1)[0]
    fixed_target = _WILDCARDS.split(target, 1)[0]
    if matches is action_matches:
        fixed_pattern, fixed_target = fixed_pattern.lower(), fixed_target.lower()
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
    without Condition, deployed whenever the Allow is (a Deny in another branch of a
    template's `Fn::If` may be absent). An Allow applies whatever its conditions say
    (`conditional` records them). Principals are not considered; Effects other than
    exactly "Allow" and "Deny" are ignored. `action` and `resource` may contain
    wildcards, which then match only patterns that cover them.
    """
    denies: list[Statement] = []
    allows: list[Statement] = []
    for statement in statements:
        if statement.is_deny:
            if not statement.conditions and _applies(statement, action, resource, certain=True):
                if not statement.deployed_if:
                    return Decision(False, True, statement, False)
                denies.append(statement)
        elif statement.is_allow and _applies(statement, action, resource, certain=False):
            allows.append(statement)
    cancelled_by = None
    for allow in allows:
        cancelled_by = next((d for d in denies if d.deployed_with(allow)), None)
        if cancelled_by is None:
            conditional = bool(allow.conditions or allow.deployed_if)
            return Decision(True, False, allow, conditional)
    if cancelled_by is not None:
        return Decision(False, True, cancelled_by, False)
    return Decision(False, False, None, False)
