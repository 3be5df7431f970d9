from scan_text import scan_findings, scan_text


def test_inline_and_managed_attachments(tmp_path):
    text = """\
resource "aws_iam_user" "alice" {
  name = "alice"
}
resource "aws_iam_user_policy" "p" {
  user   = aws_iam_user.alice.name
  policy = jsonencode({ Version = "2012-10-17", Statement = [
    { Effect = "Allow", Action = "s3:GetObject", Resource = "arn:aws:s3:::b/*" },
  ] })
}
resource "aws_iam_user_policy_attachment" "m" {
  user       = aws_iam_user.alice.name
  policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
}
resource "aws_iam_group_policy_attachment" "g" {
  group      = "analysts"
  policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
}
"""
    assert scan_text(tmp_path, "main.tf", text, "IAM017") == [
        (
            "low",
            "Inline policy aws_iam_user_policy.p is attached directly to user aws_iam_user.alice:"
            " grant permissions through a group or role",
            6,
        ),
        (
            "low",
            "Managed policy arn:aws:iam::aws:policy/ReadOnlyAccess is attached directly to user"
            " aws_iam_user.alice: grant permissions through a group or role",
            12,
        ),
    ]


def test_one_policy_for_several_users_is_one_finding(tmp_path):
    text = """\
Resources:
  P:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      Users: [alice, bob]
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Action: s3:GetObject, Resource: "arn:aws:s3:::b/*"}
"""
    (finding,) = scan_findings(tmp_path, "t.yaml", text, "IAM017")
    assert finding.message == (
        "Customer-managed policy P is attached directly to users alice, bob:"
        " grant permissions through a group or role"
    )
    assert finding.affected == ("alice", "bob")


def test_permissions_boundary_is_not_an_attachment(tmp_path):
    text = """\
Resources:
  B:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Action: s3:GetObject, Resource: "*"}
  U:
    Type: AWS::IAM::User
    Properties:
      PermissionsBoundary: !Ref B
"""
    assert scan_text(tmp_path, "t.yaml", text, "IAM017") == []
