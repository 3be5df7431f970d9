"""What a scan could not resolve, for `--verbose`: nothing unknown passes silently."""

from __future__ import annotations

from collections.abc import Iterator

from iamlint.model import Element, Inventory, Policy, Unresolved, UnresolvedNote


def unresolved_notes(inventory: Inventory) -> list[UnresolvedNote]:
    """The source's own notes plus every policy element whose value is Unresolved."""
    notes = list(inventory.unresolved)
    for policy in inventory.policies:
        for element in _elements(policy):
            if isinstance(element.value, Unresolved):
                reason = element.value.reason or "its value is only known at deploy time"
                notes.append(UnresolvedNote(element.location, element.value.source, reason))
    return notes


def _elements(policy: Policy) -> Iterator[Element]:
    for statement in policy.statements:
        for group in (
            statement.actions,
            statement.not_actions,
            statement.resources,
            statement.not_resources,
        ):
            yield from group or ()
        for principals in (statement.principals, statement.not_principals):
            yield from (principal.value for principal in principals or ())
        for condition in statement.conditions:
            yield condition.key
            yield from condition.values
