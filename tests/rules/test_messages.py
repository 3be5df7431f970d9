"""Severities and messages of the policy-level rules, on the issue's own examples."""

import json

import pytest

from iamlint.registry import all_rules
from iamlint.scan import scan


def findings(tmp_path, *statements, version="2012-10-17"):
    document = {"Statement": list(statements)}
    if version:
        document = {"Version": version, **document}
    path = tmp_path / "p.json"
    path.write_text(json.dumps(document, indent=2))
    report = scan([str(path)], all_rules())
    return [(f.rule_id, f.severity, f.message) for f in report.findings]


def allow(action, resource="*", **extra):
    return {"Effect": "Allow", "Action": action, "Resource": resource, **extra}


def test_service_wildcard_on_star(tmp_path):
    assert [f[:2] for f in findings(tmp_path, allow("s3:*"))] == [
        ("IAM003", "high"),
        ("IAM004", "high"),
    ]
    assert findings(tmp_path, allow("s3:*"))[0][2] == (
        "s3:* grants all 180 actions of s3, a sensitive service"
    )


@pytest.mark.parametrize(
    ("action", "severity"),
    [
        ("iam:PutRolePolicy", "high"),
        ("s3:GetObject", "medium"),
        ("s3:PutObject", "medium"),
        ("s3:ListBucket", "low"),
        ("iam:TagRole", "low"),
    ],
)
def test_missing_resource_scoping_severity_follows_access_level(tmp_path, action, severity):
    assert findings(tmp_path, allow(action)) == [
        (
            "IAM004",
            severity,
            f"Resource * leaves unscoped actions that accept specific resource ARNs: {action}",
        )
    ]


def test_actions_that_only_accept_star_are_not_scopable(tmp_path):
    assert findings(tmp_path, allow(["s3:ListAllMyBuckets", "sts:GetCallerIdentity"])) == []


def test_misspelt_action_names_the_real_one(tmp_path):
    assert findings(tmp_path, allow("s3:GetObjcet", "arn:aws:s3:::b/*")) == [
        (
            "IAM018",
            "medium",
            "s3:GetObjcet matches no action, so this statement silently grants nothing for it;"
            " did you mean s3:GetObject?",
        )
    ]


def test_unknown_service_prefix(tmp_path):
    ((rule, _, message),) = findings(tmp_path, allow("s4:GetObject", "arn:aws:s3:::b/*"))
    assert rule == "IAM018"
    assert message == (
        "s4:GetObject names an unknown service prefix 's4', so this statement silently grants"
        " nothing for it; did you mean s3:GetObject?"
    )


def test_full_admin_is_one_critical_finding(tmp_path):
    assert findings(tmp_path, allow("*")) == [
        (
            "IAM002",
            "critical",
            "Allows every action (*) on every resource: full administrator access"
            " (it has no Condition)",
        )
    ]


def test_full_admin_message_explains_an_unrelated_condition(tmp_path):
    condition = {"Bool": {"aws:SecureTransport": "true"}}
    ((_, _, message),) = findings(tmp_path, allow("*:*", Condition=condition))
    assert message.endswith(
        "(the only condition, aws:SecureTransport, does not restrict who can call)"
    )


def test_deny_cancelling_an_allow(tmp_path):
    result = findings(
        tmp_path,
        allow("iam:*"),
        {"Sid": "NoIam", "Effect": "Deny", "Action": "iam:*", "Resource": "*"},
    )
    assert result == [
        (
            "IAM022",
            "info",
            "this Allow is cancelled by the Deny at line 9 (statement 'NoIam'):"
            " an explicit Deny overrides every Allow",
        )
    ]


def test_narrowing_policies_are_not_grants(tmp_path):
    deny_only = {"Effect": "Deny", "Action": "s3:*", "Resource": "*"}
    assert findings(tmp_path, deny_only) == []


def test_missing_version(tmp_path):
    assert findings(tmp_path, allow("s3:GetObject", "arn:aws:s3:::b/*"), version=None) == [
        (
            "IAM020",
            "low",
            'the document has no Version; add "Version": "2012-10-17" so policy variables'
            " are substituted",
        )
    ]


def test_every_rule_is_documented_in_the_ruff_shape():
    for rule in all_rules():
        doc = rule.documentation
        for heading in ("## What it does", "## Why is this bad?", "## Example", "## Use instead"):
            assert heading in doc, f"{rule.id} lacks {heading}"
        assert "## References" in doc, rule.id
