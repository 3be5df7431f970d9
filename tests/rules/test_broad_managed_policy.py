import pytest
from scan_text import scan_text


def attach(name):
    return f"""\
resource "aws_iam_role_policy_attachment" "a" {{
  role       = "app"
  policy_arn = "arn:aws:iam::aws:policy/{name}"
}}
"""


@pytest.mark.parametrize(
    ("name", "severity", "grants"),
    [
        ("PowerUserAccess", "high", "every action except IAM and Organizations management"),
        ("IAMFullAccess", "high", "full control of IAM, enough to grant itself anything else"),
        ("AmazonS3FullAccess", "high", "full control of s3, a sensitive service"),
        ("AWSLambda_FullAccess", "high", "full control of lambda, a sensitive service"),
        ("AWSKeyManagementServicePowerUser", "high", "full control of kms, a sensitive service"),
        ("SecretsManagerReadWrite", "high", "full control of secretsmanager, a sensitive service"),
        ("AmazonDynamoDBFullAccess", "medium", "full control of DynamoDB on every resource"),
    ],
)
def test_severity_and_message(tmp_path, name, severity, grants):
    assert scan_text(tmp_path, "main.tf", attach(name), "IAM021") == [
        (severity, f"AWS-managed {name} is attached to role app: it grants {grants}", 3)
    ]


@pytest.mark.parametrize(
    "name", ["AdministratorAccess", "ReadOnlyAccess", "AmazonS3ReadOnlyAccess"]
)
def test_not_broad(tmp_path, name):
    assert scan_text(tmp_path, "main.tf", attach(name), "IAM021") == []
