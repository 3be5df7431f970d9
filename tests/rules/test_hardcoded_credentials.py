import base64

from scan_text import scan_findings, scan_text


def test_key_id_and_secret_are_masked(tmp_path):
    text = """\
Resources:
  F:
    Type: AWS::Lambda::Function
    Properties:
      Environment:
        Variables:
          AWS_ACCESS_KEY_ID: AKIAIOSFODNN7EXAMPLE
          secretAccessKey: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
"""
    assert scan_text(tmp_path, "t.yaml", text, "IAM007") == [
        (
            "critical",
            "Hard-coded AWS access key id AKIA**************** in AWS_ACCESS_KEY_ID of F:"
            " remove it and deactivate the key",
            7,
        ),
        (
            "critical",
            "Hard-coded AWS secret access key wJal************************************ in"
            " secretAccessKey of F: remove it and deactivate the key",
            8,
        ),
    ]


def test_script_assignment_and_fingerprint_text_are_masked(tmp_path):
    text = """\
resource "aws_instance" "i" {
  ami       = "ami-1"
  user_data = <<EOT
export AWS_ACCESS_KEY_ID=ASIAIOSFODNN7EXAMPLE
export AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
EOT
}
"""
    (finding,) = scan_findings(tmp_path, "main.tf", text, "IAM007")
    assert finding.message == (
        "Hard-coded AWS access key id ASIA**************** and secret access key"
        " wJal************************************ in user_data of aws_instance.i:"
        " remove it and deactivate the key"
    )
    assert finding.element == "ASIA****************, wJal************************************"


def test_base64_user_data(tmp_path):
    encoded = base64.b64encode(b"export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\n").decode()
    text = (
        "Resources:\n  I:\n    Type: AWS::EC2::Instance\n"
        f"    Properties:\n      UserData: {encoded}\n"
    )
    assert scan_text(tmp_path, "t.yaml", text, "IAM007") == [
        (
            "critical",
            "Hard-coded AWS access key id AKIA**************** in UserData of I (base64-encoded):"
            " remove it and deactivate the key",
            5,
        )
    ]


def test_not_credentials(tmp_path):
    text = """\
resource "aws_lambda_function" "f" {
  function_name = "f"
  environment {
    variables = {
      AWS_SECRET_ACCESS_KEY = "placeholder"
      CHECKSUM              = "1234567890123456789012345678901234567890"
      ID                    = "AKIAIOSFODNN7EXAMPLEXX"
    }
  }
}
"""
    assert scan_text(tmp_path, "main.tf", text, "IAM007") == []
