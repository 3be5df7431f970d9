"""One policy, every format: the same rule ids fire whatever file holds the policy."""

import json

import pytest
import yaml

from iamlint.engine import run_rules
from iamlint.registry import all_rules
from iamlint.sources.loader import load_file

# Where a CloudFormation template keeps a policy of each kind.
_CFN_HOLDERS = {
    "identity": ("AWS::IAM::Policy", "PolicyDocument", {"PolicyName": "p", "Roles": ["r"]}),
    "trust": ("AWS::IAM::Role", "AssumeRolePolicyDocument", {}),
    "resource": ("AWS::S3::BucketPolicy", "PolicyDocument", {"Bucket": "b"}),
}


def _template(kind: str, policy: dict) -> dict:
    resource_type, prop, extra = _CFN_HOLDERS[kind]
    properties = {**extra, prop: policy}
    return {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Resources": {"Holder": {"Type": resource_type, "Properties": properties}},
    }


def raw_json(kind: str, policy: dict) -> tuple[str, str]:
    return "policy.json", json.dumps(policy, indent=2)


def cfn_yaml(kind: str, policy: dict) -> tuple[str, str]:
    return "template.cfn.yaml", yaml.safe_dump(_template(kind, policy), sort_keys=False)


def cfn_json(kind: str, policy: dict) -> tuple[str, str]:
    return "template.cfn.json", json.dumps(_template(kind, policy), indent=2)


FORMATS = {"raw-json": raw_json, "cfn-yaml": cfn_yaml, "cfn-json": cfn_json}

V = "2012-10-17"
CASES = {
    "full-admin": (
        "identity",
        {"Version": V, "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]},
    ),
    "service-wildcard": (
        "identity",
        {"Version": V, "Statement": [{"Effect": "Allow", "Action": "iam:*", "Resource": "*"}]},
    ),
    "unscoped-write": (
        "identity",
        {
            "Version": V,
            "Statement": [
                {"Effect": "Allow", "Action": ["s3:PutObject", "s3:GetObject"], "Resource": "*"}
            ],
        },
    ),
    "not-action": (
        "identity",
        {"Version": V, "Statement": [{"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}]},
    ),
    "not-resource": (
        "identity",
        {
            "Version": V,
            "Statement": [
                {
                    "Effect": "Allow",
                    "Action": "s3:GetObject",
                    "NotResource": "arn:aws:s3:::secret/*",
                }
            ],
        },
    ),
    "passrole": (
        "identity",
        {
            "Version": V,
            "Statement": [{"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"}],
        },
    ),
    "unknown-action": (
        "identity",
        {
            "Version": V,
            "Statement": [
                {"Effect": "Allow", "Action": "s3:GetObjekt", "Resource": "arn:aws:s3:::b/*"}
            ],
        },
    ),
    "no-version": (
        "identity",
        {
            "Statement": [
                {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}
            ]
        },
    ),
    "scoped": (
        "identity",
        {
            "Version": V,
            "Statement": [
                {
                    "Effect": "Allow",
                    "Action": "s3:GetObject",
                    "Resource": "arn:aws:s3:::b/*",
                    "Condition": {"Bool": {"aws:SecureTransport": "true"}},
                }
            ],
        },
    ),
    "trust-anyone": (
        "trust",
        {
            "Version": V,
            "Statement": [
                {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}
            ],
        },
    ),
    "trust-account": (
        "trust",
        {
            "Version": V,
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"AWS": "arn:aws:iam::123456789012:root"},
                    "Action": "sts:AssumeRole",
                }
            ],
        },
    ),
    "public-bucket": (
        "resource",
        {
            "Version": V,
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": "*",
                    "Action": "s3:GetObject",
                    "Resource": "arn:aws:s3:::b/*",
                }
            ],
        },
    ),
    "service-principal": (
        "resource",
        {
            "Version": V,
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"Service": "cloudtrail.amazonaws.com"},
                    "Action": "s3:PutObject",
                    "Resource": "arn:aws:s3:::b/*",
                }
            ],
        },
    ),
}


def _rule_ids(tmp_path, render, kind: str, policy: dict) -> list[str]:
    name, text = render(kind, policy)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    loaded = load_file(str(path), name)
    assert loaded.supported
    assert loaded.inventory.errors == ()
    findings, errors = run_rules(loaded.inventory, all_rules())
    assert errors == []
    return sorted(finding.rule_id for finding in findings)


@pytest.mark.parametrize("case", sorted(CASES))
def test_same_rule_ids_in_every_format(tmp_path, case):
    kind, policy = CASES[case]
    results = {fmt: _rule_ids(tmp_path, render, kind, policy) for fmt, render in FORMATS.items()}
    expected = results["raw-json"]
    assert results == dict.fromkeys(FORMATS, expected)
