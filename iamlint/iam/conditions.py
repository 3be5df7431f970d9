"""Condition operators, and the "unconditioned" test of rules.md: does a statement's
Condition restrict who (or from where) can call?"""

from __future__ import annotations

import re
from collections.abc import Iterable

from iamlint.iam.arn import parse_arn
from iamlint.model import Condition, Element, Unresolved

# Keys that pin the caller's identity, account, organisation or network origin.
# Deliberately left out:
# - aws:MultiFactorAuthPresent/Age say how the caller signed in, not who: with
#   Principal "*" anyone with MFA in any account passes. IAM011 also accepts MFA on a
#   cross-account trust; it passes PRINCIPAL_RESTRICTING_KEYS | MFA_KEYS.
# - aws:PrincipalTag/*, aws:SourceIdentity, aws:PrincipalType: set or chosen by the
#   caller's own account, so they do not restrict a foreign caller.
# - aws:ResourceAccount/OrgID, aws:CalledVia*, aws:SecureTransport: about the target
#   or the transport, not the caller.
PRINCIPAL_RESTRICTING_KEYS: frozenset[str] = frozenset(
    {
        "aws:principalorgid",
        "aws:principalorgpaths",
        "aws:principalaccount",
        "aws:principalarn",
        "aws:principalisawsservice",
        "aws:principalservicename",
        "aws:userid",
        "aws:username",
        "aws:federatedprovider",
        "aws:sourcearn",
        "aws:sourceaccount",
        "aws:sourceowner",
        "aws:sourceorgid",
        "aws:sourceorgpaths",
        "aws:sourceip",
        "aws:vpcsourceip",
        "aws:sourcevpc",
        "aws:sourcevpcarn",
        "aws:sourcevpce",
        "aws:vpceaccount",
        "aws:vpceorgid",
        "aws:vpceorgpaths",
        "aws:ec2instancesourcevpc",
        "aws:ec2instancesourceprivateipv4",
        "sts:externalid",
        "kms:calleraccount",
        "kms:viaservice",
        # Which compute instance or function the role credentials were issued to.
        "ec2:sourceinstancearn",
        "lambda:sourcefunctionarn",
        "ssm:sourceinstancearn",
        # AWS's documented way to delegate a bucket to access points of one account.
        "s3:dataaccesspointaccount",
        "s3:dataaccesspointarn",
    }
)

MFA_KEYS: frozenset[str] = frozenset({"aws:multifactorauthpresent", "aws:multifactorauthage"})

_BASE_OPERATORS = {
    op.lower(): op
    for op in (
        "StringEquals",
        "StringNotEquals",
        "StringEqualsIgnoreCase",
        "StringNotEqualsIgnoreCase",
        "StringLike",
        "StringNotLike",
        "NumericEquals",
        "NumericNotEquals",
        "NumericLessThan",
        "NumericLessThanEquals",
        "NumericGreaterThan",
        "NumericGreaterThanEquals",
        "DateEquals",
        "DateNotEquals",
        "DateLessThan",
        "DateLessThanEquals",
        "DateGreaterThan",
        "DateGreaterThanEquals",
        "Bool",
        "BinaryEquals",
        "IpAddress",
        "NotIpAddress",
        "ArnEquals",
        "ArnLike",
        "ArnNotEquals",
        "ArnNotLike",
        "Null",
    )
}
_NEGATED = frozenset(op for op in _BASE_OPERATORS if "not" in op)
# Operators whose values may hold wildcards (ArnEquals is ArnLike under another name).
_WILDCARD_OPERATORS = frozenset({"stringlike", "arnlike", "arnequals"})
_ANY_NETWORK = frozenset({"0.0.0.0/0", "::/0"})
_ONLY_WILDCARDS = re.compile(r"[*?]+")

