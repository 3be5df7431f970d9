from pathlib import Path

from iamlint.model import PolicyKind, PrincipalKind
from iamlint.sources.loader import load_file
from iamlint.sources.managed_arn import managed_policy_name

ROLE_WITH_SUB_ADMIN = """
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Deploy:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: {Service: ec2.amazonaws.com}
            Action: sts:AssumeRole
      ManagedPolicyArns:
        - !Sub 'arn:${AWS::Partition}:iam::aws:policy/AdministratorAccess'
"""


def test_sub_partition_admin_arn_is_administrator_access(load):
    inventory = load(ROLE_WITH_SUB_ADMIN)
    (role,) = inventory.principals
    assert role.kind is PrincipalKind.ROLE
    assert role.name == "Deploy"
    (arn,) = role.managed_policy_arns
    assert managed_policy_name(arn) == "AdministratorAccess"
    assert (arn.location.line, arn.location.column) == (12, 16)
    (trust,) = inventory.policies
    assert trust.kind is PolicyKind.TRUST
    assert trust.affected == ("Deploy",)


def test_if_admin_branch_is_reported_at_its_line(load):
    inventory = load(
        """
        AWSTemplateFormatVersion: "2010-09-09"
        Resources:
          R:
            Type: AWS::IAM::Role
            Properties:
              AssumeRolePolicyDocument: {Statement: []}
              ManagedPolicyArns:
                - !If
                  - IsProd
                  - arn:aws:iam::aws:policy/ReadOnlyAccess
                  - arn:aws:iam::aws:policy/AdministratorAccess
        """
    )
    arns = inventory.principals[0].managed_policy_arns
    assert [(managed_policy_name(a), a.location.line) for a in arns] == [
        ("ReadOnlyAccess", 10),
        ("AdministratorAccess", 11),
    ]


SHARED = """
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  A:
    Type: AWS::IAM::Role
    Properties: {AssumeRolePolicyDocument: {Statement: []}, ManagedPolicyArns: [!Ref Shared]}
  B:
    Type: AWS::IAM::Role
    Properties: {AssumeRolePolicyDocument: {Statement: []}, PermissionsBoundary: !Ref Boundary}
  U:
    Type: AWS::IAM::User
    Properties:
      Groups: [Ops]
      LoginProfile: {Password: x}
      Policies:
        - PolicyName: inline
          PolicyDocument:
            Statement: [{Effect: Allow, Action: s3:GetObject, Resource: "*"}]
  G: {Type: AWS::IAM::Group, Properties: {GroupName: Ops}}
  Shared:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      Users: [!Ref U]
      Groups: [Ops]
      PolicyDocument: {Statement: [{Effect: Allow, Action: "*", Resource: "*"}]}
  Boundary:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument: {Statement: [{Effect: Allow, Action: "s3:*", Resource: "*"}]}
  Standalone:
    Type: AWS::IAM::Policy
    Properties:
      PolicyName: extra
      Roles: [!Ref A]
      PolicyDocument: {Statement: [{Effect: Allow, Action: sqs:*, Resource: "*"}]}
  Add: {Type: AWS::IAM::UserToGroupAddition, Properties: {GroupName: !Ref G, Users: [!Ref U]}}
  Key: {Type: AWS::IAM::AccessKey, Properties: {UserName: !Ref U}}
"""


def test_managed_policy_is_one_policy_reaching_every_attachment(load):
    inventory = load(SHARED)
    shared = [p for p in inventory.policies if p.resource == "Shared"]
    assert len(shared) == 1
    assert shared[0].kind is PolicyKind.MANAGED
    assert shared[0].affected == ("U", "G", "A")
    principals = {p.name: p for p in inventory.principals}
    assert [p.resource for p in principals["A"].policies] == ["Shared", "Standalone"]
    assert [p.resource for p in principals["U"].policies] == ["U", "Shared"]
    assert [p.resource for p in principals["G"].policies] == ["Shared"]
    assert principals["A"].managed_policy_arns == ()


