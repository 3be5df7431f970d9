from __future__ import annotations

import pytest

from iamlint.iam.conditions import (
    MFA_KEYS,
    PRINCIPAL_RESTRICTING_KEYS,
    describe_conditions,
    is_valid_operator,
    restricts_principal,
)
from iamlint.model import Unresolved

from .conftest import cond

ORG = "o-abc123"


def test_key_sets_are_lowercase_and_disjoint() -> None:
    assert all(k == k.lower() for k in PRINCIPAL_RESTRICTING_KEYS | MFA_KEYS)
    assert not PRINCIPAL_RESTRICTING_KEYS & MFA_KEYS
    assert {
        "aws:principalorgid",
        "aws:sourcearn",
        "aws:sourceaccount",
        "sts:externalid",
        "kms:viaservice",
    } <= PRINCIPAL_RESTRICTING_KEYS


@pytest.mark.parametrize(
    "condition",
    [
        cond("StringEquals", "aws:PrincipalOrgID", ORG),
        cond("StringEquals", "AWS:PRINCIPALORGID", ORG),
        cond("stringequals", "aws:PrincipalOrgID", ORG),
        cond("StringLike", "aws:PrincipalArn", "arn:aws:iam::123456789012:role/ci-*"),
        cond("ArnLike", "aws:SourceArn", "arn:aws:sns:us-east-1:123456789012:*"),
        cond("ArnEquals", "aws:SourceArn", "arn:aws:s3:::my-bucket"),
        cond("StringEquals", "aws:SourceAccount", "123456789012"),
        cond("StringEquals", "sts:ExternalId", "secret"),
        cond("IpAddress", "aws:SourceIp", "203.0.113.0/24"),
        cond("StringEquals", "aws:SourceVpce", "vpce-1a2b3c4d"),
        cond("ForAnyValue:StringLike", "aws:PrincipalOrgPaths", "o-a/r-b/ou-c/*"),
        cond("Bool", "aws:PrincipalIsAWSService", "true"),
        cond("Bool", "aws:PrincipalIsAWSService", True),
        cond("StringEquals", "aws:SourceAccount", Unresolved("var.account_id")),
        cond("StringLike", "aws:SourceArn", Unresolved("!GetAtt Topic.Arn")),
        cond("StringEquals", "kms:CallerAccount", "123456789012"),
    ],
)
def test_restricting_condition(condition) -> None:
    assert restricts_principal([condition])


@pytest.mark.parametrize(
    "condition",
    [
        cond("Bool", "aws:SecureTransport", "true"),
        cond("StringLike", "s3:prefix", "home/"),
        cond("StringLike", "aws:PrincipalArn", "*"),
        cond("ArnLike", "aws:SourceArn", "*"),
        cond("ArnLike", "aws:SourceArn", "arn:aws:s3:::*"),
        cond("ArnLike", "aws:SourceArn", "arn:aws:sns:*:*:*"),
        cond("StringLike", "aws:SourceAccount", "123456789012", "*"),
        cond("Null", "aws:SourceArn", "false"),
        cond("StringEqualsIfExists", "aws:SourceAccount", "123456789012"),
        cond("ForAllValues:StringEquals", "aws:PrincipalOrgID", ORG),
        cond("StringNotEquals", "aws:PrincipalAccount", "123456789012"),
        cond("ArnNotLike", "aws:SourceArn", "arn:aws:s3:::my-bucket"),
        cond("IpAddress", "aws:SourceIp", "0.0.0.0/0"),
        cond("StringEquals", "aws:PrincipalAccount", "${aws:PrincipalAccount}"),
        cond("Bool", "aws:PrincipalIsAWSService", "false"),
        cond("StringEquals", Unresolved("var.key"), "x"),
        cond("StringEqulas", "aws:SourceAccount", "123456789012"),
        cond(Unresolved("var.op"), "aws:SourceAccount", "123456789012"),
        cond("StringEquals", "aws:SourceAccount"),
        cond("Bool", "aws:MultiFactorAuthPresent", "true"),
        cond("StringEquals", "aws:PrincipalTag/team", "admins"),
    ],
)
def test_non_restricting_condition(condition) -> None:
    assert not restricts_principal([condition])


def test_no_conditions_do_not_restrict() -> None:
    assert not restricts_principal([])


