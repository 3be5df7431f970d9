from __future__ import annotations

import pytest

from iamlint.iam.catalogue import lookup, service_actions, service_prefixes
from iamlint.iam.patterns import (
    action_matches,
    closest_action,
    expand,
    is_valid_action_syntax,
    is_wildcard,
)


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [("s3:Get*", True), ("s3:GetObject", False), ("*", True), ("iam:Pass?ole", True)],
)
def test_is_wildcard(pattern: str, expected: bool) -> None:
    assert is_wildcard(pattern) is expected


@pytest.mark.parametrize(
    ("pattern", "action", "expected"),
    [
        ("*", "s3:GetObject", True),
        ("*", "anything at all", True),
        ("s3:*", "s3:GetObject", True),
        ("S3:getobject", "s3:GetObject", True),
        ("s3:Get*", "s3:GetObject", True),
        ("s3:Get*", "s3:PutObject", False),
        ("s3:Get*", "s3x:GetObject", False),
        ("*:Get*", "ec2:GetConsoleOutput", True),
        ("s3:GetObjec?", "s3:GetObject", True),
        ("s3:GetObjec?", "s3:GetObjectAcl", False),
        ("s3:?", "s3:", False),
        ("s3:[G]etObject", "s3:GetObject", False),
        ("s3:[G]etObject", "s3:[G]etObject", True),
        ("iam:Pass.ole", "iam:PassRole", False),
        ("iam:*", "iam:Pass*", True),
        ("iam:PassRole", "iam:Pass*", False),
    ],
)
def test_action_matches(pattern: str, action: str, expected: bool) -> None:
    assert action_matches(pattern, action) is expected


def test_expand_service_pattern() -> None:
    names = [a.full_name for a in expand("s3:Get*")]
    assert "s3:GetObject" in names
    assert "s3:PutObject" not in names
    assert all(n.startswith("s3:Get") for n in names)
    assert names == sorted(names)


def test_expand_is_case_insensitive_and_keeps_aws_casing() -> None:
    assert [a.full_name for a in expand("IAM:passrole")] == ["iam:PassRole"]


def test_expand_service_star_is_the_whole_service() -> None:
    assert len(expand("iam:*")) == len(service_actions("iam"))
    assert set(expand("iam:*")) == set(service_actions("iam").values())


def test_expand_wildcard_in_service_part() -> None:
    services = {a.service for a in expand("s3*:*")}
    assert {"s3", "s3express", "s3-outposts"} <= services
    assert all(s.startswith("s3") for s in services)
    gets = expand("*:GetObject")
    assert {a.service for a in gets} >= {"s3", "s3-outposts"}
    assert all(a.name == "GetObject" for a in gets)


def test_expand_star_is_everything() -> None:
    everything = expand("*")
    assert len(everything) == len(expand("*:*"))
    assert {a.service for a in everything} == service_prefixes()
    assert lookup("sts:AssumeRole") in everything


@pytest.mark.parametrize(
    "pattern", ["s3", "GetObject", "", "s4:GetObject", "s3:NoSuchAction*", "s3:"]
)
def test_expand_malformed_or_unknown_is_empty(pattern: str) -> None:
    assert expand(pattern) == ()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("s3:GetObjcet", "s3:GetObject"),
        ("S3:getobjcet", "s3:GetObject"),
        ("iam:PassRol*", "iam:PassRole"),
        ("s4:GetObject", "s3:GetObject"),
        ("ec:DescribeInstances", "ec2:DescribeInstances"),
        ("lamda:InvokeFunction", "lambda:InvokeFunction"),
        ("s4:Frobnicate", "s3:*"),
        ("zzzzzzzz:GetObject", None),
        ("s3:Qqqqqqqqqqqqqqqqqqqqq", None),
        ("GetObject", None),
    ],
)
def test_closest_action(text: str, expected: str | None) -> None:
    assert closest_action(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "*",
        "s3:GetObject",
        "s3:*",
        "*:*",
        "S3:getObject",
        "s3:Get?bject",
        "aws-marketplace:ViewSubscriptions",
        "vpc-lattice:AssociateViaAWSService-EventsAndStates",
    ],
)
def test_valid_action_syntax(text: str) -> None:
    assert is_valid_action_syntax(text)


@pytest.mark.parametrize(
    "text",
    ["", "s3", "s3:", ":GetObject", "s3:Get Object", "s3:GetObject:x", "s3::GetObject", "s3/x:y"],
)
def test_invalid_action_syntax(text: str) -> None:
    assert not is_valid_action_syntax(text)
