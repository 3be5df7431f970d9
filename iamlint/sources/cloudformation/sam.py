"""SAM (`Transform: AWS::Serverless-2016-10-31`): the policies of serverless
functions and state machines (managed policy names and ARNs, inline documents,
SAM policy templates) and API resource policies.

Policy templates are expanded from the definitions `aws-sam-translator` ships
(the optional extra `sam`); without it they are reported as unresolved rather
than guessed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from importlib import resources as package_resources

from iamlint.model import (
    Element,
    Location,
    Policy,
    PolicyKind,
    Principal,
    PrincipalKind,
    UnresolvedNote,
)
from iamlint.sources.cloudformation.sam_events import event_permissions, pull_policy_arns
from iamlint.sources.cloudformation.template import Resource, Template
from iamlint.sources.document import build_policy
from iamlint.sources.nodes import MAP, SCALAR, SEQ, Node

TRANSFORM = "AWS::Serverless-2016-10-31"
FUNCTION = "AWS::Serverless::Function"
_WITH_POLICIES = (FUNCTION, "AWS::Serverless::StateMachine")
_APIS = ("AWS::Serverless::Api", "AWS::Serverless::HttpApi")


@dataclass
class SamSide:
    policies: list[Policy] = field(default_factory=list)
    principals: list[Principal] = field(default_factory=list)
    unresolved: list[UnresolvedNote] = field(default_factory=list)


def is_sam(template: Template) -> bool:
    transform = template.root.get("Transform")
    return transform is not None and any(item.value == TRANSFORM for item in transform.items())


def extract_sam(template: Template) -> SamSide:
    side = SamSide()
    for resource in template.of_type(*_WITH_POLICIES):
        _function(template, resource, side)
    for resource in template.of_type(FUNCTION):
        side.policies.extend(event_permissions(template, resource))
    for resource in template.of_type(*_APIS):
        auth = resource.get("Auth")
        policy = auth.get("ResourcePolicy") if auth is not None and auth.is_map else None
        statements = (
            policy.get("CustomStatements") if policy is not None and policy.is_map else None
        )
        if statements is not None:
            key = policy.key_node("CustomStatements")
            document = Node(
                MAP, [(Node(SCALAR, "Statement", key.location), statements)], statements.location
            )
            side.policies.append(
                build_policy(
                    document,
                    PolicyKind.RESOURCE,
                    resource=resource.logical_id,
                    resource_type=resource.type,
                    affected=(resource.logical_id,),
                )
            )
    return side


def _function(template: Template, resource: Resource, side: SamSide) -> None:
    """A function or state machine without `Role` gets a role SAM generates,
    which the model names after the resource."""
    if resource.get("Role") is not None:
        return
    policies: list[Policy] = []
    managed: list[Element] = pull_policy_arns(resource) if resource.type == FUNCTION else []
    trust = template.document(resource.get("AssumeRolePolicyDocument"))
    if trust is not None:
        policies.append(_build(trust, PolicyKind.TRUST, resource, None))
    for index, item in enumerate(_items(resource.get("Policies"))):
        if item.is_scalar:
            managed.append(Element(item.value, item.location))
        elif item.is_map and item.get("Statement") is not None:
            policies.append(
                _build(
                    item, PolicyKind.IDENTITY, resource, f"{resource.logical_id}RolePolicy{index}"
                )
            )
        elif item.is_map and len(item.value) == 1:
            key, parameters = item.value[0]
            document = _expand(template, str(key.value), key.location, parameters)
            if document is None:
                side.unresolved.append(_not_expanded(str(key.value), key.location))
            else:
                policies.append(_build(document, PolicyKind.IDENTITY, resource, str(key.value)))
        else:
            side.unresolved.append(
                UnresolvedNote(item.location, "Policies item", "not a SAM policy form")
            )
    side.policies.extend(policies)
    side.principals.append(
        Principal(
            kind=PrincipalKind.ROLE,
            name=resource.logical_id,
            location=resource.location,
            resource_type=resource.type,
            policies=tuple(p for p in policies if p.kind is not PolicyKind.TRUST),
            managed_policy_arns=tuple(managed),
            boundary_arns=tuple(
                Element(item.value, item.location)
                for item in _items(resource.get("PermissionsBoundary"))
                if item.is_scalar
            ),
        )
    )


def _build(document: Node, kind: PolicyKind, resource: Resource, name: str | None) -> Policy:
    return build_policy(
        document,
        kind,
        resource=resource.logical_id,
        resource_type=resource.type,
        name=name,
        affected=(resource.logical_id,),
    )


def _items(node: Node | None) -> list[Node]:
    return [] if node is None else node.items()


def _not_expanded(name: str, location: Location) -> UnresolvedNote:
    reason = (
        "unknown SAM policy template"
        if policy_templates() is not None
        else "SAM policy templates need aws-sam-translator (pip install 'iamlint[sam]')"
    )
    return UnresolvedNote(location, name, reason)


@cache
def policy_templates() -> dict | None:
    """SAM's policy template definitions, or None when aws-sam-translator is absent."""
    try:
        data = (
            package_resources.files("samtranslator")
            / "policy_templates_data"
            / "policy_templates.json"
        )
        return json.loads(data.read_text(encoding="utf-8"))["Templates"]
    except (ModuleNotFoundError, FileNotFoundError, KeyError, ValueError):
        return None


def _expand(template: Template, name: str, location: Location, parameters: Node) -> Node | None:
    """The policy document of a SAM policy template with its parameters filled in,
    every element placed at the template's name."""
    templates = policy_templates()
    definition = templates.get(name) if templates is not None else None
    if definition is None:
        return None
    values = {str(k.value): v for k, v in parameters.pairs()}

    def build(value: object) -> Node:
        if isinstance(value, dict):
            if set(value) == {"Ref"} and value["Ref"] in values:
                return values[value["Ref"]]
            pairs = [(Node(SCALAR, k, location), build(v)) for k, v in value.items()]
            return Node(MAP, pairs, location)
        if isinstance(value, list):
            return Node(SEQ, [build(v) for v in value], location)
        return Node(SCALAR, value, location)

    document = build({"Version": "2012-10-17", **definition["Definition"]})
    return template.resolver.resolve(document)
