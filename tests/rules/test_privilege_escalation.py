import json
import time

import pytest
from iamlint.rules.iam015_privilege_escalation import COMBINATIONS
from policy_lint import allow, deny
from scan_text import scan_findings, scan_text

from iamlint.iam.catalogue import lookup


def escalations(tmp_path, *statements):
    """(line, message) of each IAM015 finding on one raw policy file; the file's path
    reads `{path}` in the message."""
    document = {"Version": "2012-10-17", "Statement": list(statements)}
    found = scan_text(tmp_path, "p.json", json.dumps(document, indent=2), "IAM015")
    path = str(tmp_path / "p.json")
    return [(line, message.replace(path, "{path}")) for _, message, line in found]


def template_findings(tmp_path, text):
    """(line, affected, message) of each IAM015 finding on one CloudFormation template."""
    found = scan_findings(tmp_path, "t.yaml", text, "IAM015")
    path = str(tmp_path / "t.yaml")
    return [(f.location.line, f.affected, f.message.replace(path, "{path}")) for f in found]


def test_every_action_of_the_table_is_in_the_catalogue_with_the_resource_kind_it_accepts():
    for combination in COMBINATIONS:
        for part in combination.parts:
            for permission in part:
                action = lookup(permission.action)
                assert action is not None, permission.action
                assert action.full_name == permission.action
                assert action.accepts_resource_level == (permission.kind is not None)


def test_a_combination_names_each_part_where_it_is_granted(tmp_path):
    assert escalations(
        tmp_path,
        allow(["iam:PassRole", "lambda:CreateFunction"]),
        allow("lambda:InvokeFunction", "arn:aws:lambda:us-east-1:123456789012:function:*"),
    ) == [
        (
            7,
            "iam:PassRole ({path}:7) + lambda:CreateFunction ({path}:8) + "
            "lambda:InvokeFunction ({path}:14) lets whoever holds this policy create and run "
            "a function with any role",
        )
    ]


@pytest.mark.parametrize(
    "resource",
    ["*", "arn:aws:iam::123456789012:role/*", "arn:aws:iam::*:*", "arn:*:iam::*:role*"],
)
def test_every_role_by_star_or_by_pattern(tmp_path, resource):
    statements = (allow("iam:PassRole", resource), allow("ec2:RunInstances"))
    assert [line for line, _ in escalations(tmp_path, *statements)] == [6]


@pytest.mark.parametrize(
    "resource",
    [
        "arn:aws:iam::123456789012:role/app",
        "arn:aws:iam::123456789012:role/app-*",
        "arn:aws:iam::123456789012:user/*",
    ],
)
def test_some_roles_only(tmp_path, resource):
    assert escalations(tmp_path, allow("iam:PassRole", resource), allow("ec2:RunInstances")) == []


def test_an_action_that_only_accepts_star_is_not_granted_by_an_arn(tmp_path):
    function = "arn:aws:lambda:*:*:function:*"
    statements = (
        allow(["iam:PassRole", "lambda:CreateFunction"]),
        allow("lambda:CreateEventSourceMapping", function),
    )
    assert escalations(tmp_path, *statements) == []


def test_unconditioned_deny_subtracts_conditioned_deny_does_not(tmp_path):
    mfa = {"Bool": {"aws:MultiFactorAuthPresent": "false"}}
    assert escalations(tmp_path, allow("iam:CreateAccessKey"), deny("iam:Create*")) == []
    assert escalations(tmp_path, allow("iam:*"), deny("iam:*", "arn:aws:iam::*:*")) == []
    assert [
        line
        for line, _ in escalations(
            tmp_path, allow("iam:CreateAccessKey"), deny("iam:CreateAccessKey", Condition=mfa)
        )
    ] == [6]


def test_a_deny_on_some_users_leaves_the_others(tmp_path):
    statements = (
        allow("iam:CreateAccessKey"),
        deny("iam:CreateAccessKey", "arn:aws:iam::123456789012:user/admin"),
    )
    assert [line for line, _ in escalations(tmp_path, *statements)] == [6]


def test_a_conditional_allow_counts_and_the_message_says_so(tmp_path):
    tagged = {"StringEquals": {"aws:ResourceTag/team": "ci"}}
    assert escalations(tmp_path, allow("lambda:UpdateFunctionCode", Condition=tagged)) == [
        (
            6,
            "lambda:UpdateFunctionCode ({path}:6) lets whoever holds this policy replace the "
            "code of any function and run it with that function's role (conditions on "
            "aws:ResourceTag/team assumed to hold)",
        )
    ]


