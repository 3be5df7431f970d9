"""The one model every source produces and every rule reads.

Plain frozen dataclasses. Every policy element keeps the `Location` of the
token it was read from, so a finding can point at the exact action,
resource or principal that caused it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


@dataclass(frozen=True, order=True)
class Location:
    """A span in a file: 1-based lines and columns; the end column is the one just
    after the token, as in SARIF regions."""

    file: str
    line: int
    column: int
    end_line: int
    end_column: int


@dataclass(frozen=True)
class Unresolved:
    """A value we cannot know statically (a parameter without default, a
    resource attribute, a module output...). It remembers its source text.

    Rules must treat it as "some specific value": never `*`, never matching a
    pattern, never dropped.
    """

    source: str
    reason: str = ""

    def __str__(self) -> str:
        return self.source


Scalar = str | int | float | bool | None | Unresolved


@dataclass(frozen=True)
class Element:
    """One scalar of a policy document (an action, a resource, a condition
    value...) with the position of its token."""

    value: Scalar
    location: Location

    @property
    def text(self) -> str:
        """The value as a user would read it."""
        if isinstance(self.value, str):
            return self.value
        if isinstance(self.value, Unresolved):
            return self.value.source
        if isinstance(self.value, bool):
            return "true" if self.value else "false"
        return "null" if self.value is None else str(self.value)

    @property
    def literal(self) -> str | None:
        """The value if it is a known string, else None."""
        return self.value if isinstance(self.value, str) else None


class PrincipalType(str, Enum):
    ANY = "*"  # "Principal": "*"
    AWS = "AWS"
    SERVICE = "Service"
    FEDERATED = "Federated"
    CANONICAL_USER = "CanonicalUser"


@dataclass(frozen=True)
class StatementPrincipal:
    """One principal named in a statement's Principal / NotPrincipal."""

    type: PrincipalType
    value: Element  # the identifier ("*", an account id, an ARN, a service name)


@dataclass(frozen=True)
class Condition:
    operator: Element  # e.g. "StringEquals", "ForAnyValue:StringLike", "Null"
    key: Element  # e.g. "aws:SourceArn"
    values: tuple[Element, ...]


class PolicyKind(str, Enum):
    IDENTITY = "identity"  # inline policy of a user, group, role or permission set
    MANAGED = "managed"  # customer-managed policy
    TRUST = "trust"  # a role's assume-role policy
    RESOURCE = "resource"  # a resource-based policy (bucket, queue, key...)
    BOUNDARY = "boundary"  # permissions boundary
    SCP = "scp"  # service control policy
    SESSION = "session"


GRANTING_KINDS = frozenset({PolicyKind.IDENTITY, PolicyKind.MANAGED, PolicyKind.SESSION})
"""Kinds whose Allow statements grant permissions to the principals they are attached to.
Boundaries and SCPs only ever narrow; trust and resource policies grant to the principals
they name."""


@dataclass(frozen=True)
class Problem:
    """A structural defect met while reading a document into the model
    (a statement that is not an object, an unknown key...). IAM019 reports these."""

    message: str
    location: Location


@dataclass(frozen=True)
class Statement:
    location: Location
    index: int
    sid: Element | None = None
    effect: Element | None = None
    actions: tuple[Element, ...] | None = None
    not_actions: tuple[Element, ...] | None = None
    resources: tuple[Element, ...] | None = None
    not_resources: tuple[Element, ...] | None = None
    principals: tuple[StatementPrincipal, ...] | None = None
    not_principals: tuple[StatementPrincipal, ...] | None = None
    conditions: tuple[Condition, ...] = ()
    key_locations: dict[str, Location] = field(default_factory=dict, compare=False, hash=False)
    """Where each key of the statement object is written (e.g. "NotAction")."""
    deployed_if: frozenset[tuple[str, bool]] = frozenset()
    """The template conditions, with the value each must have, for the statement to be
    deployed at all (CloudFormation `Fn::If` branches); empty when it always is."""

    @property
    def is_allow(self) -> bool:
        return self.effect is not None and self.effect.value == "Allow"

    @property
    def is_deny(self) -> bool:
        return self.effect is not None and self.effect.value == "Deny"

    def deployed_with(self, other: Statement) -> bool:
        """Whether this statement is deployed whenever `other` is."""
        return self.deployed_if <= other.deployed_if

    def excludes(self, other: Statement) -> bool:
        """Whether the two are never deployed together (opposite branches of a condition)."""
        return any((name, not value) in other.deployed_if for name, value in self.deployed_if)


