import pytest
from policy_lint import Found, allow, deny, lint, rules


def test_passrole_on_every_role():
    assert lint(allow("iam:PassRole")) == [
        Found(
            "IAM016",
            "high",
            "iam:PassRole grants iam:PassRole on * without an iam:PassedToService condition:"
            " any role can be handed to any service",
            6,
        )
    ]


@pytest.mark.parametrize(
    "resource", ["arn:aws:iam::111122223333:role/*", "arn:aws:iam::*:role/*", "arn:aws:iam::*:*"]
)
@pytest.mark.parametrize("action", ["iam:Pass*", "iam:*", "iam:P?ssRole"])
def test_through_a_wildcard_on_an_all_roles_arn(action, resource):
    assert "IAM016" in rules(allow(action, resource))


def test_scoped_to_a_role_or_to_a_service_or_denied():
    assert rules(allow("iam:PassRole", "arn:aws:iam::111122223333:role/app")) == []
    pinned = {"StringEquals": {"iam:PassedToService": "lambda.amazonaws.com"}}
    assert "IAM016" not in rules(allow("iam:PassRole", Condition=pinned))
    assert rules(deny("iam:PassRole")) == []
    assert "IAM016" not in rules(allow("iam:GetRole"))
