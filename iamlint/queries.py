"""Questions rules ask of the model, written once."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Iterator, Sequence

from iamlint.iam.arn import OWN_ACCOUNT, OWN_REGION, parse_arn
from iamlint.iam.catalogue import Action
from iamlint.iam.patterns import expand
from iamlint.model import (
    GRANTING_KINDS,
    Element,
    Finding,
    Inventory,
    Policy,
    PolicyKind,
    Principal,
    PrincipalKind,
    PrincipalType,
    Statement,
    StatementPrincipal,
    Unresolved,
)

NARROWING_KINDS = frozenset({PolicyKind.BOUNDARY, PolicyKind.SCP})
"""Kinds that only ever narrow what other policies grant; their Allows grant nothing."""

ALL_ACTIONS = frozenset({"*", "*:*"})

ENDPOINT_POLICY_TYPES = frozenset(
    {"AWS::EC2::VPCEndpoint", "aws_vpc_endpoint", "aws_vpc_endpoint_policy"}
)
"""Resource types whose policy only filters what passes through a VPC endpoint: it grants
nothing, so Principal "*" there (the AWS default) exposes nothing."""


def statements(
    inventory: Inventory, kinds: Iterable[PolicyKind] | None = None
) -> Iterator[tuple[Policy, Statement]]:
    """Every statement of the policies of the given kinds (all kinds when None)."""
    wanted = None if kinds is None else frozenset(kinds)
    for policy in inventory.policies:
        if wanted is None or policy.kind in wanted:
            for statement in policy.statements:
                yield policy, statement


def granting_allows(inventory: Inventory) -> Iterator[tuple[Policy, Statement]]:
    """Allow statements of identity, managed and session policies."""
    for policy, statement in statements(inventory, GRANTING_KINDS):
        if statement.is_allow:
            yield policy, statement


def non_narrowing_allows(inventory: Inventory) -> Iterator[tuple[Policy, Statement]]:
    """Allow statements of every policy kind except boundaries and SCPs."""
    for policy, statement in statements(inventory):
        if statement.is_allow and policy.kind not in NARROWING_KINDS:
            yield policy, statement


def allows_of_kind(inventory: Inventory, kind: PolicyKind) -> Iterator[tuple[Policy, Statement]]:
    """Allow statements of trust policies (TRUST) or of the resource policies that grant
    access (RESOURCE, VPC endpoint policies left out)."""
    for policy, statement in statements(inventory, (kind,)):
        if statement.is_allow and policy.resource_type not in ENDPOINT_POLICY_TYPES:
            yield policy, statement


def is_any_principal(principal: StatementPrincipal) -> bool:
    """`"*"`, `{"AWS": "*"}` or an account-wildcard ARN such as `arn:aws:iam::*:root`."""
    text = principal.value.literal
    if text is None or principal.type not in (PrincipalType.ANY, PrincipalType.AWS):
        return False
    if text == "*":
        return True
    arn = parse_arn(text)
    return arn is not None and arn.account == "*"


def written_principal(principal: StatementPrincipal) -> str:
    """The principal as it is written in a policy: `"*"` or `{"AWS": "..."}`."""
    if principal.type is PrincipalType.ANY:
        return f'"{principal.value.text}"'
    return f'{{"{principal.type.value}": "{principal.value.text}"}}'


def literal_elements(elements: Iterable[Element] | None) -> Iterator[Element]:
    """The elements whose value is a known string."""
    return (element for element in elements or () if element.literal is not None)


def expanded_actions(statement: Statement) -> Iterator[tuple[Element, tuple[Action, ...]]]:
    """Each literal Action element other than "*" with the catalogue actions it matches."""
    for element in literal_elements(statement.actions):
        if element.literal not in ALL_ACTIONS:
            yield element, expand(element.literal)


def grants_all_actions(statement: Statement) -> Element | None:
    """The Action element that grants every action ("*" or "*:*"), if any."""
    for element in literal_elements(statement.actions):
        if element.literal in ALL_ACTIONS:
            return element
    return None


def has_condition_key(statement: Statement, key: str) -> bool:
    """Whether any Condition of the statement tests `key` (condition keys ignore case)."""
    wanted = key.lower()
    return any(c.key.literal and c.key.literal.lower() == wanted for c in statement.conditions)


def summarize(names: list[str], limit: int = 5) -> str:
    """`a, b, c and 4 more`."""
    shown = ", ".join(names[:limit])
    return f"{shown} and {len(names) - limit} more" if len(names) > limit else shown


def managed_attachments(inventory: Inventory) -> Iterator[tuple[Element, tuple[Principal, ...]]]:
    """Each attachment of a managed policy by ARN (or SAM name), once, with every principal
    that token attaches it to (one `aws_iam_policy_attachment` may name several)."""
    by_token: dict[Element, list[Principal]] = {}
    for principal in inventory.principals:
        for element in principal.managed_policy_arns:
            by_token.setdefault(element, []).append(principal)
    for element, principals in by_token.items():
        yield element, tuple(principals)


def reached_principals(inventory: Inventory, principals: Iterable[Principal]) -> tuple[str, ...]:
    """The names of these principals and of the declared users that belong to any of them
    (a policy attached to a group reaches its members)."""
    names = [p.name for p in principals]
    groups = frozenset(names)
    members = (
        p.name
        for p in inventory.principals
        if p.kind is PrincipalKind.USER and groups.intersection(p.groups)
    )
    return tuple(dict.fromkeys([*names, *members]))


def describe_principals(principals: Iterable[Principal]) -> str:
    """`role Deploy, user ci`."""
    return ", ".join(f"{p.kind.value} {p.name}" for p in principals)


def on_principals(
    finding: Finding, principals: Sequence[Principal], affected: tuple[str, ...]
) -> Finding:
    """A finding about an attachment, filed under the first principal it attaches to."""
    return dataclasses.replace(
        finding,
        resource=principals[0].name,
        resource_type=principals[0].resource_type,
        affected=affected,
    )


# The deployment's own partition, account and region: unknown before deploy, but they do
# not widen or narrow what an ARN covers, so scope questions may fill them in. The account
# and region stand-ins match no literal a policy would name, so a Deny on one real region
# or account never cancels an Allow on the deployment's own; the partition is taken to be
# "aws", where almost every stack is deployed.
_OWN_SCOPE = re.compile(
    r"\$\{(?:AWS::(?P<cfn>Partition|AccountId|Region|URLSuffix)"
    r"|data\.aws_(?P<tf>partition|caller_identity|region)\.[\w-]+\.(?P<attr>\w+))\}"
)
_STAND_INS = {
    "Partition": "aws",
    "AccountId": OWN_ACCOUNT,
    "Region": OWN_REGION,
    "URLSuffix": "amazonaws.com",
    "partition": "aws",
    "dns_suffix": "amazonaws.com",
    "account_id": OWN_ACCOUNT,
    "name": OWN_REGION,
    "region": OWN_REGION,
}


def scope_text(element: Element) -> str | None:
    """The element's text for questions of scope ("is it every resource?"): a literal as
    it is; an unresolved value built only from the deployment's own partition, account
    and region (`arn:${AWS::Partition}:iam::${AWS::AccountId}:role/*`) with stand-ins for
    them; None for anything else unknown, which is some specific value."""
    if element.literal is not None:
        return element.literal
    if not isinstance(element.value, Unresolved):
        return None
    unknown = False

    def fill(match: re.Match[str]) -> str:
        nonlocal unknown
        stand_in = _STAND_INS.get(match["cfn"] or match["attr"] or "")
        unknown = unknown or stand_in is None
        return stand_in or match[0]

    text = _OWN_SCOPE.sub(fill, element.value.source)
    return None if unknown or "${" in text else text


def scoped_statement(statement: Statement) -> Statement:
    """The statement with each Resource/NotResource element that has a `scope_text` but
    no literal written as that text, so that `evaluate` can match
    `arn:${AWS::Partition}:iam::${AWS::AccountId}:role/*` as the role wildcard it is.
    The statement itself when nothing changes."""
    resources = _scoped_elements(statement.resources)
    not_resources = _scoped_elements(statement.not_resources)
    if resources is statement.resources and not_resources is statement.not_resources:
        return statement
    return dataclasses.replace(statement, resources=resources, not_resources=not_resources)


def _scoped_elements(elements: tuple[Element, ...] | None) -> tuple[Element, ...] | None:
    if elements is None or all(e.literal is not None for e in elements):
        return elements
    changed = []
    for element in elements:
        text = None if element.literal is not None else scope_text(element)
        changed.append(element if text is None else Element(text, element.location))
    return tuple(changed)


def scoped_texts(elements: Iterable[Element] | None) -> Iterator[tuple[Element, str]]:
    """Each element with its `scope_text`, where it has one."""
    for element in elements or ():
        text = scope_text(element)
        if text is not None:
            yield element, text
