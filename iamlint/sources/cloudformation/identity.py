"""The identity side of a template: IAM roles, users, groups, their inline,
standalone and managed policies, access keys, SSO permission sets and SCPs."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from iamlint.model import (
    AccessKey,
    Element,
    Policy,
    PolicyKind,
    Principal,
    PrincipalKind,
    Unresolved,
)
from iamlint.sources.cloudformation.template import Resource, Template
from iamlint.sources.document import build_policy
from iamlint.sources.nodes import Node

ROLE = "AWS::IAM::Role"
USER = "AWS::IAM::User"
GROUP = "AWS::IAM::Group"
MANAGED_POLICY = "AWS::IAM::ManagedPolicy"
PERMISSION_SET = "AWS::SSO::PermissionSet"
_PRINCIPAL_KINDS = {
    ROLE: PrincipalKind.ROLE,
    USER: PrincipalKind.USER,
    GROUP: PrincipalKind.GROUP,
    PERMISSION_SET: PrincipalKind.PERMISSION_SET,
}
_ATTACHMENT_PROPERTIES = (("Roles", ROLE), ("Users", USER), ("Groups", GROUP))
_SINGLE_TARGET = {
    "AWS::IAM::RolePolicy": ("RoleName", ROLE),
    "AWS::IAM::UserPolicy": ("UserName", USER),
    "AWS::IAM::GroupPolicy": ("GroupName", GROUP),
}


@dataclass
class _Attached:
    """What is attached to one principal while the template is read."""

    resource: Resource
    policies: list[Policy] = field(default_factory=list)
    managed_arns: list[Element] = field(default_factory=list)
    boundary_arns: list[Element] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)


@dataclass
class IdentitySide:
    policies: list[Policy] = field(default_factory=list)
    principals: list[Principal] = field(default_factory=list)
    access_keys: list[AccessKey] = field(default_factory=list)


def extract_identity(template: Template) -> IdentitySide:
    side = IdentitySide()
    attached = {
        r.logical_id: _Attached(r) for r in template.resources if r.type in _PRINCIPAL_KINDS
    }
    managed = {r.logical_id: r for r in template.of_type(MANAGED_POLICY)}
    attached_by, bounded_by = _managed_policy_uses(attached, managed)

    undeclared = {
        name: (type_, resource, []) for name, (type_, resource) in _undeclared(template, attached)
    }

    def add(policy: Policy, targets: tuple[str, ...]) -> None:
        side.policies.append(policy)
        for target in targets:
            if target in attached:
                attached[target].policies.append(policy)
            elif target in undeclared:
                undeclared[target][2].append(policy)

    for principal in attached.values():
        resource = principal.resource
        if resource.type == ROLE:
            trust = template.document(resource.get("AssumeRolePolicyDocument"))
            if trust is not None:
                add(_policy(trust, PolicyKind.TRUST, resource, None, (resource.logical_id,)), ())
        if resource.type == PERMISSION_SET:
            inline = template.document(resource.get("InlinePolicy"))
            if inline is not None:
                add(
                    _policy(inline, PolicyKind.IDENTITY, resource, None, (resource.logical_id,)),
                    (resource.logical_id,),
                )
            arns = resource.get("ManagedPolicies")
        else:
            for item in _items(resource.get("Policies")):
                document = template.document(item.get("PolicyDocument")) if item.is_map else None
                if document is None:
                    continue
                name = item.get("PolicyName")
                policy = _policy(
                    document, PolicyKind.IDENTITY, resource, _text(name), (resource.logical_id,)
                )
                add(policy, (resource.logical_id,))
            arns = resource.get("ManagedPolicyArns")
        for element in _items(arns):
            referenced = _managed_reference(element, managed)
            if referenced is None:
                principal.managed_arns.append(Element(element.value, element.location))
        for element in _boundary(resource):
            if _managed_reference(element, managed) is None:
                principal.boundary_arns.append(Element(element.value, element.location))
        if resource.type == USER:
            principal.groups.extend(template.targets(resource.get("Groups"), GROUP))

    for resource in template.of_type(MANAGED_POLICY, "AWS::IAM::Policy"):
        document = template.document(resource.get("PolicyDocument"))
        targets = tuple(
            target
            for prop, kind in _ATTACHMENT_PROPERTIES
            for target in template.targets(resource.get(prop), kind)
        )
        if resource.type == MANAGED_POLICY:
            attach_targets = tuple(
                dict.fromkeys(targets + attached_by.get(resource.logical_id, ()))
            )
            boundary_of = bounded_by.get(resource.logical_id, ())
            # A policy that only ever bounds other principals grants nothing itself.
            kind = PolicyKind.BOUNDARY if boundary_of and not attach_targets else PolicyKind.MANAGED
            name = _text(resource.get("ManagedPolicyName"))
            affected = tuple(dict.fromkeys(attach_targets + boundary_of))
        else:
            attach_targets = targets
            kind = PolicyKind.IDENTITY
            name = _text(resource.get("PolicyName"))
            affected = targets
            boundary_of = ()
        if document is None:
            continue
        policy = _policy(document, kind, resource, name, affected)
        add(policy, tuple(dict.fromkeys(attach_targets + boundary_of)))

    for resource in template.resources:
        single = _SINGLE_TARGET.get(resource.type)
        if single is None:
            continue
        document = template.document(resource.get("PolicyDocument"))
        if document is None:
            continue
        prop, kind = single
        targets = template.targets(resource.get(prop), kind)
        add(
            _policy(
                document, PolicyKind.IDENTITY, resource, _text(resource.get("PolicyName")), targets
            ),
            targets,
        )

    for resource in template.of_type("AWS::IAM::UserToGroupAddition"):
        group = (
            template.target(resource.get("GroupName"), GROUP) if resource.get("GroupName") else None
        )
        for user in template.targets(resource.get("Users"), USER):
            if group and user in attached:
                attached[user].groups.append(group)

    for resource in template.of_type("AWS::Organizations::Policy"):
        kind_node = resource.get("Type")
        if kind_node is None or kind_node.value != "SERVICE_CONTROL_POLICY":
            continue
        document = template.document(resource.get("Content"))
        if document is not None:
            targets = template.targets(
                resource.get("TargetIds"), "AWS::Organizations::OrganizationalUnit"
            )
            add(
                _policy(document, PolicyKind.SCP, resource, _text(resource.get("Name")), targets),
                (),
            )

    for resource in template.of_type("AWS::IAM::AccessKey"):
        user_node = resource.get("UserName")
        user = template.target(user_node, USER) if user_node is not None else None
        side.access_keys.append(
            AccessKey(resource.logical_id, resource.type, resource.location, user)
        )

    for principal in attached.values():
        resource = principal.resource
        side.principals.append(
            Principal(
                kind=_PRINCIPAL_KINDS[resource.type],
                name=resource.logical_id,
                location=resource.location,
                resource_type=resource.type,
                policies=tuple(principal.policies),
                managed_policy_arns=tuple(principal.managed_arns),
                groups=tuple(dict.fromkeys(principal.groups)),
                has_login_profile=resource.get("LoginProfile") is not None,
                boundary_arns=tuple(principal.boundary_arns),
            )
        )
    for name, (type_, resource, policies) in undeclared.items():
        side.principals.append(
            Principal(_PRINCIPAL_KINDS[type_], name, resource.location, type_, tuple(policies))
        )
    return side


def _undeclared(
    template: Template, declared: dict[str, _Attached]
) -> Iterator[tuple[str, tuple[str, Resource]]]:
    """Principals that policies are attached to but the template does not declare (a user
    created elsewhere, named literally or imported): each with its type and the first
    resource naming it."""
    seen: set[str] = set()
    for resource in template.of_type(MANAGED_POLICY, "AWS::IAM::Policy", *_SINGLE_TARGET):
        single = _SINGLE_TARGET.get(resource.type)
        for prop, type_ in (single,) if single else _ATTACHMENT_PROPERTIES:
            for name in template.targets(resource.get(prop), type_):
                if name not in declared and name not in seen:
                    seen.add(name)
                    yield name, (type_, resource)


def _managed_policy_uses(
    attached: dict[str, _Attached], managed: dict[str, Resource]
) -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    """For each managed policy of the template, the principals that reference it
    in their ManagedPolicyArns, and those that use it as PermissionsBoundary."""
    uses: dict[str, list[str]] = {}
    bounds: dict[str, list[str]] = {}
    for principal in attached.values():
        resource = principal.resource
        arns = resource.get(
            "ManagedPolicies" if resource.type == PERMISSION_SET else "ManagedPolicyArns"
        )
        for element in _items(arns):
            referenced = _managed_reference(element, managed)
            if referenced is not None:
                uses.setdefault(referenced, []).append(resource.logical_id)
        for element in _boundary(resource):
            referenced = _managed_reference(element, managed)
            if referenced is not None:
                bounds.setdefault(referenced, []).append(resource.logical_id)
    return (
        {key: tuple(dict.fromkeys(value)) for key, value in uses.items()},
        {key: tuple(dict.fromkeys(value)) for key, value in bounds.items()},
    )


def _boundary(resource: Resource) -> list[Node]:
    """The policy ARN a principal's PermissionsBoundary names (for a permission
    set, its `ManagedPolicyArn`; a `CustomerManagedPolicyReference` names a policy
    of each target account, which no template declares)."""
    boundary = resource.get("PermissionsBoundary")
    if boundary is not None and resource.type == PERMISSION_SET:
        boundary = boundary.get("ManagedPolicyArn") if boundary.is_map else None
    return [item for item in _items(boundary) if item.is_scalar]


def _managed_reference(element: Node, managed: dict[str, Resource]) -> str | None:
    value = element.value if element.is_scalar else None
    if (
        isinstance(value, Unresolved)
        and value.source.startswith("${")
        and value.source.endswith("}")
    ):
        logical_id = value.source[2:-1]
        if logical_id in managed:
            return logical_id
    return None


def _policy(
    document: Node,
    kind: PolicyKind,
    resource: Resource,
    name: str | None,
    affected: tuple[str, ...],
) -> Policy:
    return build_policy(
        document,
        kind,
        resource=resource.logical_id,
        resource_type=resource.type,
        name=name,
        affected=affected,
    )


def _items(node: Node | None) -> list[Node]:
    return [] if node is None else node.items()


def _text(node: Node | None) -> str | None:
    if node is None or not node.is_scalar or node.value is None:
        return None
    value = node.value
    return value.source if isinstance(value, Unresolved) else str(value)
