"""Identity-side resources: roles, users, groups, SSO permission sets, their inline
and managed policies, attachments, memberships, boundaries, access keys and SCPs."""

from __future__ import annotations

from iamlint.model import AccessKey, Element, PolicyKind, PrincipalKind
from iamlint.sources.terraform.blocks import expand
from iamlint.sources.terraform.collect import Collector, PrincipalDraft
from iamlint.sources.terraform.hcl import Block
from iamlint.sources.terraform.module import Module
from iamlint.sources.terraform.values import flatten_choices, string_of

ROLE, USER, GROUP, PERMISSION_SET = (
    PrincipalKind.ROLE,
    PrincipalKind.USER,
    PrincipalKind.GROUP,
    PrincipalKind.PERMISSION_SET,
)
PRINCIPAL_TYPES = {
    "aws_iam_role": ROLE,
    "aws_iam_user": USER,
    "aws_iam_group": GROUP,
    "aws_ssoadmin_permission_set": PERMISSION_SET,
}
# resource type -> (policy attribute, principal attribute, principal kind)
_INLINE = {
    "aws_iam_role_policy": ("policy", "role", ROLE),
    "aws_iam_user_policy": ("policy", "user", USER),
    "aws_iam_group_policy": ("policy", "group", GROUP),
    "aws_ssoadmin_permission_set_inline_policy": (
        "inline_policy",
        "permission_set_arn",
        PERMISSION_SET,
    ),
}
# resource type -> (ARN attribute, principal attribute, principal kind)
_ATTACHMENTS = {
    "aws_iam_role_policy_attachment": ("policy_arn", "role", ROLE),
    "aws_iam_user_policy_attachment": ("policy_arn", "user", USER),
    "aws_iam_group_policy_attachment": ("policy_arn", "group", GROUP),
    "aws_ssoadmin_managed_policy_attachment": (
        "managed_policy_arn",
        "permission_set_arn",
        PERMISSION_SET,
    ),
}
HANDLED = frozenset(
    {
        *PRINCIPAL_TYPES,
        *_INLINE,
        *_ATTACHMENTS,
        "aws_iam_policy",
        "aws_iam_policy_attachment",
        "aws_iam_group_membership",
        "aws_iam_user_group_membership",
        "aws_iam_user_login_profile",
        "aws_iam_access_key",
        "aws_iam_instance_profile",
        "aws_iam_role_policies_exclusive",
        "aws_iam_user_policies_exclusive",
        "aws_iam_group_policies_exclusive",
        "aws_ssoadmin_permissions_boundary_attachment",
        "aws_ssoadmin_customer_managed_policy_attachment",
        "aws_organizations_policy",
    }
)


def declare(modules: list[Module], collector: Collector) -> None:
    """First pass: the principals and customer-managed policies others refer to."""
    for module in modules:
        for block in module.resources:
            type_ = block.labels[0]
            for address, scope in module.instances(block):
                if type_ in PRINCIPAL_TYPES:
                    name = block.attribute("name")
                    literal = string_of(module.evaluator.attribute(name, scope)) if name else None
                    collector.principals[address] = PrincipalDraft(
                        PRINCIPAL_TYPES[type_], address, block.location, type_, literal
                    )
                elif type_ == "aws_iam_policy":
                    keys = collector.policy(
                        module,
                        block.attribute("policy"),
                        PolicyKind.MANAGED,
                        address,
                        type_,
                        scope=scope,
                    )
                    collector.managed_by_address.setdefault(address, []).extend(keys)


def link(modules: list[Module], collector: Collector) -> None:
    """Second pass: everything that attaches, grants or names a principal."""
    for module in modules:
        for block in module.resources:
            type_ = block.labels[0]
            for address, scope in module.instances(block):
                _resource(module, block, type_, address, scope, collector)


