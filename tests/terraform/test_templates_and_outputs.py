"""Conditionals in single-value positions, `%{ }` template directives, and
references carried through local module outputs."""

from __future__ import annotations

from iamlint.model import Reference, Unresolved

_BUCKET_STATEMENT = (
    '{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::${b}/*"}'
    "%{ if i < length(var.buckets) - 1 },%{ endif }"
)
_QUOTED_POLICY = (
    '{\\"Version\\": \\"2012-10-17\\", \\"Statement\\": [%{ for n in var.names }'
    '{\\"Sid\\": \\"${n}\\", \\"Effect\\": \\"Allow\\", '
    '\\"Action\\": \\"s3:*\\", \\"Resource\\": \\"*\\"}'
    "%{ endfor }]}"
)


def test_conditional_effect_with_different_branches_is_unresolved(module):
    inventory = module(
        {
            "main.tf": """
            variable "strict" {}
            resource "aws_iam_policy" "p" {
              policy = jsonencode({
                Version   = var.strict ? "2012-10-17" : "2012-10-17"
                Statement = [{
                  Sid      = var.strict ? "A" : "B"
                  Effect   = var.strict ? "Allow" : "Deny"
                  Action   = var.strict ? "s3:GetObject" : "s3:*"
                  Resource = "*"
                }]
              })
            }
            """
        }
    )
    (policy,) = inventory.policies
    assert policy.problems == ()
    assert policy.version.value == "2012-10-17"
    (statement,) = policy.statements
    assert statement.effect.value == Unresolved(
        'var.strict ? "Allow" : "Deny"', "conditional on an unknown value"
    )
    assert (statement.effect.location.line, statement.effect.location.column) == (7, 18)
    assert statement.sid.value == Unresolved(
        'var.strict ? "A" : "B"', "conditional on an unknown value"
    )
    assert [a.text for a in statement.actions] == ["s3:GetObject", "s3:*"]


def test_template_for_and_if_directives_over_literal_values(module):
    inventory = module(
        {
            "main.tf": """
            variable "buckets" {
              default = ["a", "b"]
            }
            resource "aws_iam_policy" "p" {
              policy = <<-EOT
                {
                  "Version": "2012-10-17",
                  "Statement": [
                    %{~ for i, b in var.buckets ~}
                    STATEMENT
                    %{~ endfor ~}
                  ]
                }
                EOT
            }
            """.replace("STATEMENT", _BUCKET_STATEMENT)
        }
    )
    (policy,) = inventory.policies
    assert [
        (r.text, r.location.line, r.location.column)
        for statement in policy.statements
        for r in statement.resources
    ] == [("arn:aws:s3:::a/*", 10, 67), ("arn:aws:s3:::b/*", 10, 67)]


def test_template_directive_over_an_unknown_value_is_unresolved(module):
    inventory = module(
        {
            "main.tf": """
            variable "admin" {}
            variable "names" {
              default = ["x"]
            }
            resource "aws_iam_policy" "p" {
              policy = "%{ if var.admin }{}%{ endif }"
            }
            resource "aws_iam_policy" "q" {
              policy = "QUOTED"
            }
            """.replace("QUOTED", _QUOTED_POLICY)
        }
    )
    (policy,) = inventory.policies
    assert policy.resource == "aws_iam_policy.q"
    assert [s.sid.text for s in policy.statements] == ["x"]
    assert [(n.text, n.reason) for n in inventory.unresolved] == [
        (
            "%{ if var.admin }{}%{ endif }",
            "the policy document of aws_iam_policy.p is not known statically",
        )
    ]


def test_module_output_carries_the_references_it_is_built_from(module):
    inventory = module(
        {
            "main.tf": """
            module "keys" {
              source = "./keys"
            }
            resource "aws_lambda_function" "f" {
              environment {
                variables = {
                  SECRET = module.keys.secret
                }
              }
            }
            """,
            "keys/main.tf": """
            resource "aws_iam_access_key" "k" {
              user = "deploy"
            }
            output "secret" {
              value = aws_iam_access_key.k.secret
            }
            """,
        }
    )
    lambda_function = next(c for c in inventory.compute if c.name == "aws_lambda_function.f")
    (value,) = lambda_function.values
    assert value.references == (
        Reference("module.keys.aws_iam_access_key.k", "secret", False, ("module.keys.secret",)),
        Reference("module.keys", "secret"),
    )
    assert [key.name for key in inventory.access_keys] == ["module.keys.aws_iam_access_key.k"]
