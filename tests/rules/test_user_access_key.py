from scan_text import scan_findings, scan_text


def test_cloudformation_key(tmp_path):
    text = """\
Resources:
  User:
    Type: AWS::IAM::User
  Key:
    Type: AWS::IAM::AccessKey
    Properties:
      UserName: !Ref User
"""
    assert scan_text(tmp_path, "t.yaml", text, "IAM005") == [
        (
            "medium",
            "Access key Key is declared for user User: a long-lived credential where a role's"
            " temporary credentials would do",
            4,
        )
    ]


def test_terraform_key_of_an_undeclared_user(tmp_path):
    text = 'resource "aws_iam_access_key" "k" {\n  user = "ci"\n}\n'
    (finding,) = scan_findings(tmp_path, "main.tf", text, "IAM005")
    assert (finding.location.line, finding.resource, finding.affected) == (
        1,
        "aws_iam_access_key.k",
        ("ci",),
    )
