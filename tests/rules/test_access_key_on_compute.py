from pathlib import Path

from scan_text import scan_findings, scan_text

KEY = """\
resource "aws_iam_access_key" "k" {
  user = "ci"
}
"""


def test_path_through_a_local(tmp_path):
    text = (
        KEY
        + """\
locals {
  env = aws_iam_access_key.k.secret
}
resource "aws_lambda_function" "f" {
  function_name = "f"
  environment {
    variables = {
      SECRET = local.env
    }
  }
}
"""
    )
    assert scan_text(tmp_path, "main.tf", text, "IAM006") == [
        (
            "critical",
            "Access key aws_iam_access_key.k reaches compute configuration:"
            " aws_iam_access_key.k.secret -> local.env -> aws_lambda_function.f"
            " environment.variables.SECRET",
            11,
        )
    ]


def test_templatefile_into_user_data(tmp_path):
    (tmp_path / "init.tpl").write_text("export AWS_SECRET_ACCESS_KEY=${s}\n")
    text = (
        KEY
        + """\
resource "aws_instance" "i" {
  ami       = "ami-1"
  user_data = templatefile("${path.module}/init.tpl", { s = aws_iam_access_key.k.secret })
}
"""
    )
    assert scan_text(tmp_path, "main.tf", text, "IAM006") == [
        (
            "critical",
            "Access key aws_iam_access_key.k reaches compute configuration:"
            " aws_iam_access_key.k.secret -> aws_instance.i user_data",
            6,
        )
    ]


def test_cloudformation_sub_and_parameter(tmp_path):
    text = """\
Parameters:
  AwsAccessKeyId: {Type: String}
Resources:
  Key:
    Type: AWS::IAM::AccessKey
    Properties: {UserName: ci}
  I:
    Type: AWS::EC2::Instance
    Properties:
      UserData: !Sub "export S=${Key.SecretAccessKey} I=${AwsAccessKeyId}"
"""
    (finding,) = scan_findings(tmp_path, "t.yaml", text, "IAM006")
    assert finding.location.line == 10
    assert finding.message == (
        "Access key Key reaches compute configuration: Key.SecretAccessKey -> Fn::Sub -> I UserData"
    )
    assert finding.element == "Key.SecretAccessKey"


def test_input_named_like_a_key(tmp_path):
    text = """\
variable "aws_secret_key" {}
variable "table" {}
resource "aws_lambda_function" "f" {
  function_name = "f"
  environment {
    variables = {
      A = var.aws_secret_key
      B = var.table
    }
  }
}
"""
    assert scan_text(tmp_path, "main.tf", text, "IAM006") == [
        (
            "critical",
            "Input var.aws_secret_key, named like an access key, reaches compute configuration:"
            " var.aws_secret_key -> aws_lambda_function.f environment.variables.A",
            7,
        )
    ]


def test_output_reports_the_secret_not_the_id(tmp_path):
    text = (
        KEY
        + """\
output "id" {
  value = aws_iam_access_key.k.id
}
output "secret" {
  value     = aws_iam_access_key.k.secret
  sensitive = true
}
"""
    )
    assert scan_text(tmp_path, "main.tf", text, "IAM006") == [
        (
            "critical",
            "Access key aws_iam_access_key.k reaches an output:"
            " aws_iam_access_key.k.secret -> output.secret value",
            8,
        )
    ]


def test_sam_globals_value_is_one_finding_naming_every_function(tmp_path):
    text = (Path(__file__).parents[1] / "fixtures/IAM006/sam-globals.cfn.yaml").read_text()
    (finding,) = scan_findings(tmp_path, "template.yaml", text, "IAM006")
    assert finding.message == (
        "Access key Key reaches compute configuration:"
        " Key.SecretAccessKey -> A Environment.Variables.SECRET;"
        " Key.SecretAccessKey -> B Environment.Variables.SECRET"
    )
    assert (finding.location.line, finding.resource, finding.affected) == (11, "A", ("A", "B"))
