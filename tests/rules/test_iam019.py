import pytest
from policy_lint import Found, allow, lint, rules

from iamlint.model import PolicyKind

BUCKET = "arn:aws:s3:::bucket/*"
SERVICE = {"Service": "lambda.amazonaws.com"}


@pytest.mark.parametrize(
    ("statement", "message"),
    [
        (
            allow("s3:GetObject", BUCKET, Effect="allow"),
            'Effect must be "Allow" or "Deny", not \'allow\'',
        ),
        (
            allow("s3:GetObject", BUCKET, Effect=True),
            'Effect must be "Allow" or "Deny", not \'true\'',
        ),
        ({"Action": "s3:GetObject", "Resource": BUCKET}, "the statement has no Effect"),
        ({"Effect": "Allow", "Resource": BUCKET}, "the statement has no Action or NotAction"),
        (
            {"Effect": "Allow", "Action": "s3:GetObject"},
            "the statement has no Resource or NotResource",
        ),
        (allow("s3GetObject", BUCKET), "malformed action 's3GetObject' (expected service:Action)"),
        (allow(42, BUCKET), "an action must be a string, not 42"),
        (allow("s3:GetObject", "bucket/*"), "malformed resource 'bucket/*' (expected an ARN or *)"),
        (
            allow("s3:GetObject", "arn:aws:s3:::"),
            "resource 'arn:aws:s3:::' names no resource (the ARN ends before its resource part)",
        ),
        (
            allow("s3:GetObject", BUCKET, Principal=SERVICE),
            "Principal is not allowed in an identity policy",
        ),
        (
            allow(
                "s3:GetObject", BUCKET, Condition={"StringEqualz": {"aws:SourceIp": "10.0.0.0/8"}}
            ),
            "unknown condition operator 'StringEqualz'",
        ),
    ],
)
def test_each_defect_is_one_high_finding(statement, message):
    assert [(f.rule, f.severity, f.message) for f in lint(statement)] == [
        ("IAM019", "high", message)
    ]


def test_both_forms_of_an_element_are_reported_at_the_second():
    statement = {"Effect": "Deny", "Action": "s3:GetObject", "NotAction": "s3:PutObject"}
    statement["Resource"] = BUCKET
    assert lint(statement) == [
        Found("IAM019", "high", "a statement cannot have both Action and NotAction", 7)
    ]


def test_an_unknown_service_condition_key_is_medium():
    statement = allow("s3:GetObject", BUCKET, Condition={"StringEquals": {"s3:NoSuchKey": "x"}})
    assert [(f.rule, f.severity) for f in lint(statement)] == [("IAM019", "medium")]


def test_structural_problems_of_the_reader_are_reported():
    found = lint(document={"Version": "2012-10-17", "Statment": [], "Statement": []})
    assert [(f.rule, f.message) for f in found] == [("IAM019", "unknown top-level key 'Statment'")]


def test_trust_policies_need_a_principal_and_take_no_resource():
    assume = {"Effect": "Allow", "Action": "sts:AssumeRole"}
    assert [f.message for f in lint(assume, kind=PolicyKind.TRUST)] == [
        "a trust policy statement needs a Principal"
    ]
    with_resource = {**assume, "Principal": SERVICE, "Resource": "*"}
    assert [f.message for f in lint(with_resource, kind=PolicyKind.TRUST)] == [
        "Resource is not allowed in a role trust policy"
    ]


def test_shorthands_the_service_expands_are_valid():
    invoke = {"Effect": "Allow", "Principal": "*", "Action": "execute-api:Invoke"}
    api = {**invoke, "Resource": "execute-api:/*"}
    assert "IAM019" not in rules(api, kind=PolicyKind.RESOURCE)
    permission = {
        "Effect": "Allow",
        "Principal": {"Service": "s3.amazonaws.com"},
        "Action": "lambda:InvokeFunction",
        "Resource": "my-function",
    }
    options = {"kind": PolicyKind.RESOURCE, "resource_type": "aws_lambda_permission"}
    assert "IAM019" not in rules(permission, **options)


def test_a_valid_policy_is_quiet():
    condition = {
        "ForAnyValue:StringLikeIfExists": {"aws:RequestTag/team": "dev*"},
        "StringEquals": {"s3:x-amz-acl": "private"},
    }
    statement = allow("s3:GetObject", "arn:aws:s3:::b/${aws:username}/*", Condition=condition)
    assert rules(statement) == []
