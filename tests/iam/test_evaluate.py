from __future__ import annotations

import dataclasses

from iamlint.iam.arn import OWN_ACCOUNT, OWN_REGION
from iamlint.iam.evaluate import Decision, evaluate
from iamlint.model import Unresolved

from .conftest import cond, stmt

BUCKET = "arn:aws:s3:::my-bucket"
OBJECT = "arn:aws:s3:::my-bucket/key"


def test_no_statements_is_implicit_deny() -> None:
    assert evaluate([], "s3:GetObject", OBJECT) == Decision(False, False, None, False)


def test_first_matching_allow_decides() -> None:
    other = stmt("Allow", ("s3:PutObject",), ("*",), index=0)
    first = stmt("Allow", ("s3:Get*",), ("arn:aws:s3:::my-bucket/*",), index=1)
    second = stmt("Allow", ("*",), ("*",), index=2)
    assert evaluate([other, first, second], "s3:GetObject", OBJECT) == Decision(
        True, False, first, False
    )


def test_action_matching_ignores_case_resource_matching_does_not() -> None:
    allow = stmt("Allow", ("S3:getobject",), ("arn:aws:s3:::my-bucket/*",))
    assert evaluate([allow], "s3:GetObject", OBJECT).allowed
    assert not evaluate([allow], "s3:GetObject", "arn:aws:s3:::My-Bucket/key").allowed


def test_explicit_deny_overrides_allow_in_any_order() -> None:
    allow = stmt("Allow", ("*",), ("*",))
    deny = stmt("Deny", ("s3:*",), (BUCKET, "arn:aws:s3:::my-bucket/*"))
    for statements in ([allow, deny], [deny, allow]):
        assert evaluate(statements, "s3:GetObject", OBJECT) == Decision(False, True, deny, False)
    assert evaluate([allow, deny], "s3:GetObject", "arn:aws:s3:::other/key").allowed


def test_conditional_allow_applies_and_is_flagged() -> None:
    allow = stmt("Allow", ("s3:GetObject",), ("*",), conditions=(cond("Bool", "aws:x", "true"),))
    assert evaluate([allow], "s3:GetObject", OBJECT) == Decision(True, False, allow, True)


def test_conditional_deny_is_not_relied_upon() -> None:
    allow = stmt("Allow", ("s3:GetObject",), ("*",))
    deny = stmt(
        "Deny",
        ("*",),
        ("*",),
        conditions=(cond("Bool", "aws:SecureTransport", "false"),),
    )
    assert evaluate([deny, allow], "s3:GetObject", OBJECT) == Decision(True, False, allow, False)


def test_deny_deployed_only_under_a_template_condition_is_not_relied_upon() -> None:
    allow = stmt("Allow", ("s3:GetObject",), ("*",))
    deny = dataclasses.replace(stmt("Deny", ("*",), ("*",)), deployed_if=STRICT)
    assert evaluate([deny, allow], "s3:GetObject", OBJECT) == Decision(True, False, allow, False)


def test_deny_deployed_whenever_the_allow_is_cancels_it() -> None:
    allow = dataclasses.replace(stmt("Allow", ("s3:GetObject",), ("*",)), deployed_if=STRICT)
    deny = dataclasses.replace(stmt("Deny", ("*",), ("*",)), deployed_if=STRICT)
    assert evaluate([allow, deny], "s3:GetObject", OBJECT) == Decision(False, True, deny, False)
    other_branch = dataclasses.replace(deny, deployed_if=frozenset({("Strict", False)}))
    assert evaluate([allow, other_branch], "s3:GetObject", OBJECT).allowed


STRICT = frozenset({("Strict", True)})


def test_deny_with_not_resource_that_spares_part_of_a_wildcard_target_is_not_relied_upon() -> None:
    allow = stmt("Allow", ("iam:PassRole",), ("*",))
    deny = stmt("Deny", ("iam:PassRole",), not_resources=("arn:aws:iam::1:role/app-*",))
    target = "arn:aws:iam::1:role/*"
    assert evaluate([deny, allow], "iam:PassRole", target) == Decision(True, False, allow, False)
    # a NotResource elsewhere spares nothing of the target: the Deny covers it
    other = stmt("Deny", ("iam:PassRole",), not_resources=("arn:aws:iam::2:role/app-*",))
    assert evaluate([other, allow], "iam:PassRole", target).explicit_deny


