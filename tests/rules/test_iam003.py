import pytest
from policy_lint import Found, allow, deny, lint, rules

from iamlint.iam.catalogue import service_actions
from iamlint.model import PolicyKind

BUCKET = "arn:aws:s3:::bucket/*"


def test_service_wildcard_names_the_service_and_its_size():
    assert lint(allow("s3:*", BUCKET)) == [
        Found("IAM003", "high", "s3:* grants all 180 actions of s3, a sensitive service", 6)
    ]


def test_every_action_of_every_service():
    assert lint(allow("*", BUCKET)) == [
        Found("IAM003", "high", "* grants every action of every AWS service", 6)
    ]


def test_a_service_that_is_not_sensitive_is_medium():
    count = len(service_actions("cloudwatch"))
    assert lint(allow("cloudwatch:*", BUCKET)) == [
        Found("IAM003", "medium", f"cloudwatch:* grants all {count} actions of cloudwatch", 6)
    ]


def test_a_wide_pattern_is_flagged_and_rated_by_what_it_reaches():
    ((found,),) = [lint(allow("s3:Get*", BUCKET))]
    assert found[:2] == ("IAM003", "high")
    assert found.message.startswith("s3:Get* grants ") and "actions of s3" in found.message
    # only list actions of a sensitive service: still wide, but medium
    ((describe,),) = [lint(allow("ec2:Describe*"))]
    assert describe[:2] == ("IAM003", "medium")


@pytest.mark.parametrize("action", ["s3:GetObject", "s3:GetObject*", "sqs:SendMessage*"])
def test_narrow_actions_do_not_fire(action):
    assert "IAM003" not in rules(allow(action, BUCKET))


def test_grants_of_trust_and_resource_policies_count_but_not_denies_or_narrowing_policies():
    principal = {"AWS": "arn:aws:iam::111122223333:root"}
    assert "IAM003" in rules(allow("s3:*", BUCKET, Principal=principal), kind=PolicyKind.RESOURCE)
    assert rules(deny("s3:*")) == []
    assert rules(allow("s3:*", BUCKET), kind=PolicyKind.BOUNDARY) == []
    assert rules(allow("s3:*", BUCKET), kind=PolicyKind.SCP) == []


def test_a_service_wildcard_on_star_is_two_causes_at_their_own_elements():
    assert [(f.rule, f.severity, f.line) for f in lint(allow("s3:*"))] == [
        ("IAM003", "high", 6),
        ("IAM004", "high", 7),
    ]


def test_a_resource_policy_delegating_to_your_own_account_is_not_a_grant():
    def key_policy(principal):
        statement = allow("kms:*", Principal={"AWS": principal})
        return rules(statement, kind=PolicyKind.RESOURCE)

    assert key_policy("arn:aws:iam::${AWS::AccountId}:root") == []
    assert key_policy("arn:aws:iam::${data.aws_caller_identity.current.account_id}:root") == []
    assert key_policy("arn:aws:iam::444455556666:root") == ["IAM003"]
    assert key_policy("arn:aws:iam::${AWS::AccountId}:role/admin") == ["IAM003"]
