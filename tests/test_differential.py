"""Differential consistency on generated policies: the same rule ids whatever format holds
the policy, and the same report on every run.

The renderers are test_cross_format's; hypothesis draws the policies (a fixed
derandomized sequence with a bounded number of examples, so CI is repeatable).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_cross_format import cfn_json, cfn_yaml, raw_json, tf_jsonencode, tf_policy_document

from iamlint.registry import all_rules
from iamlint.report import render
from iamlint.report.options import RenderOptions
from iamlint.scan import scan

RULES = tuple(all_rules())
RENDERERS = {
    "cfn-yaml": cfn_yaml,
    "cfn-json": cfn_json,
    "tf-jsonencode": tf_jsonencode,
    "tf-policy-document": tf_policy_document,
}
CI = settings(
    max_examples=200,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

ACTIONS = [
    "*",
    "iam:*",
    "s3:*",
    "s3:GetObject",
    "s3:Get*",
    "s3:PutObject",
    "s3:GetObjekt",
    "iam:PassRole",
    "iam:CreatePolicyVersion",
    "ec2:RunInstances",
    "lambda:UpdateFunctionCode",
    "kms:Decrypt",
]
# A raw JSON file does not say what holds the policy: it is read as a trust policy when
# every statement only assumes roles, so trust policies are drawn that way and others not.
TRUST_ACTIONS = ["sts:AssumeRole", "sts:TagSession", "sts:AssumeRoleWithWebIdentity"]
RESOURCES = [
    "*",
    "arn:aws:s3:::bucket/*",
    "arn:aws:s3:::bucket",
    "arn:aws:iam::123456789012:role/app",
    "arn:aws:kms:eu-west-1:123456789012:key/abcd",
]
PRINCIPALS = {
    "AWS": [
        "*",
        "123456789012",
        "arn:aws:iam::123456789012:root",
        "arn:aws:iam::210987654321:role/x",
    ],
    "Service": ["lambda.amazonaws.com", "cloudtrail.amazonaws.com"],
    "Federated": ["arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"],
}
CONDITIONS = [
    ("StringEquals", "aws:SourceAccount", ["123456789012"]),
    ("Bool", "aws:MultiFactorAuthPresent", ["true"]),
    ("Bool", "aws:SecureTransport", ["false"]),
    ("StringLike", "aws:PrincipalArn", ["arn:aws:iam::123456789012:role/*"]),
    ("StringEquals", "iam:PassedToService", ["lambda.amazonaws.com"]),
    ("StringEquals", "token.actions.githubusercontent.com:aud", ["sts.amazonaws.com"]),
]


def _one_or_many(values: list[str]) -> st.SearchStrategy:
    many = st.lists(st.sampled_from(values), min_size=1, max_size=3, unique=True)
    return st.sampled_from(values) | many


@st.composite
def _statement(draw, kind: str) -> dict:
    statement: dict = {"Effect": draw(st.sampled_from(["Allow", "Allow", "Deny"]))}
    with_principal = kind != "identity"
    if with_principal:
        if draw(st.booleans()) and draw(st.booleans()):
            statement["Principal"] = "*"
        else:
            kinds = draw(st.lists(st.sampled_from(sorted(PRINCIPALS)), min_size=1, unique=True))
            statement["Principal"] = {k: draw(_one_or_many(PRINCIPALS[k])) for k in kinds}
    if kind == "trust":
        statement["Action"] = draw(_one_or_many(TRUST_ACTIONS))
    else:
        action_key = draw(st.sampled_from(["Action", "Action", "NotAction"]))
        statement[action_key] = draw(_one_or_many(ACTIONS))
    if not with_principal or draw(st.booleans()):
        resource_key = draw(st.sampled_from(["Resource", "Resource", "NotResource"]))
        statement[resource_key] = draw(_one_or_many(RESOURCES))
    conditions: dict = {}
    for operator, key, values in draw(st.lists(st.sampled_from(CONDITIONS), max_size=2)):
        conditions.setdefault(operator, {})[key] = values
    if conditions:
        statement["Condition"] = conditions
    return statement


@st.composite
def policies(draw) -> tuple[str, dict]:
    """(kind, policy): an identity, trust or resource policy of one to three statements."""
    kind = draw(st.sampled_from(["identity", "trust", "resource"]))
    statements = draw(st.lists(_statement(kind), min_size=1, max_size=3))
    return kind, {"Version": "2012-10-17", "Statement": statements}


def _rule_ids(files: dict[str, str]) -> list[str]:
    with tempfile.TemporaryDirectory() as directory:
        for name, text in files.items():
            (Path(directory) / name).write_text(text, encoding="utf-8")
        report = scan([directory], RULES)
    assert report.errors == []
    return sorted(finding.rule_id for finding in report.findings)


@CI
@given(policies())
def test_the_same_rule_ids_in_every_format(drawn):
    kind, policy = drawn
    expected = _rule_ids(raw_json(kind, policy).files)
    found = {name: _rule_ids(render_(kind, policy).files) for name, render_ in RENDERERS.items()}
    assert found == dict.fromkeys(RENDERERS, expected)


def _report(directory: str) -> str:
    return render("json", scan([directory], RULES), RenderOptions())


@settings(CI, max_examples=25)
@given(st.lists(policies(), min_size=1, max_size=4))
def test_the_report_is_the_same_on_every_run(drawn):
    with tempfile.TemporaryDirectory() as directory:
        for index, (kind, policy) in enumerate(drawn):
            render_ = [raw_json, *RENDERERS.values()][index % (len(RENDERERS) + 1)]
            folder = Path(directory) / f"unit{index}"
            folder.mkdir()
            for name, text in render_(kind, policy).files.items():
                (folder / name).write_text(text, encoding="utf-8")
        assert _report(directory) == _report(directory)
