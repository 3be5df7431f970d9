from policy_lint import Found, allow, lint, rules

from iamlint.model import PolicyKind

GET = allow("s3:GetObject", "arn:aws:s3:::bucket/*")


def test_missing_version_at_the_document():
    assert lint(GET, version=None) == [
        Found(
            "IAM020",
            "low",
            'the document has no Version; add "Version": "2012-10-17" so policy variables'
            " are substituted",
            1,
        )
    ]


def test_the_2008_version_at_the_version():
    assert lint(GET, version="2008-10-17") == [
        Found(
            "IAM020",
            "low",
            'Version "2008-10-17" does not substitute policy variables; use "2012-10-17"',
            2,
        )
    ]


def test_statements_written_without_a_document_are_not_faulted():
    bus = {
        "Effect": "Allow",
        "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
        "Action": "events:PutEvents",
        "Resource": "arn:aws:events:us-east-1:123456789012:event-bus/default",
    }
    options = {"kind": PolicyKind.RESOURCE, "resource_type": "AWS::Events::EventBusPolicy"}
    assert rules(bus, version=None, **options) == []


def test_a_document_that_is_no_object_is_only_iam019():
    assert rules(document=["not", "a", "policy"]) == ["IAM019"]