def test_one_restricting_condition_is_enough() -> None:
    conditions = [
        cond("Bool", "aws:SecureTransport", "true"),
        cond("StringEquals", "aws:SourceAccount", "123456789012"),
    ]
    assert restricts_principal(conditions)


def test_mfa_restricts_when_its_keys_are_added() -> None:
    mfa = [cond("Bool", "aws:MultiFactorAuthPresent", "true")]
    assert restricts_principal(mfa, PRINCIPAL_RESTRICTING_KEYS | MFA_KEYS)
    age = [cond("NumericLessThan", "aws:MultiFactorAuthAge", "3600")]
    assert restricts_principal(age, PRINCIPAL_RESTRICTING_KEYS | MFA_KEYS)
    no_mfa = [cond("Bool", "aws:MultiFactorAuthPresent", "false")]
    assert not restricts_principal(no_mfa, PRINCIPAL_RESTRICTING_KEYS | MFA_KEYS)


@pytest.mark.parametrize(
    ("conditions", "expected"),
    [
        ([], "it has no Condition"),
        (
            [cond("Bool", "aws:SecureTransport", "true")],
            "the only condition, aws:SecureTransport, does not restrict who can call",
        ),
        (
            [
                cond("Bool", "aws:SecureTransport", "true"),
                cond("StringLike", "s3:prefix", "home/"),
            ],
            "conditions on aws:SecureTransport, s3:prefix do not restrict who can call",
        ),
        (
            [
                cond("Bool", "aws:SecureTransport", "true"),
                cond("ArnLike", "aws:SourceArn", "arn:aws:sns:us-east-1:123456789012:t"),
            ],
            "restricted by aws:SourceArn",
        ),
        (
            [
                cond("StringEquals", "aws:SourceAccount", "123456789012"),
                cond("ArnLike", "aws:SourceArn", "arn:aws:sns:us-east-1:123456789012:t"),
                cond("StringNotEquals", "aws:SourceAccount", "999999999999"),
            ],
            "restricted by aws:SourceAccount, aws:SourceArn",
        ),
        (
            [cond("StringLike", "aws:PrincipalArn", "*")],
            'the only condition, aws:PrincipalArn (StringLike "*" matches any caller), '
            "does not restrict who can call",
        ),
        (
            [cond("StringEqualsIfExists", "aws:SourceAccount", "1")],
            "the only condition, aws:SourceAccount (StringEqualsIfExists passes when the key "
            "is absent), does not restrict who can call",
        ),
        (
            [
                cond("ForAllValues:StringEquals", "aws:PrincipalOrgID", ORG),
                cond("Null", "aws:PrincipalOrgID", "false"),
            ],
            "conditions on aws:PrincipalOrgID (ForAllValues passes when the key is absent), "
            "aws:PrincipalOrgID (Null only tests whether the key is present) "
            "do not restrict who can call",
        ),
    ],
)
def test_describe_conditions(conditions, expected: str) -> None:
    assert describe_conditions(conditions) == expected


@pytest.mark.parametrize(
    "op",
    [
        "StringEquals",
        "StringNotEqualsIgnoreCase",
        "StringLike",
        "NumericLessThanEquals",
        "DateGreaterThan",
        "Bool",
        "BinaryEquals",
        "IpAddress",
        "NotIpAddress",
        "ArnNotLike",
        "Null",
        "StringEqualsIfExists",
        "ForAllValues:StringLike",
        "ForAnyValue:StringEquals",
        "ForAnyValue:ArnLikeIfExists",
        "BoolIfExists",
        "stringequals",
        "FORANYVALUE:STRINGLIKE",
    ],
)
def test_valid_operators(op: str) -> None:
    assert is_valid_operator(op)


@pytest.mark.parametrize(
    "op",
    [
        "",
        "StringEqual",
        "StringEqulas",
        "NullIfExists",
        "ForAnyValue:Null",
        "ForSomeValues:StringEquals",
        "ForAnyValue:",
        "IfExists",
        "StringEquals IfExists",
        "ForAllValues:ForAnyValue:StringEquals",
        "StringEqualsIfExistsIfExists",
    ],
)
def test_invalid_operators(op: str) -> None:
    assert not is_valid_operator(op)
