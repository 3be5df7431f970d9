"""What the extractors gather across a root module and the modules it calls,
turned into the model once everything is linked (a policy attached to three
roles becomes one `Policy` reaching all three)."""

from __future__ import annotations

from dataclasses import dataclass, field

from iamlint.model import (
    AccessKey,
    Compute,
    Element,
    KeyedLiteral,
    Location,
    Policy,
    PolicyKind,
    Principal,
    PrincipalKind,
    Reference,
    UnresolvedNote,
)
from iamlint.sources.document import build_policy
from iamlint.sources.nodes import Choice, Node
from iamlint.sources.terraform.blocks import Nested
from iamlint.sources.terraform.hcl import Attribute, Block
from iamlint.sources.terraform.module import Module
from iamlint.sources.terraform.values import Document, decode_document, readable, string_of


@dataclass
class Draft:
    document: Node
    kind: PolicyKind
    resource: str
    resource_type: str
    name: str | None = None
    affected: list[str] = field(default_factory=list)

    def reach(self, *addresses: str) -> None:
        for address in addresses:
            if address and address not in self.affected and address != self.resource:
                self.affected.append(address)


# The resource type recorded for a principal of each kind that is named but not declared.
UNDECLARED_TYPES = {
    PrincipalKind.USER: "aws_iam_user",
    PrincipalKind.GROUP: "aws_iam_group",
    PrincipalKind.ROLE: "aws_iam_role",
    PrincipalKind.PERMISSION_SET: "aws_ssoadmin_permission_set",
}


@dataclass
class PrincipalDraft:
    kind: PrincipalKind
    name: str
    location: Location
    resource_type: str
    literal_name: str | None = None
    policies: list[tuple[str, PolicyKind]] = field(default_factory=list)
    managed_policy_arns: list[Element] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    has_login_profile: bool = False


