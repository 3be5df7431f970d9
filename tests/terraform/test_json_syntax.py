"""Terraform JSON syntax (`.tf.json`): read with the `.tf` files of its directory,
positions from the JSON tokens, `${}` templates evaluated like HCL strings."""

from __future__ import annotations

from pathlib import Path

from iamlint.discover import discover, scan_units
from iamlint.model import PrincipalType, Reference, Unresolved
from iamlint.sources.terraform import called_directories

MAIN = """
{
  "variable": {"bucket": {}, "actions": {"default": ["s3:GetObject"]}},
  "locals": {"admin": "*"},
  "data": {
    "aws_iam_policy_document": {
      "d": {
        "statement": [{
          "actions": ["${local.admin}"],
          "resources": ["arn:aws:s3:::${var.bucket}/*"],
          "principals": {"type": "AWS", "identifiers": ["*"]}
        }],
        "dynamic": {
          "statement": {
            "for_each": ["x"],
            "content": {"sid": "${statement.value}", "actions": "${var.actions}"}
          }
        }
      }
    }
  },
  "resource": {
    "aws_iam_policy": {"p": {"policy": "${data.aws_iam_policy_document.d.json}"}},
    "aws_iam_role": {
      "r": {
        "name": "r",
        "assume_role_policy":
          "{\\"Statement\\": [{\\"Effect\\": \\"Allow\\", \\"Principal\\": \\"*\\"}]}"
      }
    },
    "aws_lambda_function": {
      "f": {"environment": {"variables": {"S": "${aws_iam_access_key.k.secret}"}}}
    }
  }
}
"""


def test_tf_json_is_read_with_the_tf_files_of_its_module(module):
    inventory = module(
        {
            "main.tf.json": MAIN,
            "keys.tf": """
            resource "aws_iam_access_key" "k" {
              user = "deploy"
            }
            """,
        }
    )
    assert inventory.errors == ()
    policies = {p.resource: p for p in inventory.policies}
    document = policies["data.aws_iam_policy_document.d"]
    assert document.affected == ("aws_iam_policy.p",)
    first, second = document.statements
    assert [(a.text, a.location.line, a.location.column) for a in first.actions] == [("*", 3, 23)]
    (resource,) = first.resources
    assert resource.value == Unresolved("arn:aws:s3:::${var.bucket}/*")
    assert (resource.location.line, resource.location.column) == (9, 25)
    assert [(p.type, p.value.location.line) for p in first.principals] == [(PrincipalType.AWS, 10)]
    assert (second.sid.text, [a.text for a in second.actions]) == ("x", ["s3:GetObject"])
    # a JSON document inside a JSON string keeps the position of each of its tokens
    (trust,) = policies["aws_iam_role.r"].statements
    assert [(p.value.location.line, p.value.location.column) for p in trust.principals] == [
        (27, 68)
    ]
    (compute,) = inventory.compute
    assert compute.values[0].references == (Reference("aws_iam_access_key.k", "secret"),)


def test_invalid_tf_json_is_a_parse_error_at_its_line(module):
    inventory = module({"main.tf.json": '{\n  "resource": {\n    "x": \n}\n'})
    assert [(e.file, e.line) for e in inventory.errors] == [("main.tf.json", 4)]


def test_tf_json_files_are_grouped_with_the_tf_files_of_their_directory(tmp_path: Path):
    (tmp_path / "main.tf").write_text("")
    (tmp_path / "extra.tf.json").write_text("{}")
    (tmp_path / "policy.json").write_text("{}")
    units = scan_units(discover([str(tmp_path)]), [str(tmp_path)])
    assert [(unit.terraform, [Path(c.path).name for c in unit.candidates]) for unit in units] == [
        (True, ["extra.tf.json", "main.tf"]),
        (False, ["policy.json"]),
    ]


def test_tf_json_module_call_reads_the_called_tf_json_module(module, tmp_path: Path):
    inventory = module(
        {
            "main.tf.json": '{"module": {"m": {"source": "./m", "actions": ["*"]}}}',
            "m/main.tf.json": """
            {
              "variable": {"actions": {}},
              "resource": {"aws_iam_policy": {"p": {
                "policy": "${jsonencode({Statement = [{Action = var.actions}]})}"
              }}}
            }
            """,
        }
    )
    (policy,) = inventory.policies
    assert policy.resource == "module.m.aws_iam_policy.p"
    (action,) = policy.statements[0].actions
    assert (action.text, action.location.file, action.location.line) == ("*", "main.tf.json", 1)
    assert called_directories([str(tmp_path), str(tmp_path / "m")]) == {str(tmp_path / "m")}