def test_not_action_matches_every_other_action() -> None:
    allow = stmt("Allow", None, ("*",), not_actions=("iam:*",))
    assert evaluate([allow], "s3:GetObject", OBJECT).allowed
    assert not evaluate([allow], "iam:PassRole", "*").allowed
    deny = stmt("Deny", None, ("*",), not_actions=("s3:GetObject",))
    assert evaluate([allow, deny], "ec2:RunInstances", "*").explicit_deny
    assert evaluate([allow, deny], "s3:GetObject", OBJECT).allowed


def test_not_resource_matches_every_other_resource() -> None:
    allow = stmt("Allow", ("s3:*",), None, not_resources=(BUCKET,))
    assert evaluate([allow], "s3:GetObject", OBJECT).allowed
    assert not evaluate([allow], "s3:ListBucket", BUCKET).allowed


def test_statement_without_resource_applies_to_every_resource() -> None:
    trust = stmt("Allow", ("sts:AssumeRole",))
    assert evaluate([trust], "sts:AssumeRole", "*").allowed
    assert evaluate([trust], "sts:AssumeRole", "arn:aws:iam::123456789012:role/x").allowed


def test_statement_without_action_applies_to_nothing() -> None:
    assert not evaluate([stmt("Allow", None, ("*",))], "s3:GetObject", OBJECT).allowed


def test_unresolved_elements_never_match() -> None:
    allow = stmt("Allow", ("s3:GetObject",), (Unresolved("var.bucket_arn"),))
    assert not evaluate([allow], "s3:GetObject", OBJECT).allowed
    assert not evaluate([allow], "s3:GetObject", "*").allowed
    unknown_action = stmt("Allow", (Unresolved("var.action"), 42), ("*",))
    assert not evaluate([unknown_action], "s3:GetObject", OBJECT).allowed


def test_unresolved_not_elements_weaken_deny_but_not_allow() -> None:
    allow = stmt("Allow", None, ("*",), not_actions=(Unresolved("var.excluded"),))
    assert evaluate([allow], "s3:GetObject", OBJECT).allowed
    deny = stmt("Deny", None, ("*",), not_actions=(Unresolved("var.kept"),))
    assert evaluate([allow, deny], "s3:GetObject", OBJECT).allowed
    deny_resources = stmt("Deny", ("*",), None, not_resources=(Unresolved("var.kept"),))
    assert evaluate([allow, deny_resources], "s3:GetObject", OBJECT).allowed


def test_unknown_effects_are_ignored() -> None:
    for effect in ("allow", "Deny ", "DENY", Unresolved("var.effect"), None):
        assert not evaluate([stmt(effect, ("*",), ("*",))], "s3:GetObject", OBJECT).allowed
    allow = stmt("Allow", ("*",), ("*",))
    assert evaluate([allow, stmt("deny", ("*",), ("*",))], "s3:GetObject", OBJECT).allowed


def test_wildcard_question_is_answered_conservatively() -> None:
    allow = stmt("Allow", ("iam:PassRole",), ("arn:aws:iam::123456789012:role/app-*",))
    assert not evaluate([allow], "iam:Pass*", "arn:aws:iam::123456789012:role/app-*").allowed
    assert not evaluate([allow], "iam:PassRole", "*").allowed
    assert evaluate([allow], "iam:PassRole", "arn:aws:iam::123456789012:role/app-*").allowed


def test_the_deployments_own_region_may_be_the_one_a_not_resource_spares() -> None:
    allow = stmt("Allow", ("ec2:RunInstances",), ("*",))
    deny = stmt("Deny", ("ec2:*",), not_resources=("arn:aws:ec2:us-east-1:*:*",))
    own = f"arn:aws:ec2:{OWN_REGION}:{OWN_ACCOUNT}:instance/*"
    assert evaluate([deny, allow], "ec2:RunInstances", own).allowed
    elsewhere = "arn:aws:ec2:eu-west-1:111122223333:instance/*"
    assert evaluate([deny, allow], "ec2:RunInstances", elsewhere).explicit_deny
