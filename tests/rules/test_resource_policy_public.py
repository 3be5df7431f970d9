"""IAM013 and IAM014 on raw resource policies."""

import json

from iamlint.registry import all_rules
from iamlint.scan import scan


def findings(tmp_path, *statements):
    path = tmp_path / "policy.json"
    path.write_text(json.dumps({"Version": "2012-10-17", "Statement": list(statements)}, indent=2))
    return [(f.rule_id, f.severity, f.message) for f in scan([str(path)], all_rules()).findings]


def read(principal, **extra):
    return {
        "Effect": "Allow",
        "Principal": principal,
        "Action": "s3:GetObject",
        "Resource": "arn:aws:s3:::b/*",
        **extra,
    }


def test_public_bucket_read(tmp_path):
    assert findings(tmp_path, read("*")) == [
        (
            "IAM013",
            "critical",
            'Principal "*" makes this resource public: any AWS account, and for some services'
            " anonymous callers, can use it (it has no Condition)",
        )
    ]


def test_source_vpce_restricts(tmp_path):
    condition = {"StringEquals": {"aws:SourceVpce": "vpce-1a2b3c4d"}}
    assert findings(tmp_path, read("*", Condition=condition)) == []


def test_not_principal_allow_is_public(tmp_path):
    statement = read("*")
    del statement["Principal"]
    statement["NotPrincipal"] = {"AWS": "arn:aws:iam::111122223333:root"}
    assert findings(tmp_path, statement) == [
        (
            "IAM013",
            "critical",
            "Allow with NotPrincipal grants every principal except"
            " arn:aws:iam::111122223333:root, anonymous callers included (it has no Condition)",
        )
    ]


def test_service_principal_without_source(tmp_path):
    assert findings(tmp_path, read({"Service": "cloudtrail.amazonaws.com"})) == [
        (
            "IAM014",
            "medium",
            "service principal cloudtrail.amazonaws.com granted access without aws:SourceArn or"
            " aws:SourceAccount, so the service may act on it for any account"
            " (it has no Condition)",
        )
    ]


def test_service_principal_with_source_account(tmp_path):
    condition = {"StringEquals": {"aws:SourceAccount": "111122223333"}}
    principal = {"Service": "cloudtrail.amazonaws.com"}
    assert findings(tmp_path, read(principal, Condition=condition)) == []