@dataclass(frozen=True)
class Policy:
    kind: PolicyKind
    location: Location  # the document itself
    statements: tuple[Statement, ...]
    version: Element | None = None
    id: Element | None = None
    problems: tuple[Problem, ...] = ()
    resource: str | None = None  # CloudFormation logical id / Terraform address holding it
    resource_type: str | None = None
    name: str | None = None
    affected: tuple[str, ...] = ()  # principals / resources this policy reaches

    @property
    def file(self) -> str:
        return self.location.file


class PrincipalKind(str, Enum):
    USER = "user"
    GROUP = "group"
    ROLE = "role"
    PERMISSION_SET = "permission-set"


@dataclass(frozen=True)
class Principal:
    """An IAM identity declared in the scanned code, with what is attached to it."""

    kind: PrincipalKind
    name: str  # logical id / Terraform address
    location: Location
    resource_type: str
    policies: tuple[Policy, ...] = ()  # inline and customer-managed, incl. boundary
    managed_policy_arns: tuple[Element, ...] = ()  # attachments by ARN, at the attaching token
    groups: tuple[str, ...] = ()  # for users: the groups they belong to
    has_login_profile: bool = False
    boundary_arns: tuple[Element, ...] = ()  # a permissions boundary given by ARN (never grants)


@dataclass(frozen=True)
class Reference:
    """Where a value comes from: a resource attribute, a parameter or a variable.

    `target` is written in the source's own notation ("AccessKey",
    "aws_iam_access_key.deploy", "var.secret_key", "SecretParam"); `via` lists
    the intermediate names the value passed through (locals, Fn::Sub, module
    inputs), in order, so a finding can show the path."""

    target: str
    attribute: str = ""
    is_input: bool = False  # a CloudFormation parameter or Terraform variable
    via: tuple[str, ...] = ()


@dataclass(frozen=True)
class AccessKey:
    """A long-lived IAM user access key declared in the scanned code."""

    name: str
    resource_type: str
    location: Location
    user: str | None = None


@dataclass(frozen=True)
class ComputeValue:
    """One value that flows into compute configuration (an environment variable,
    user data, a container definition...), kept with what it was built from."""

    path: str  # where in the compute resource, e.g. "Environment.Variables.SECRET"
    location: Location
    text: str  # the value as written, or as far as it could be evaluated
    references: tuple[Reference, ...] = ()


@dataclass(frozen=True)
class Compute:
    name: str
    resource_type: str
    location: Location
    values: tuple[ComputeValue, ...] = ()
    roles: tuple[str, ...] = ()  # the roles its code runs as (directly or via an instance profile)


@dataclass(frozen=True)
class KeyedLiteral:
    """A literal string of a template with the key it is assigned to, for
    detecting hard-coded credentials anywhere (outputs, defaults, tags...)."""

    key: str
    value: Element
    resource: str | None = None


@dataclass(frozen=True)
class UnresolvedNote:
    """A policy element or construct left unresolved, listed by `--verbose`."""

    location: Location
    text: str
    reason: str


@dataclass(frozen=True)
class Block:
    """A resource or block of a template (its whole span), so a suppression
    comment on its first line can cover every finding inside it."""

    name: str
    resource_type: str
    location: Location


@dataclass(frozen=True)
class Suppression:
    """A suppression written in the scanned code (CloudFormation Metadata)."""

    rule_ids: tuple[str, ...]
    reason: str
    scope: Location  # the findings inside this span are suppressed


@dataclass(frozen=True)
class ParseError:
    """A file that looks like IaC or a policy but cannot be read (IAM000)."""

    file: str
    line: int
    message: str
    column: int = 1


@dataclass(frozen=True)
class Inventory:
    """Everything the sources extracted from one scan unit (a file or module)."""

    files: tuple[str, ...] = ()
    policies: tuple[Policy, ...] = ()
    principals: tuple[Principal, ...] = ()
    access_keys: tuple[AccessKey, ...] = ()
    compute: tuple[Compute, ...] = ()
    literals: tuple[KeyedLiteral, ...] = ()
    unresolved: tuple[UnresolvedNote, ...] = ()
    blocks: tuple[Block, ...] = ()
    suppressions: tuple[Suppression, ...] = ()
    errors: tuple[ParseError, ...] = ()


SEVERITIES = ("critical", "high", "medium", "low", "info")


@dataclass(frozen=True)
class Finding:
    rule_id: str
    slug: str
    severity: str
    message: str
    location: Location
    resource: str | None = None
    resource_type: str | None = None
    affected: tuple[str, ...] = ()
    element: str = ""  # text of the offending element, for fingerprints
    statement: Location | None = (
        None  # statement it was raised on, for "one root cause, one finding"
    )

    @property
    def sort_key(self) -> tuple:
        loc = self.location
        return (loc.file, loc.line, loc.column, self.rule_id, self.message)
