from __future__ import annotations

import pytest

from iamlint.iam.catalogue import (
    SENSITIVE_SERVICES,
    Action,
    data_version,
    is_known_condition_key,
    lookup,
    service_actions,
    service_prefixes,
)


def test_service_prefixes_are_lowercase_and_include_core_services() -> None:
    prefixes = service_prefixes()
    assert {"s3", "iam", "ec2", "sts", "aws-marketplace"} <= prefixes
    assert all(p == p.lower() for p in prefixes)
    assert prefixes >= SENSITIVE_SERVICES


def test_lookup_is_case_insensitive_and_returns_aws_casing() -> None:
    action = lookup("S3:getobject")
    assert action is not None
    assert action.service == "s3"
    assert action.name == "GetObject"
    assert action.full_name == "s3:GetObject"
    assert action.access_levels == ("Read",)
    assert "object" in action.resource_types
    assert action.accepts_resource_level
    assert "s3:ExistingObjectTag/<key>" in action.condition_keys


def test_action_only_accepting_star_has_no_resource_level() -> None:
    action = lookup("s3:listallmybuckets")
    assert action is not None
    assert action.resource_types == ()
    assert action.accepts_resource_level is False
    get_caller_identity = lookup("sts:GetCallerIdentity")
    assert get_caller_identity is not None
    assert get_caller_identity.accepts_resource_level is False


def test_several_access_levels_are_split() -> None:
    put_role_policy = lookup("iam:PutRolePolicy")
    assert put_role_policy is not None
    assert put_role_policy.access_levels == ("Permissions management", "Write")
    tag_role = lookup("iam:TagRole")
    assert tag_role is not None
    assert tag_role.access_levels == ("Tagging", "Write")


@pytest.mark.parametrize("text", ["s3:NoSuchAction", "s4:GetObject", "GetObject", "", "*"])
def test_lookup_of_unknown_action_is_none(text: str) -> None:
    assert lookup(text) is None


def test_service_actions_keyed_by_lowercase_name() -> None:
    actions = service_actions("IAM")
    assert actions["passrole"] == lookup("iam:PassRole")
    assert all(key == a.name.lower() for key, a in actions.items())
    assert all(isinstance(a, Action) and a.service == "iam" for a in actions.values())


@pytest.mark.parametrize("prefix", ["s4", "", "../actions/s3", "S3.json"])
def test_service_actions_of_unknown_prefix_is_empty(prefix: str) -> None:
    assert dict(service_actions(prefix)) == {}


@pytest.mark.parametrize(
    "key",
    [
        "aws:SourceArn",
        "AWS:SOURCEARN",
        "aws:PrincipalOrgID",
        "aws:SecureTransport",
        "aws:MultiFactorAuthPresent",
        "aws:RequestTag/Env",
        "aws:ResourceTag/x",
        "aws:PrincipalTag/team",
        "aws:ResourceTag/aws:cloudformation:stack-name",
        "aws:TagKeys",
        "s3:prefix",
        "s3:ExistingObjectTag/Classification",
        "iam:PassedToService",
        "iam:ResourceTag/owner",
        "sts:ExternalId",
        "kms:ViaService",
        "ec2:SourceInstanceARN",
        "token.actions.githubusercontent.com:sub",
        "token.actions.githubusercontent.com:aud",
        "saml:aud",
        "oidc.eks.us-east-1.amazonaws.com/id/ABCDEF:sub",
        "codebuild:environment.environmentVariables/MY_VAR.value",
    ],
)
def test_known_condition_keys(key: str) -> None:
    assert is_known_condition_key(key)


@pytest.mark.parametrize(
    "key",
    [
        "aws:NoSuchKey",
        "aws:RequestTag/",
        "aws:",
        "s3:NoSuchKey",
        "s4:prefix",
        "ec:Region",
        "SourceArn",
        "",
        "oidc.eks.us-east-1.amazonaws.com/id/ABCDEF:favourite_colour",
    ],
)
def test_unknown_condition_keys(key: str) -> None:
    assert not is_known_condition_key(key)


def test_data_version_comes_from_metadata() -> None:
    version = data_version()
    assert version.startswith("0.1.")
    assert version.split(".")[-1].isdigit()
