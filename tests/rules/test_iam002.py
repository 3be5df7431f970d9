from policy_lint import Found, allow, deny, lint, rules

from iamlint.model import PolicyKind


def test_star_on_star_is_one_critical_finding_at_the_action():
    assert lint(allow("*")) == [
        Found(
            "IAM002",
            "critical",
            "Allows every action (*) on every resource: full administrator access"
            " (it has no Condition)",
            6,
        )
    ]


def test_an_unrelated_condition_is_named_and_does_not_help():
    ((found,),) = [lint(allow("*:*", Condition={"Bool": {"aws:SecureTransport": "true"}}))]
    assert found.rule == "IAM002"
    assert found.message.endswith(
        "(the only condition, aws:SecureTransport, does not restrict who can call)"
    )


def test_a_condition_restricting_the_caller_leaves_the_narrower_rules():
    org = {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}
    assert rules(allow("*", Condition=org)) == ["IAM003", "IAM016", "IAM004"]


def test_not_fired_by_deny_scoped_resource_or_narrowing_policies():
    assert rules(deny("*")) == []
    assert "IAM002" not in rules(allow("*", "arn:aws:s3:::bucket/*"))
    assert rules(allow("*"), kind=PolicyKind.BOUNDARY) == []
    assert rules(allow("*"), kind=PolicyKind.SCP) == []
