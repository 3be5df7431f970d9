"""Turn a policy document node tree into the model, whatever file format it came from.

The reader is forgiving: anything AWS would reject is kept as far as it can be
(so other rules still see the grants) and recorded as a `Problem` for IAM019.
"""

from __future__ import annotations

from collections.abc import Iterable

from iamlint.model import (
    Condition,
    Element,
    Location,
    Policy,
    PolicyKind,
    PrincipalType,
    Problem,
    Statement,
    StatementPrincipal,
    Unresolved,
)
from iamlint.sources.nodes import Choice, Conditional, Node

TOP_LEVEL_KEYS = ("Version", "Id", "Statement")
STATEMENT_KEYS = (
    "Sid",
    "Effect",
    "Principal",
    "NotPrincipal",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Condition",
)
_PRINCIPAL_TYPES = {t.value: t for t in PrincipalType if t is not PrincipalType.ANY}


def build_policy(
    node: Node,
    kind: PolicyKind,
    *,
    resource: str | None = None,
    resource_type: str | None = None,
    name: str | None = None,
    affected: Iterable[str] = (),
) -> Policy:
    problems: list[Problem] = []
    statements: list[Statement] = []
    version = policy_id = None
    if not node.is_map:
        problems.append(Problem("the policy document is not a JSON object", node.location))
    for key, value in node.pairs():
        if key.value == "Version":
            version = _element(value, problems, "Version")
        elif key.value == "Id":
            policy_id = _element(value, problems, "Id")
        elif key.value == "Statement":
            statements = _statements(value, problems)
        else:
            problems.append(Problem(f"unknown top-level key {key.value!r}", key.location))
    if node.is_map and node.get("Statement") is None:
        problems.append(Problem("the policy document has no Statement", node.location))
    _report_duplicate_keys(node, problems)
    return Policy(
        kind=kind,
        location=node.location,
        statements=tuple(statements),
        version=version,
        id=policy_id,
        problems=tuple(problems),
        resource=resource,
        resource_type=resource_type,
        name=name,
        affected=tuple(affected),
    )


def _statements(node: Node, problems: list[Problem]) -> list[Statement]:
    if node.is_map:
        items = [node]  # a single statement object is valid IAM
    elif node.is_seq:
        items = node.value
    else:
        problems.append(Problem("Statement must be an object or a list of objects", node.location))
        return []
    statements = []
    for index, item in enumerate(items):
        if not item.is_map:
            problems.append(Problem("a statement must be a JSON object", item.location))
            continue
        statements.append(_statement(item, index, problems))
    return statements


def _statement(node: Node, index: int, problems: list[Problem]) -> Statement:
    fields: dict = {}
    key_locations: dict[str, Location] = {}
    for key, value in node.pairs():
        name = key.value
        key_locations[name] = key.location
        if name in ("Sid", "Effect"):
            fields[name.lower()] = _element(value, problems, name)
        elif name in ("Action", "NotAction", "Resource", "NotResource"):
            fields[_snake(name) + "s"] = _elements(value, problems, name)
        elif name in ("Principal", "NotPrincipal"):
            fields[_snake(name) + "s"] = _principals(value, problems, name)
        elif name == "Condition":
            fields["conditions"] = _conditions(value, problems)
        else:
            problems.append(Problem(f"unknown statement key {name!r}", key.location))
    _report_duplicate_keys(node, problems)
    return Statement(
        location=node.location,
        index=index,
        key_locations=key_locations,
        deployed_if=node.requires if isinstance(node, Conditional) else frozenset(),
        **fields,
    )


def _snake(name: str) -> str:
    return "not_" + name[3:].lower() if name.startswith("Not") else name.lower()


def _element(node: Node, problems: list[Problem], what: str) -> Element:
    if isinstance(node, Choice):
        return Element(Unresolved(node.source, "conditional on an unknown value"), node.location)
    if not node.is_scalar:
        problems.append(Problem(f"{what} must be a single value", node.location))
        return Element(None, node.location)
    return Element(node.value, node.location)


def _elements(node: Node, problems: list[Problem], what: str) -> tuple[Element, ...]:
    if node.is_map:
        problems.append(Problem(f"{what} must be a string or a list of strings", node.location))
        return ()
    elements = []
    for item in node.items():
        if item.is_scalar:
            elements.append(Element(item.value, item.location))
        else:
            problems.append(Problem(f"{what} must be a string or a list of strings", item.location))
    return tuple(elements)


def _principals(node: Node, problems: list[Problem], what: str) -> tuple[StatementPrincipal, ...]:
    if node.is_scalar:
        if node.value != "*":
            problems.append(
                Problem(f'{what} must be "*" or an object such as {{"AWS": ...}}', node.location)
            )
        return (StatementPrincipal(PrincipalType.ANY, Element(node.value, node.location)),)
    if not node.is_map:
        problems.append(Problem(f"{what} must be an object", node.location))
        return ()
    principals = []
    for key, value in node.pairs():
        principal_type = _PRINCIPAL_TYPES.get(key.value)
        if principal_type is None:
            problems.append(Problem(f"unknown principal type {key.value!r}", key.location))
            continue
        for element in _elements(value, problems, f"{what} {key.value}"):
            principals.append(StatementPrincipal(principal_type, element))
    return tuple(principals)


def _conditions(node: Node, problems: list[Problem]) -> tuple[Condition, ...]:
    if not node.is_map:
        problems.append(Problem("Condition must be an object", node.location))
        return ()
    conditions = []
    for operator, block in node.pairs():
        if not block.is_map:
            problems.append(
                Problem(f"condition {operator.value!r} must map keys to values", block.location)
            )
            continue
        for key, values in block.pairs():
            conditions.append(
                Condition(
                    operator=Element(operator.value, operator.location),
                    key=Element(key.value, key.location),
                    values=_elements(values, problems, f"condition {key.value!r}"),
                )
            )
    return tuple(conditions)


def _report_duplicate_keys(node: Node, problems: list[Problem]) -> None:
    seen: set = set()
    for key, _ in node.pairs():
        if key.value in seen:
            problems.append(
                Problem(f"duplicate key {key.value!r}: IAM rejects the document", key.location)
            )
        seen.add(key.value)