def test_boundary_only_policy_is_a_boundary(load):
    inventory = load(SHARED)
    (boundary,) = [p for p in inventory.policies if p.resource == "Boundary"]
    assert boundary.kind is PolicyKind.BOUNDARY
    assert boundary.affected == ("B",)
    assert [
        p.resource for p in next(p for p in inventory.principals if p.name == "B").policies
    ] == ["Boundary"]


def test_users_groups_login_profile_and_access_keys(load):
    inventory = load(SHARED)
    user = next(p for p in inventory.principals if p.name == "U")
    assert user.kind is PrincipalKind.USER
    assert user.groups == ("G",)
    assert user.has_login_profile
    (key,) = inventory.access_keys
    assert (key.name, key.user, key.location.line) == ("Key", "U", 36)
    counts = {kind: sum(p.kind is kind for p in inventory.policies) for kind in PolicyKind}
    assert counts[PolicyKind.TRUST] == 2
    assert counts[PolicyKind.IDENTITY] == 2


def test_permission_set_and_scp(load):
    inventory = load(
        """
        AWSTemplateFormatVersion: "2010-09-09"
        Resources:
          PS:
            Type: AWS::SSO::PermissionSet
            Properties:
              ManagedPolicies: [arn:aws:iam::aws:policy/AdministratorAccess]
              InlinePolicy: '{"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}'
          Scp:
            Type: AWS::Organizations::Policy
            Properties:
              Type: SERVICE_CONTROL_POLICY
              Content:
                Statement: [{Effect: Deny, Action: "*", Resource: "*"}]
          Tag:
            Type: AWS::Organizations::Policy
            Properties:
              Type: TAG_POLICY
              Content: {tags: {}}
        """
    )
    (permission_set,) = inventory.principals
    assert permission_set.kind is PrincipalKind.PERMISSION_SET
    assert [managed_policy_name(a) for a in permission_set.managed_policy_arns] == [
        "AdministratorAccess"
    ]
    inline, scp = inventory.policies
    assert inline.kind is PolicyKind.IDENTITY
    assert inline.statements[0].actions[0].location.line == 7
    assert scp.kind is PolicyKind.SCP
    assert scp.statements[0].effect.text == "Deny"


def test_if_statement_branches_are_both_statements_at_their_lines():
    path = Path(__file__).resolve().parents[1] / "fixtures" / "IAM002" / "if-branch.cfn.yaml"
    (policy,) = load_file(str(path), "if-branch.cfn.yaml").inventory.policies
    assert [s.location.line for s in policy.statements] == [15, 18]
    admin = policy.statements[1]
    assert [(a.text, a.location.line) for a in admin.actions] == [("*", 20)]
    assert admin.resources[0].text == "*"


def test_boundaries_given_by_arn_are_recorded_apart_from_attachments(load):
    inventory = load(
        """
        AWSTemplateFormatVersion: "2010-09-09"
        Resources:
          PS:
            Type: AWS::SSO::PermissionSet
            Properties:
              ManagedPolicies: [arn:aws:iam::aws:policy/AdministratorAccess]
              PermissionsBoundary:
                ManagedPolicyArn: arn:aws:iam::aws:policy/ReadOnlyAccess
          Scoped:
            Type: AWS::SSO::PermissionSet
            Properties:
              PermissionsBoundary:
                CustomerManagedPolicyReference: {Name: boundary}
          R:
            Type: AWS::IAM::Role
            Properties:
              AssumeRolePolicyDocument: {Statement: []}
              PermissionsBoundary: !Sub arn:${AWS::Partition}:iam::aws:policy/PowerUserAccess
        """
    )
    principals = {p.name: p for p in inventory.principals}
    attached = principals["PS"].managed_policy_arns
    assert [(managed_policy_name(a), a.location.line) for a in attached] == [
        ("AdministratorAccess", 6)
    ]
    bounds = {
        name: [(managed_policy_name(b), b.location.line) for b in p.boundary_arns]
        for name, p in principals.items()
    }
    assert bounds == {"PS": [("ReadOnlyAccess", 8)], "Scoped": [], "R": [("PowerUserAccess", 18)]}
    assert principals["R"].managed_policy_arns == ()