def _resource(
    module: Module, block: Block, type_: str, address: str, scope, collector: Collector
) -> None:
    evaluator = module.evaluator
    if type_ == "aws_iam_role":
        _role(module, block, address, scope, collector)
    elif type_ == "aws_ssoadmin_permission_set":
        return
    elif type_ in _INLINE:
        attribute, principal_attribute, kind = _INLINE[type_]
        policy_kind = PolicyKind.IDENTITY
        keys = collector.policy(
            module, block.attribute(attribute), policy_kind, address, type_, scope=scope
        )
        principals = collector.find_principals(
            module, block.attribute(principal_attribute), (kind,), scope, attaching=True
        )
        collector.attach(principals, keys)
    elif type_ in _ATTACHMENTS:
        arn_attribute, principal_attribute, kind = _ATTACHMENTS[type_]
        principals = collector.find_principals(
            module, block.attribute(principal_attribute), (kind,), scope, attaching=True
        )
        _attach_arns(module, block, arn_attribute, principals, scope, collector)
    elif type_ == "aws_iam_policy_attachment":
        principals = []
        for attribute, kind in (("users", USER), ("roles", ROLE), ("groups", GROUP)):
            principals += collector.find_principals(
                module, block.attribute(attribute), (kind,), scope, attaching=True
            )
        _attach_arns(module, block, "policy_arn", principals, scope, collector)
    elif type_ == "aws_iam_group_membership":
        groups = collector.find_principals(module, block.attribute("group"), (GROUP,), scope)
        for user in collector.find_principals(module, block.attribute("users"), (USER,), scope):
            collector.principals[user].groups.extend(
                g for g in groups if g not in collector.principals[user].groups
            )
    elif type_ == "aws_iam_user_group_membership":
        groups = collector.find_principals(module, block.attribute("groups"), (GROUP,), scope)
        for user in collector.find_principals(module, block.attribute("user"), (USER,), scope):
            collector.principals[user].groups.extend(
                g for g in groups if g not in collector.principals[user].groups
            )
    elif type_ == "aws_iam_user_login_profile":
        for user in collector.find_principals(module, block.attribute("user"), (USER,), scope):
            collector.principals[user].has_login_profile = True
    elif type_ == "aws_iam_access_key":
        users = collector.find_principals(module, block.attribute("user"), (USER,), scope)
        user = users[0] if users else None
        if user is None and block.attribute("user") is not None:
            user = string_of(evaluator.attribute(block.attribute("user"), scope))
        collector.access_keys.append(AccessKey(address, type_, block.location, user))
    elif type_ == "aws_ssoadmin_permissions_boundary_attachment":
        principals = collector.find_principals(
            module, block.attribute("permission_set_arn"), (PERMISSION_SET,), scope
        )
        for boundary in expand(block.body, "permissions_boundary", evaluator, scope):
            for reference in expand(
                boundary.body, "customer_managed_policy_reference", evaluator, boundary.scope
            ):
                name = reference.attribute("name")
                if name is None:
                    continue
                with evaluator.collecting() as found:
                    evaluator.attribute(name, reference.scope)
                keys = collector.managed_policies(found)
                collector.attach(principals, _as_boundary(collector, keys))
    elif type_ == "aws_organizations_policy":
        policy_type = block.attribute("type")
        kind_text = string_of(evaluator.attribute(policy_type, scope)) if policy_type else None
        if kind_text in (None, "SERVICE_CONTROL_POLICY", "RESOURCE_CONTROL_POLICY"):
            collector.policy(
                module, block.attribute("content"), PolicyKind.SCP, address, type_, scope=scope
            )


def _role(module: Module, block: Block, address: str, scope, collector: Collector) -> None:
    evaluator = module.evaluator
    type_ = "aws_iam_role"
    collector.policy(
        module, block.attribute("assume_role_policy"), PolicyKind.TRUST, address, type_, scope=scope
    )
    for inline in expand(block.body, "inline_policy", evaluator, scope):
        name_attribute = inline.attribute("name")
        name = (
            string_of(evaluator.attribute(name_attribute, inline.scope)) if name_attribute else None
        )
        keys = collector.policy(
            module,
            inline.attribute("policy"),
            PolicyKind.IDENTITY,
            address,
            type_,
            scope=inline.scope,
            name=name,
        )
        collector.attach([address], keys)
    if block.attribute("managed_policy_arns") is not None:
        _attach_arns(module, block, "managed_policy_arns", [address], scope, collector)
    boundary = block.attribute("permissions_boundary")
    if boundary is not None:
        with evaluator.collecting() as found:
            evaluator.attribute(boundary, scope)
        collector.attach([address], _as_boundary(collector, collector.managed_policies(found)))


def _as_boundary(collector: Collector, keys):
    """A customer-managed policy used as a boundary is read as a BOUNDARY document."""
    boundary_keys = []
    for key in keys:
        draft = collector.drafts[key]
        boundary_key = (key[0], PolicyKind.BOUNDARY)
        if boundary_key not in collector.drafts:
            collector.drafts[boundary_key] = type(draft)(
                draft.document,
                PolicyKind.BOUNDARY,
                draft.resource,
                draft.resource_type,
                draft.name,
                list(draft.affected),
            )
        boundary_keys.append(boundary_key)
    return boundary_keys


def _attach_arns(
    module: Module, block, attribute_name: str, principals: list[str], scope, collector: Collector
) -> None:
    """Managed policies attached by ARN: a declared `aws_iam_policy` is attached as its
    document; any other ARN is recorded at the token that attaches it."""
    attribute = block.attribute(attribute_name)
    if attribute is None:
        return
    evaluator = module.evaluator
    value = evaluator.attribute(attribute, scope)
    for item in flatten_choices(value.items()):
        keys = _policy_keys_for(module, item, collector)
        if keys:
            collector.attach(principals, keys)
            continue
        for principal in principals:
            collector.principals[principal].managed_policy_arns.append(
                Element(item.value, item.location)
            )


def _policy_keys_for(module: Module, item, collector: Collector):
    """The declared policies an ARN value refers to (`aws_iam_policy.p.arn`, unknown
    until apply, keeps that source text)."""
    text = module.prefix + str(item.value) if item.is_scalar else ""
    keys = []
    for address, found in collector.managed_by_address.items():
        base = address.split("[")[0]
        if text.startswith(base + ".") or text.startswith(base + "[") or text == base:
            keys.extend(found)
    return keys
