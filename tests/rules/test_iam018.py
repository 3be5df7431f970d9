from policy_lint import Found, allow, deny, lint, rules

BUCKET = "arn:aws:s3:::bucket/*"


def test_a_misspelt_action_names_the_real_one():
    assert lint(allow("s3:GetObjcet", BUCKET)) == [
        Found("IAM018", "medium", "s3:GetObjcet matches no action; did you mean s3:GetObject?", 6)
    ]


def test_an_unknown_service_prefix():
    ((found,),) = [lint(allow("s4:GetObject", BUCKET))]
    assert found.message == (
        "s4:GetObject matches no action (unknown service prefix 's4'); did you mean s3:GetObject?"
    )


def test_a_misspelt_deny_is_reported_too():
    assert rules(deny("s3:DeleteBuckett")) == ["IAM018"]


def test_never_suggests_widening_a_concrete_action_to_a_service_wildcard():
    ((found,),) = [lint(allow("some:action"))]
    assert found.message == (
        "some:action matches no action (unknown service prefix 'some'), so this statement"
        " grants nothing for it"
    )


def test_real_actions_any_case_and_matching_patterns_do_not_fire():
    actions = ["S3:getobject", "s3:Get*", "*", "*:*"]
    assert "IAM018" not in rules(allow(actions, BUCKET))


def test_malformed_syntax_is_left_to_iam019():
    assert rules(allow("s3 GetObject", BUCKET)) == ["IAM019"]


def test_a_notaction_that_matches_nothing_excludes_nothing():
    statement = {"Effect": "Deny", "NotAction": "s3:Frobnicate", "Resource": "*"}
    ((found,),) = [lint(statement)]
    assert found.message == "s3:Frobnicate matches no action, so this NotAction excludes nothing"
