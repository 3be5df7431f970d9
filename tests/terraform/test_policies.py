"""Terraform policies read into the model: each element at the token it is written at."""

from __future__ import annotations

from iamlint.model import PolicyKind, PrincipalKind, PrincipalType, Unresolved


def _where(element):
    return element.text, element.location.line, element.location.column


def test_admin_statement_built_from_local_variable_and_dynamic_block(module):
    inventory = module(
        {
            "main.tf": """
            variable "resources" {
              default = ["*"]
            }
            locals {
              admin = { sid = "Admin", actions = ["*"] }
            }
            data "aws_iam_policy_document" "admin" {
              dynamic "statement" {
                for_each = [local.admin]
                content {
                  sid       = statement.value.sid
                  actions   = statement.value.actions
                  resources = var.resources
                }
              }
            }
            resource "aws_iam_policy" "admin" {
              policy = data.aws_iam_policy_document.admin.json
            }
            """
        }
    )
    (policy,) = inventory.policies
    assert policy.kind is PolicyKind.MANAGED
    assert policy.resource == "data.aws_iam_policy_document.admin"
    assert policy.affected == ("aws_iam_policy.admin",)
    (statement,) = policy.statements
    assert statement.sid.text == "Admin"
    assert statement.is_allow
    assert [_where(a) for a in statement.actions] == [("*", 5, 39)]
    assert [_where(r) for r in statement.resources] == [("*", 2, 14)]
    assert policy.problems == ()


def test_partially_known_resource_is_unresolved_not_a_wildcard(module):
    inventory = module(
        {
            "main.tf": """
            variable "bucket" {}
            resource "aws_iam_role_policy" "read" {
              role = "ci"
              policy = jsonencode({
                Version = "2012-10-17"
                Statement = [{
                  Effect   = "Allow"
                  Action   = ["s3:GetObject"]
                  Resource = "arn:aws:s3:::${var.bucket}/*"
                }]
              })
            }
            """
        }
    )
    (policy,) = inventory.policies
    (resource,) = policy.statements[0].resources
    assert resource.value == Unresolved("arn:aws:s3:::${var.bucket}/*")
    assert resource.location.line == 9
    assert _where(policy.statements[0].actions[0]) == ("s3:GetObject", 8, 19)


def test_json_heredoc_positions_map_to_file_lines(module):
    inventory = module(
        {
            "main.tf": """
            resource "aws_iam_user_policy" "u" {
              user   = aws_iam_user.u.name
              policy = <<-EOT
                {
                  "Version": "2012-10-17",
                  "Statement": [
                    {"Effect": "Allow", "Action": "iam:*", "Resource": "*"},
                    {"Effect": "Allow", "Action": ${jsonencode(["s3:Get"])}, "Resource": ${var.r}}
                  ]
                }
                EOT
            }
            resource "aws_iam_user" "u" {
              name = "deploy"
            }
            """
        }
    )
    (policy,) = inventory.policies
    first, second = policy.statements
    assert _where(first.actions[0]) == ("iam:*", 7, 39)
    assert second.actions[0].text == "s3:Get"
    assert second.actions[0].location.line == 8
    assert second.resources[0].value == Unresolved("var.r")
    (user,) = inventory.principals
    assert user.kind is PrincipalKind.USER
    assert [p.resource for p in user.policies] == ["aws_iam_user_policy.u"]


def test_file_of_a_json_policy_is_read_with_its_own_positions(module):
    inventory = module(
        {
            "policies/admin.json": """
            {
              "Version": "2012-10-17",
              "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]
            }
            """,
            "main.tf": """
            resource "aws_iam_policy" "p" {
              policy = file("${path.module}/policies/admin.json")
            }
            resource "aws_iam_policy" "outside" {
              policy = file("../../etc/passwd")
            }
            """,
        }
    )
    (policy,) = inventory.policies
    action = policy.statements[0].actions[0]
    assert action.location.file.endswith("policies/admin.json")
    assert (action.text, action.location.line, action.location.column) == ("*", 3, 47)
    assert [note.reason for note in inventory.unresolved] == [
        "the policy document of aws_iam_policy.outside is not known statically"
    ]


