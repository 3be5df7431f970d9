"""Suppressions in Terraform, YAML and JSON CloudFormation and through the config file."""

import json

from click.testing import CliRunner

from iamlint.cli import cli

TF_UNSCOPED = """resource "aws_iam_policy" "reader" {{
  policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [{{
      Effect   = "Allow"
      Action   = ["s3:GetObject"]
{comment}      Resource = "*"
    }}]
  }})
}}
"""

CFN_YAML = """AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Reader:
    Type: AWS::IAM::ManagedPolicy
{metadata}    Properties:
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Action: s3:GetObject
            Resource: "*"
"""


def scan(path, *args):
    result = CliRunner().invoke(cli, ["scan", str(path), "-f", "json", *args])
    return json.loads(result.stdout), result.stderr, result.exit_code


def rule_ids(report):
    return [f["rule_id"] for f in report["findings"]]


def test_terraform_comment_on_the_line_above(tmp_path):
    tf = tmp_path / "main.tf"
    tf.write_text(TF_UNSCOPED.format(comment=""))
    assert rule_ids(scan(tmp_path)[0]) == ["IAM004"]
    tf.write_text(
        TF_UNSCOPED.format(comment="      # iamlint:ignore IAM004 bucket names are dynamic\n")
    )
    report, err, code = scan(tmp_path)
    assert (rule_ids(report), err, code) == ([], "", 0)


def test_comment_on_the_same_line_and_by_slug(tmp_path):
    tf = tmp_path / "main.tf"
    tf.write_text(
        TF_UNSCOPED.format(comment="").replace(
            'Resource = "*"', 'Resource = "*" # iamlint:ignore missing-resource-scoping legacy'
        )
    )
    assert rule_ids(scan(tmp_path)[0]) == []


def test_comment_on_the_block_line_covers_the_whole_resource(tmp_path):
    tf = tmp_path / "main.tf"
    tf.write_text(
        TF_UNSCOPED.format(comment="").replace(
            '"reader" {', '"reader" { # iamlint:ignore IAM004,IAM003 reviewed in SEC-12'
        )
    )
    assert rule_ids(scan(tmp_path)[0]) == []


def test_a_comment_for_another_rule_does_not_suppress(tmp_path):
    (tmp_path / "main.tf").write_text(
        TF_UNSCOPED.format(comment="      # iamlint:ignore IAM003 not this one\n")
    )
    assert rule_ids(scan(tmp_path)[0]) == ["IAM004"]


def test_ignore_file_and_a_missing_reason_is_honoured_but_warned(tmp_path):
    tf = tmp_path / "main.tf"
    tf.write_text("# iamlint:ignore-file IAM004\n" + TF_UNSCOPED.format(comment=""))
    report, err, code = scan(tmp_path)
    assert (rule_ids(report), code) == ([], 0)
    assert err == f"{tf}:1: warning: suppression without a reason (honoured)\n"


def test_unused_suppressions_are_reported_on_request(tmp_path):
    tf = tmp_path / "main.tf"
    tf.write_text(TF_UNSCOPED.format(comment="      # iamlint:ignore IAM016 no passrole here\n"))
    _, err, _ = scan(tmp_path)
    assert err == ""
    _, err, _ = scan(tmp_path, "--warn-unused-suppressions")
    assert err == f"{tf}:7: warning: unused suppression of IAM016\n"


def test_yaml_cloudformation_comment_and_metadata(tmp_path):
    template = tmp_path / "t.yaml"
    template.write_text(CFN_YAML.format(metadata=""))
    assert rule_ids(scan(tmp_path)[0]) == ["IAM004"]
    template.write_text(
        CFN_YAML.format(metadata="").replace(
            '            Resource: "*"',
            '            # iamlint:ignore IAM004 read-only\n            Resource: "*"',
        )
    )
    assert rule_ids(scan(tmp_path)[0]) == []
    template.write_text(
        CFN_YAML.format(
            metadata="    Metadata:\n      iamlint:\n        ignore:\n"
            "          - {id: IAM004, reason: reviewed}\n"
        )
    )
    assert rule_ids(scan(tmp_path)[0]) == []


def test_json_cloudformation_metadata(tmp_path):
    template = {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Resources": {
            "Reader": {
                "Type": "AWS::IAM::ManagedPolicy",
                "Metadata": {"iamlint": {"ignore": [{"id": "IAM004", "reason": "reviewed"}]}},
                "Properties": {
                    "PolicyDocument": {
                        "Version": "2012-10-17",
                        "Statement": [
                            {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}
                        ],
                    }
                },
            }
        },
    }
    (tmp_path / "t.json").write_text(json.dumps(template, indent=2))
    assert rule_ids(scan(tmp_path)[0]) == []
    del template["Resources"]["Reader"]["Metadata"]
    (tmp_path / "t.json").write_text(json.dumps(template, indent=2))
    assert rule_ids(scan(tmp_path)[0]) == ["IAM004"]


def test_suppressed_findings_stay_in_sarif(tmp_path):
    (tmp_path / "main.tf").write_text(
        TF_UNSCOPED.format(comment="      # iamlint:ignore IAM004 dynamic buckets\n")
    )
    result = CliRunner().invoke(cli, ["scan", str(tmp_path), "-f", "sarif"])
    (sarif_result,) = json.loads(result.stdout)["runs"][0]["results"]
    assert sarif_result["ruleId"] == "IAM004"
    assert sarif_result["suppressions"] == [
        {"kind": "inSource", "status": "accepted", "justification": "dynamic buckets"}
    ]