# AWS documents operators in one casing without saying whether others are accepted;
# matching them case-insensitively keeps IAM019 from flagging a policy AWS may accept.
_OPERATOR = re.compile(r"(?:(forallvalues|foranyvalue):)?([a-z]+?)(ifexists)?")


def _parse_operator(op: str) -> tuple[str, str, bool] | None:
    """(set qualifier, base operator, IfExists), all lowercase; None if not an operator."""
    match = _OPERATOR.fullmatch(op.lower())
    if match is None:
        return None
    qualifier, base, if_exists = match.group(1) or "", match.group(2), bool(match.group(3))
    if base not in _BASE_OPERATORS or (base == "null" and (qualifier or if_exists)):
        return None
    return qualifier, base, if_exists


def is_valid_operator(op: str) -> bool:
    """An IAM condition operator, with optional ForAllValues:/ForAnyValue: and IfExists."""
    return _parse_operator(op) is not None


def _unrestrictive_value(base: str, key: str, value: Element) -> bool:
    """Whether one condition value lets any caller through."""
    if isinstance(value.value, Unresolved):
        return False
    text = value.text
    if text.lower() == "${" + key + "}":
        return True
    if base == "bool":
        return text.lower() != "true"
    if base == "ipaddress":
        return text in _ANY_NETWORK
    if base not in _WILDCARD_OPERATORS:
        return False
    if _ONLY_WILDCARDS.fullmatch(text):
        return True
    arn = parse_arn(text)
    return (
        arn is not None
        and _ONLY_WILDCARDS.fullmatch(arn.account or "*") is not None
        and _ONLY_WILDCARDS.fullmatch(arn.resource) is not None
    )


def _why_not(condition: Condition, keys: frozenset[str]) -> str | None:
    """None when the condition restricts the caller, else the reason it does not."""
    key = condition.key.value
    if isinstance(key, Unresolved):
        return "its key is not known"
    if not isinstance(key, str) or key.lower() not in keys:
        return "unrelated key"
    op = condition.operator.literal
    parsed = _parse_operator(op) if op is not None else None
    if parsed is None:
        return f"{condition.operator.text} is not a condition operator"
    qualifier, base, if_exists = parsed
    if base == "null":
        return "Null only tests whether the key is present"
    if if_exists:
        return f"{op} passes when the key is absent"
    if qualifier == "forallvalues":
        return "ForAllValues passes when the key is absent"
    if base in _NEGATED:
        return f"{op} lets every other value through"
    if not condition.values:
        return "it has no value"
    for value in condition.values:
        if _unrestrictive_value(base, key.lower(), value):
            return f'{op} "{value.text}" matches any caller'
    return None


def restricts_principal(
    conditions: Iterable[Condition], keys: frozenset[str] = PRINCIPAL_RESTRICTING_KEYS
) -> bool:
    """True when at least one condition limits who or from where the call is made.

    An unresolved value counts as some specific value, so it restricts; an unresolved key
    does not, since it may be any key.
    """
    return any(_why_not(c, keys) is None for c in conditions)


def describe_conditions(
    conditions: Iterable[Condition], keys: frozenset[str] = PRINCIPAL_RESTRICTING_KEYS
) -> str:
    """The fragment of a finding's message that says what the conditions do, e.g.
    "the only condition, aws:SecureTransport, does not restrict who can call"."""
    conditions = tuple(conditions)
    if not conditions:
        return "it has no Condition"
    restricting = _unique(c.key.text for c in conditions if _why_not(c, keys) is None)
    if restricting:
        return "restricted by " + ", ".join(restricting)
    described = _unique(_describe(c, keys) for c in conditions)
    if len(described) == 1:
        return f"the only condition, {described[0]}, does not restrict who can call"
    return f"conditions on {', '.join(described)} do not restrict who can call"


def _describe(condition: Condition, keys: frozenset[str]) -> str:
    reason = _why_not(condition, keys)
    if reason == "unrelated key":
        return condition.key.text
    return f"{condition.key.text} ({reason})"


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))
