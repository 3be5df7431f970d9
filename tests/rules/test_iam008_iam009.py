from policy_lint import Found, lint, rules

from iamlint.model import PolicyKind


def test_allow_not_action_replaces_the_resource_finding():
    statement = {"Effect": "Allow", "NotAction": ["iam:*", "organizations:*"], "Resource": "*"}
    assert lint(statement) == [
        Found(
            "IAM008",
            "high",
            "Allow with NotAction grants every action except iam:*, organizations:*,"
            " including actions AWS adds later",
            7,
        )
    ]


def test_allow_not_resource():
    statement = {"Effect": "Allow", "Action": "s3:GetObject", "NotResource": "arn:aws:s3:::s/*"}
    assert lint(statement) == [
        Found(
            "IAM009",
            "medium",
            "Allow with NotResource applies to every resource except arn:aws:s3:::s/*,"
            " including resources created later",
            7,
        )
    ]


def test_deny_and_narrowing_policies_use_them_freely():
    not_action = {"Effect": "Deny", "NotAction": "s3:GetObject", "Resource": "*"}
    not_resource = {"Effect": "Deny", "Action": "s3:*", "NotResource": "arn:aws:s3:::app/*"}
    assert rules(not_action, not_resource) == []
    scp = {"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}
    assert rules(scp, kind=PolicyKind.SCP) == []


def test_resource_policies_count():
    statement = {
        "Effect": "Allow",
        "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
        "NotAction": "s3:DeleteBucket",
        "Resource": "arn:aws:s3:::b/*",
    }
    assert rules(statement, kind=PolicyKind.RESOURCE) == ["IAM008"]
