"""Local modules, variables from tfvars and --var-file, and broken files."""

from __future__ import annotations

from iamlint.model import PolicyKind


def test_local_module_gets_the_callers_arguments(module):
    inventory = module(
        {
            "main.tf": """
            module "deploy" {
              source  = "./modules/policy"
              actions = ["*"]
            }
            """,
            "modules/policy/main.tf": """
            variable "actions" {
              type = list(string)
            }
            resource "aws_iam_policy" "this" {
              policy = jsonencode({
                Version   = "2012-10-17"
                Statement = [{ Effect = "Allow", Action = var.actions, Resource = "*" }]
              })
            }
            """,
        }
    )
    (policy,) = inventory.policies
    assert policy.kind is PolicyKind.MANAGED
    assert policy.resource == "module.deploy.aws_iam_policy.this"
    action = policy.statements[0].actions[0]
    assert (action.text, action.location.file, action.location.line) == ("*", "main.tf", 3)
    resource = policy.statements[0].resources[0]
    assert resource.location.file.endswith("modules/policy/main.tf")
    assert resource.location.line == 7


def test_registry_module_is_noted_not_fetched(module):
    inventory = module(
        {
            "main.tf": """
            module "vpc" {
              source = "terraform-aws-modules/vpc/aws"
            }
            """
        }
    )
    assert [(n.text, n.reason) for n in inventory.unresolved] == [
        ("module.vpc", "module source is not a local path")
    ]


def test_tfvars_and_var_files_override_defaults(module):
    inventory = module(
        {
            "main.tf": """
            variable "action" {
              default = "s3:GetObject"
            }
            variable "resource" {
              default = "arn:aws:s3:::b/*"
            }
            resource "aws_iam_group_policy" "g" {
              group  = "g"
              policy = jsonencode({
                Statement = [{ Effect = "Allow", Action = var.action, Resource = var.resource }]
              })
            }
            """,
            "terraform.tfvars": 'action = "s3:*"\n',
            "prod.tfvars": 'resource = "*"\n',
        },
        var_files=("prod.tfvars",),
    )
    (statement,) = inventory.policies[0].statements
    assert [a.text for a in statement.actions] == ["s3:*"]
    assert [r.text for r in statement.resources] == ["*"]
    assert statement.actions[0].location.file.endswith("terraform.tfvars")


def test_a_broken_file_is_an_error_and_the_other_files_are_read(module):
    inventory = module(
        {
            "broken.tf": """
            resource "aws_iam_user" "u" {
              name = "u"

            resource "aws_iam_group" "g" {
            """,
            "main.tf": """
            resource "aws_iam_user" "ok" {
              name = "ok"
            }
            """,
        }
    )
    assert [(e.file, e.line) for e in inventory.errors] == [("broken.tf", 5)]
    assert [p.name for p in inventory.principals] == ["aws_iam_user.ok"]


def test_heredoc_end_marker_with_trailing_blanks_does_not_swallow_blocks(module):
    inventory = module(
        {
            "main.tf": 'resource "aws_sqs_queue" "a" {\n'
            "  policy = <<POLICY\n"
            '{"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "sqs:*"}]}\n'
            "POLICY   \n"
            "}\n"
            'resource "aws_sqs_queue" "b" {\n'
            '  policy = "{}"\n'
            "}\n"
        }
    )
    assert inventory.errors == ()
    assert [p.resource for p in inventory.policies] == ["aws_sqs_queue.a", "aws_sqs_queue.b"]