def test_not_action_grants_the_parts_it_does_not_exclude(tmp_path):
    statement = {"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}
    assert escalations(tmp_path, statement) == [
        (
            6,
            "lambda:UpdateFunctionCode ({path}:6) lets whoever holds this policy replace the "
            "code of any function and run it with that function's role; the same grant also "
            "allows glue:UpdateDevEndpoint",
        )
    ]


def test_one_wildcard_element_is_one_finding_for_all_it_opens(tmp_path):
    found = escalations(tmp_path, allow("iam:*"))
    assert [line for line, _ in found] == [6]
    assert found[0][1] == (
        "iam:CreatePolicyVersion ({path}:6) lets whoever holds this policy rewrite any "
        "customer-managed policy, its own included, as a new default version; the same grant "
        "also allows iam:SetDefaultPolicyVersion, iam:AttachUserPolicy, iam:AttachGroupPolicy, "
        "iam:AttachRolePolicy, iam:PutUserPolicy and 6 more"
    )


def test_full_admin_is_left_to_iam002(tmp_path):
    assert escalations(tmp_path, allow("*")) == []
    assert escalations(tmp_path, allow("*"), allow("iam:PassRole")) == []
    assert escalations(tmp_path, allow("iam:PassRole"), allow("*")) == []


def test_combinations_through_the_same_elements_are_one_finding(tmp_path):
    assert escalations(tmp_path, allow("iam:PassRole"), allow("ec2:*")) == [
        (
            6,
            "iam:PassRole ({path}:6) + ec2:RunInstances ({path}:11) lets whoever holds this "
            "policy launch an instance with any role",
        )
    ]
    assert escalations(tmp_path, allow("iam:PassRole"), allow("*:Create*")) == [
        (
            6,
            "iam:PassRole ({path}:6) + lambda:CreateFunction ({path}:11) + "
            "lambda:CreateEventSourceMapping ({path}:11) lets whoever holds this policy create "
            "and run a function with any role; the same grants also allow iam:PassRole + "
            "cloudformation:CreateStack, iam:PassRole + glue:CreateDevEndpoint, iam:PassRole + "
            "datapipeline:CreatePipeline, iam:PassRole + sagemaker:CreateNotebookInstance, "
            "iam:PassRole + codebuild:CreateProject",
        ),
        (
            11,
            "iam:CreatePolicyVersion ({path}:11) lets whoever holds this policy rewrite any "
            "customer-managed policy, its own included, as a new default version; the same "
            "grant also allows iam:CreateAccessKey, iam:CreateLoginProfile",
        ),
    ]


ROLE = """
  {name}:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {{Effect: Allow, Principal: {{Service: ec2.amazonaws.com}}, Action: sts:AssumeRole}}
{extra}"""


def test_a_policy_shared_by_principals_with_the_same_set_is_one_finding(tmp_path):
    text = (
        "Resources:"
        + ROLE.format(name="A", extra="")
        + ROLE.format(name="B", extra="")
        + """
  Shared:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      Roles: [!Ref A, !Ref B]
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Action: iam:AttachRolePolicy, Resource: "*"}
"""
    )
    assert template_findings(tmp_path, text) == [
        (
            25,
            ("A", "B"),
            "iam:AttachRolePolicy ({path}:25) lets A, B attach any managed policy, "
            "AdministratorAccess included, to any role",
        )
    ]


def test_group_policy_reaches_its_users(tmp_path):
    text = """Resources:
  Ops:
    Type: AWS::IAM::Group
    Properties:
      Policies:
        - PolicyName: p
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - {Effect: Allow, Action: iam:AddUserToGroup, Resource: "*"}
  Dev:
    Type: AWS::IAM::User
    Properties:
      Groups: [!Ref Ops]
"""
    assert [(line, affected) for line, affected, _ in template_findings(tmp_path, text)] == [
        (10, ("Ops", "Dev"))
    ]


def test_a_boundary_grants_nothing_and_caps_what_the_role_is_granted(tmp_path):
    boundary = """
  Boundary:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {{Effect: Allow, Action: {allowed}, Resource: "*"}}
"""
    role = ROLE.format(
        name="R",
        extra="""      PermissionsBoundary: !Ref Boundary
      Policies:
        - PolicyName: p
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - {Effect: Allow, Action: iam:PutRolePolicy, Resource: "*"}
""",
    )
    capped = "Resources:" + role + boundary.format(allowed="s3:*")
    assert template_findings(tmp_path, capped) == []
    within = "Resources:" + role + boundary.format(allowed="iam:*")
    assert [line for line, _, _ in template_findings(tmp_path, within)] == [15]
    alone = "Resources:" + ROLE.format(name="R", extra="      PermissionsBoundary: !Ref Boundary\n")
    assert template_findings(tmp_path, alone + boundary.format(allowed="iam:*")) == []


def test_many_statements_stay_fast(tmp_path):
    statements = [allow(f"s3:Get{i}*", f"arn:aws:s3:::bucket-{i}/*") for i in range(300)]
    statements += [allow("*", "arn:aws:s3:::logs/*"), allow("iam:PassRole")]
    start = time.perf_counter()
    assert escalations(tmp_path, *statements) == []
    assert time.perf_counter() - start < 2.0
