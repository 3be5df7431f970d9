from scan_text import scan_findings, scan_text

GROUP = """\
Resources:
  Admins:
    Type: AWS::IAM::Group
    Properties:
      ManagedPolicyArns:
        - !Sub arn:${AWS::Partition}:iam::aws:policy/AdministratorAccess
  Alice:
    Type: AWS::IAM::User
    Properties:
      Groups: [!Ref Admins]
"""


def test_group_attachment_reaches_its_members(tmp_path):
    (finding,) = scan_findings(tmp_path, "t.yaml", GROUP, "IAM001")
    assert (finding.severity, finding.location.line) == ("critical", 6)
    assert finding.message == (
        "AWS-managed AdministratorAccess is attached to group Admins and through membership"
        " to users Alice: full administrator access (every action on every resource)"
    )
    assert finding.affected == ("Admins", "Alice")


def test_sam_bare_name(tmp_path):
    text = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: a.h
      CodeUri: src/
      Policies: AdministratorAccess
"""
    assert scan_text(tmp_path, "t.yaml", text, "IAM001") == [
        (
            "critical",
            "AWS-managed AdministratorAccess is attached to role Fn: full administrator access"
            " (every action on every resource)",
            9,
        )
    ]


def test_one_attachment_to_several_principals_is_one_finding(tmp_path):
    text = """\
resource "aws_iam_policy_attachment" "admins" {
  name       = "admins"
  users      = ["alice", "bob"]
  roles      = ["deploy"]
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}
"""
    (finding,) = scan_findings(tmp_path, "main.tf", text, "IAM001")
    assert finding.location.line == 5
    assert finding.affected == ("alice", "bob", "deploy")
    assert "to user alice, user bob, role deploy:" in finding.message


def test_customer_policy_named_like_admin_is_not_aws_managed(tmp_path):
    text = """\
resource "aws_iam_role_policy_attachment" "a" {
  role       = "deploy"
  policy_arn = "arn:aws:iam::123456789012:policy/AdministratorAccess"
}
"""
    assert scan_text(tmp_path, "main.tf", text, "IAM001") == []
