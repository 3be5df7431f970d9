from policy_lint import Found, allow, deny, lint, rules

from iamlint.model import PolicyKind

BUCKET = "arn:aws:s3:::b/*"


def test_an_allow_cancelled_by_a_deny_is_dead_code():
    assert lint(allow("iam:*"), deny("iam:*", Sid="NoIam")) == [
        Found(
            "IAM022",
            "info",
            "this Allow is cancelled by the Deny at line 9 (statement 'NoIam'):"
            " an explicit Deny overrides every Allow",
            6,
        )
    ]


def test_a_duplicate_is_reported_at_the_second_copy():
    first = allow("s3:GetObject", BUCKET, Sid="Read")
    again = {"Resource": [BUCKET], "Action": ["s3:GetObject"], "Effect": "Allow"}
    assert lint(first, again) == [
        Found("IAM022", "info", "this statement duplicates the one at line 4", 10)
    ]


def test_partial_or_conditioned_denies_leave_the_allow_alive():
    assert rules(allow(["s3:GetObject", "s3:PutObject"], BUCKET), deny("s3:PutObject")) == []
    insecure = {"Bool": {"aws:SecureTransport": "false"}}
    assert rules(allow("s3:GetObject", BUCKET), deny("s3:*", Condition=insecure)) == []


def test_a_deny_for_another_principal_cancels_nothing():
    reader = {"AWS": "arn:aws:iam::111122223333:role/reader"}
    other = {"AWS": "arn:aws:iam::111122223333:role/other"}
    granted = allow("s3:GetObject", BUCKET, Principal=reader)
    assert rules(granted, deny("s3:*", Principal=other), kind=PolicyKind.RESOURCE) == []
    denied = rules(granted, deny("s3:*", Principal="*"), kind=PolicyKind.RESOURCE)
    assert denied == ["IAM022"]
