import pytest
from policy_lint import Found, allow, deny, lint, rules

from iamlint.engine import run_rules
from iamlint.model import Element, Inventory, Location, Policy, PolicyKind, Statement, Unresolved
from iamlint.registry import find_rule


@pytest.mark.parametrize(
    ("action", "severity"),
    [
        ("iam:PutRolePolicy", "high"),
        ("s3:GetObject", "medium"),
        ("s3:PutObject", "medium"),
        ("s3:ListBucket", "low"),
        ("iam:TagRole", "low"),
    ],
)
def test_severity_follows_the_access_level(action, severity):
    assert lint(allow(action)) == [
        Found(
            "IAM004",
            severity,
            f"Resource * leaves unscoped actions that accept specific resource ARNs: {action}",
            7,
        )
    ]


def test_a_service_wide_arn_is_unscoped_too():
    ((found,),) = [lint(allow("s3:GetObject", "arn:aws:s3:::*"))]
    assert found.rule == "IAM004"
    assert found.message.startswith("Resource arn:aws:s3:::* leaves")


def test_the_message_lists_five_actions_then_counts_the_rest():
    actions = [f"s3:{name}" for name in ("GetObject", "PutObject", "DeleteObject")]
    actions += ["s3:GetBucketPolicy", "s3:PutBucketTagging", "s3:ListBucket", "s3:GetObjectAcl"]
    ((found,),) = [lint(allow(actions))]
    assert found.message.endswith(" and 2 more")


def test_every_action_is_high_without_expanding():
    org = {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}
    found = [f for f in lint(allow("*", Condition=org)) if f.rule == "IAM004"]
    assert [f[:2] for f in found] == [("IAM004", "high")]
    assert found[0].message.endswith(": every action")


@pytest.mark.parametrize(
    "actions",
    [["s3:ListAllMyBuckets", "sts:GetCallerIdentity"], "ec2:Describe*", "s3:ListAllMyBuckets"],
)
def test_actions_that_only_accept_star_never_fire(actions):
    assert rules(allow(actions)) == ([] if actions != "ec2:Describe*" else ["IAM003"])


def test_scoped_resources_denies_and_other_kinds_do_not_fire():
    assert rules(allow("s3:GetObject", "arn:aws:s3:::bucket/*")) == []
    assert rules(deny("s3:GetObject")) == []
    assert rules(allow("s3:GetObject"), kind=PolicyKind.BOUNDARY) == []


def test_passrole_is_left_to_iam016_unless_its_service_is_pinned():
    assert rules(allow("iam:PassRole")) == ["IAM016"]
    pinned = {"StringEquals": {"iam:PassedToService": "lambda.amazonaws.com"}}
    assert rules(allow("iam:PassRole", Condition=pinned)) == ["IAM004"]


def test_an_unresolved_resource_is_never_star():
    here = Location("main.tf", 3, 1, 3, 10)
    statement = Statement(
        location=here,
        index=0,
        effect=Element("Allow", here),
        actions=(Element("s3:GetObject", here),),
        resources=(Element(Unresolved("var.bucket_arn"), here),),
    )
    policy = Policy(PolicyKind.IDENTITY, here, (statement,), version=Element("2012-10-17", here))
    findings, _ = run_rules(Inventory(policies=(policy,)), [find_rule("IAM004")])
    assert findings == []