def test_one_policy_attached_to_several_roles_is_one_policy(module):
    inventory = module(
        {
            "main.tf": """
            locals {
              a = "AdministratorAccess"
            }
            resource "aws_iam_role" "a" {
              name = "a"
              assume_role_policy = data.aws_iam_policy_document.trust.json
              managed_policy_arns = [aws_iam_policy.shared.arn]
            }
            resource "aws_iam_role" "b" {
              name = "b"
              assume_role_policy = data.aws_iam_policy_document.trust.json
            }
            data "aws_iam_policy_document" "trust" {
              statement {
                actions = ["sts:AssumeRole"]
                principals {
                  type        = "*"
                  identifiers = ["*"]
                }
              }
            }
            resource "aws_iam_policy" "shared" {
              policy = jsonencode({
                Version   = "2012-10-17"
                Statement = [{ Effect = "Allow", Action = "s3:*", Resource = "*" }]
              })
            }
            resource "aws_iam_role_policy_attachment" "b" {
              role       = "b"
              policy_arn = aws_iam_policy.shared.arn
            }
            resource "aws_iam_role_policy_attachment" "admin" {
              role       = aws_iam_role.b.name
              policy_arn = "arn:${data.aws_partition.p.partition}:iam::aws:policy/${local.a}"
            }
            """
        }
    )
    by_resource = {(p.resource, p.kind): p for p in inventory.policies}
    assert len(inventory.policies) == 2
    trust = by_resource[("data.aws_iam_policy_document.trust", PolicyKind.TRUST)]
    assert trust.affected == ("aws_iam_role.a", "aws_iam_role.b")
    principal = trust.statements[0].principals[0]
    assert principal.type is PrincipalType.ANY
    assert principal.value.location.line == 18
    shared = by_resource[("aws_iam_policy.shared", PolicyKind.MANAGED)]
    assert shared.affected == ("aws_iam_role.a", "aws_iam_role.b")
    roles = {p.name: p for p in inventory.principals}
    assert [p.resource for p in roles["aws_iam_role.a"].policies] == ["aws_iam_policy.shared"]
    assert [p.resource for p in roles["aws_iam_role.b"].policies] == ["aws_iam_policy.shared"]
    (arn,) = roles["aws_iam_role.b"].managed_policy_arns
    assert arn.value == Unresolved(
        "arn:${data.aws_partition.p.partition}:iam::aws:policy/AdministratorAccess"
    )
    assert arn.location.line == 34


def test_conditional_gives_both_branches_and_override_replaces_by_sid(module):
    inventory = module(
        {
            "main.tf": """
            variable "strict" {}
            data "aws_iam_policy_document" "base" {
              statement {
                sid       = "Read"
                actions   = var.strict ? ["s3:GetObject"] : ["s3:*"]
                resources = ["*"]
              }
            }
            data "aws_iam_policy_document" "final" {
              source_policy_documents = [data.aws_iam_policy_document.base.json]
              override_policy_documents = [jsonencode({
                Statement = [{ Sid = "Read", Effect = "Deny", Action = "s3:*", Resource = "*" }]
              })]
              statement {
                actions   = ["sqs:SendMessage"]
                resources = ["*"]
              }
            }
            """
        }
    )
    by_resource = {p.resource: p for p in inventory.policies}
    base = by_resource["data.aws_iam_policy_document.base"]
    assert [_where(a) for a in base.statements[0].actions] == [
        ("s3:GetObject", 5, 31),
        ("s3:*", 5, 50),
    ]
    final = by_resource["data.aws_iam_policy_document.final"]
    assert [(s.effect.text, s.actions[0].text) for s in final.statements] == [
        ("Deny", "s3:*"),
        ("Allow", "sqs:SendMessage"),
    ]


def test_lambda_permission_is_a_resource_policy_statement(module):
    inventory = module(
        {
            "main.tf": """
            resource "aws_lambda_permission" "s3" {
              function_name = aws_lambda_function.f.function_name
              action        = "lambda:InvokeFunction"
              principal     = "s3.amazonaws.com"
              source_arn    = "arn:aws:s3:::bucket"
            }
            """
        }
    )
    (policy,) = inventory.policies
    assert policy.kind is PolicyKind.RESOURCE
    assert policy.affected == ("aws_lambda_function.f",)
    (statement,) = policy.statements
    assert [(p.type, p.value.text) for p in statement.principals] == [
        (PrincipalType.SERVICE, "s3.amazonaws.com")
    ]
    (condition,) = statement.conditions
    assert (condition.operator.text, condition.key.text, condition.values[0].location.line) == (
        "ArnLike",
        "aws:SourceArn",
        5,
    )


def test_access_key_secret_traced_into_lambda_environment_through_a_local(module):
    inventory = module(
        {
            "main.tf": """
            resource "aws_iam_access_key" "k" {
              user = aws_iam_user.u.name
            }
            resource "aws_iam_user" "u" {
              name = "u"
            }
            locals {
              secret = aws_iam_access_key.k.secret
            }
            resource "aws_lambda_function" "f" {
              environment {
                variables = {
                  SECRET = local.secret
                }
              }
            }
            """
        }
    )
    (key,) = inventory.access_keys
    assert (key.name, key.user) == ("aws_iam_access_key.k", "aws_iam_user.u")
    (compute,) = inventory.compute
    (value,) = compute.values
    assert value.path == "environment.variables.SECRET"
    assert value.location.line == 13
    assert [(r.target, r.attribute, r.via) for r in value.references] == [
        ("aws_iam_access_key.k", "secret", ("local.secret",))
    ]
