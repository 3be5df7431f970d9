"""IAM010 on raw trust policies: severity, message and where it points."""

import json

from iamlint.registry import all_rules
from iamlint.scan import scan


def trust_findings(tmp_path, statement):
    path = tmp_path / "trust.json"
    document = {"Version": "2012-10-17", "Statement": [statement]}
    path.write_text(json.dumps(document, indent=2))
    return [
        (f.rule_id, f.severity, f.location.line, f.message)
        for f in scan([str(path)], all_rules()).findings
    ]


def assume(principal, **extra):
    return {"Effect": "Allow", "Principal": principal, "Action": "sts:AssumeRole", **extra}


def test_any_principal_is_critical_at_the_principal(tmp_path):
    assert trust_findings(tmp_path, assume("*")) == [
        (
            "IAM010",
            "critical",
            6,
            'Principal "*" lets every AWS principal in any account assume this role'
            " (it has no Condition)",
        )
    ]


def test_unrelated_condition_is_named(tmp_path):
    condition = {"Bool": {"aws:SecureTransport": "true"}}
    ((rule, _, _, message),) = trust_findings(tmp_path, assume({"AWS": "*"}, Condition=condition))
    assert rule == "IAM010"
    assert message.endswith(
        "(the only condition, aws:SecureTransport, does not restrict who can call)"
    )


def test_organisation_condition_restricts(tmp_path):
    condition = {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}
    assert trust_findings(tmp_path, assume({"AWS": "*"}, Condition=condition)) == []


def test_deny_never_fires(tmp_path):
    assert trust_findings(tmp_path, {**assume("*"), "Effect": "Deny"}) == []