@dataclass
class Collector:
    drafts: dict[tuple[str, PolicyKind], Draft] = field(default_factory=dict)
    principals: dict[str, PrincipalDraft] = field(default_factory=dict)
    managed_by_address: dict[str, list[tuple[str, PolicyKind]]] = field(default_factory=dict)
    access_keys: list[AccessKey] = field(default_factory=list)
    compute: list[Compute] = field(default_factory=list)
    literals: list[KeyedLiteral] = field(default_factory=list)
    notes: list[UnresolvedNote] = field(default_factory=list)

    # -- policies ---------------------------------------------------------------------

    def policy(
        self,
        module: Module,
        attribute: Attribute | None,
        kind: PolicyKind,
        resource: str,
        resource_type: str,
        *,
        scope: dict[str, Node] | None = None,
        name: str | None = None,
        value: Node | None = None,
    ) -> list[tuple[str, PolicyKind]]:
        """Read the policy document held by an attribute; the keys of its drafts."""
        if value is None:
            if attribute is None:
                return []
            value = module.evaluator.attribute(attribute, scope)
        keys = []
        options = value.items() if isinstance(value, Choice) else [value]
        for option in options:
            document = decode_document(option)
            if document is None:
                self.notes.append(
                    UnresolvedNote(
                        option.location,
                        readable(option),
                        f"the policy document of {resource} is not known statically",
                    )
                )
                continue
            holder, holder_type = resource, resource_type
            if isinstance(option, Document) and option.origin:
                holder, holder_type = option.origin, option.origin_type or resource_type
            key = (f"{holder}@{document.location}", kind)
            if key not in self.drafts:
                self.drafts[key] = Draft(document, kind, holder, holder_type, name)
            self.drafts[key].reach(resource)
            keys.append(key)
        return keys

    def reach(self, keys: list[tuple[str, PolicyKind]], *addresses: str) -> None:
        for key in keys:
            self.drafts[key].reach(*addresses)

    # -- principals -------------------------------------------------------------------

    def find_principals(
        self,
        module: Module,
        attribute: Attribute | None,
        kinds: tuple[PrincipalKind, ...],
        scope: dict[str, Node] | None = None,
        *,
        attaching: bool = False,
    ) -> list[str]:
        """The declared principals an attribute names, by reference or by literal name.
        An attribute `attaching` a policy to one kind of principal also names the principals
        the code does not declare."""
        if attribute is None:
            return []
        with module.evaluator.collecting() as references:
            value = module.evaluator.attribute(attribute, scope)
        found = self.principals_named(value, references, kinds)
        if found or not attaching or len(kinds) != 1:
            return found
        return self._undeclared(value, references, kinds[0])

    def _undeclared(
        self, value: Node, references: list[Reference], kind: PrincipalKind
    ) -> list[str]:
        """Principals an attribute names that the scanned code does not declare (a literal
        user name, a resource of another configuration): recorded at the token naming them,
        so what is attached to them is still seen."""
        resource_type = UNDECLARED_TYPES[kind]
        names = []
        for item in value.items():
            literal = string_of(item)
            source = readable(item)
            name = literal or next(
                (
                    r.target
                    for r in references
                    if source.startswith(r.target + ".")
                    and r.target.rpartition(".")[0].endswith(resource_type)
                ),
                None,
            )
            if name is None:
                continue
            draft = self.principals.setdefault(
                name, PrincipalDraft(kind, name, item.location, resource_type, literal)
            )
            if draft.kind is kind:
                names.append(name)
        return names

    def principals_named(
        self, value: Node, references: list[Reference], kinds: tuple[PrincipalKind, ...]
    ) -> list[str]:
        found: list[str] = []
        for reference in references:
            for address, principal in self.principals.items():
                if principal.kind in kinds and _same_resource(address, reference.target):
                    found.append(address)
        for item in value.items():
            text = string_of(item)
            for address, principal in self.principals.items():
                if principal.kind in kinds and text is not None and text == principal.literal_name:
                    found.append(address)
        return list(dict.fromkeys(found))

    def managed_policies(self, references: list[Reference]) -> list[tuple[str, PolicyKind]]:
        """Customer-managed policies (`aws_iam_policy`) that references point at."""
        keys: list[tuple[str, PolicyKind]] = []
        for reference in references:
            for address, found in self.managed_by_address.items():
                if _same_resource(address, reference.target):
                    keys.extend(found)
        return list(dict.fromkeys(keys))

    def attach(self, principals: list[str], keys: list[tuple[str, PolicyKind]]) -> None:
        for address in principals:
            principal = self.principals[address]
            for key in keys:
                if key not in principal.policies:
                    principal.policies.append(key)
                self.drafts[key].reach(address)

    # -- the model --------------------------------------------------------------------

    def build(self) -> tuple[list[Policy], list[Principal]]:
        policies: dict[tuple[str, PolicyKind], Policy] = {}
        for key, draft in self.drafts.items():
            policies[key] = build_policy(
                draft.document,
                draft.kind,
                resource=draft.resource,
                resource_type=draft.resource_type,
                name=draft.name,
                affected=draft.affected,
            )
        principals = [
            Principal(
                kind=draft.kind,
                name=draft.name,
                location=draft.location,
                resource_type=draft.resource_type,
                policies=tuple(policies[key] for key in draft.policies),
                managed_policy_arns=tuple(draft.managed_policy_arns),
                groups=tuple(draft.groups),
                has_login_profile=draft.has_login_profile,
            )
            for draft in self.principals.values()
        ]
        return list(policies.values()), principals


def _same_resource(address: str, target: str) -> bool:
    """`aws_iam_role.r["a"]` is an instance of the resource a reference `aws_iam_role.r` names."""
    return address == target or (address.startswith(target) and address[len(target)] == "[")


def block_value(module: Module, block: Block | Nested, name: str, scope=None) -> Node | None:
    attribute = block.attribute(name)
    if attribute is None:
        return None
    if isinstance(block, Nested):
        scope = block.scope
    return module.evaluator.attribute(attribute, scope)
