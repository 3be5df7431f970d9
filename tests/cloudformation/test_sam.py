from iamlint.model import PolicyKind, PrincipalKind, Reference
from iamlint.sources.cloudformation import sam
from iamlint.sources.managed_arn import managed_policy_name

FUNCTION = """
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Parameters:
  BucketName: {Type: String}
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: index.handler
      Policies:
        - AdministratorAccess
        - S3ReadPolicy:
            BucketName: !Ref BucketName
        - Statement: [{Effect: Allow, Action: "sqs:*", Resource: "*"}]
      Environment:
        Variables:
          KEY: !Ref AccessKey
  WithRole:
    Type: AWS::Serverless::Function
    Properties: {Role: arn:aws:iam::123456789012:role/x, Policies: [AdministratorAccess]}
  AccessKey: {Type: AWS::IAM::AccessKey, Properties: {UserName: u}}
"""


def test_function_policies(load):
    inventory = load(FUNCTION)
    (role,) = inventory.principals
    assert (role.kind, role.name, role.resource_type) == (
        PrincipalKind.ROLE,
        "Fn",
        "AWS::Serverless::Function",
    )
    (admin,) = role.managed_policy_arns
    assert (managed_policy_name(admin), admin.location.line) == ("AdministratorAccess", 11)
    expanded, inline = role.policies
    assert expanded.kind is inline.kind is PolicyKind.IDENTITY
    assert expanded.name == "S3ReadPolicy"
    resources = [e.text for e in expanded.statements[0].resources]
    assert resources == [
        "arn:${AWS::Partition}:s3:::${BucketName}",
        "arn:${AWS::Partition}:s3:::${BucketName}/*",
    ]
    assert {e.location.line for e in expanded.statements[0].actions} == {12}
    assert inline.statements[0].actions[0].location.line == 14
    (compute,) = inventory.compute
    assert compute.values[0].path == "Environment.Variables.KEY"
    assert compute.values[0].references == (Reference("AccessKey"),)


def test_policy_templates_without_the_translator_are_unresolved(load, monkeypatch):
    monkeypatch.setattr(sam, "policy_templates", lambda: None)
    inventory = load(FUNCTION)
    assert [p.name for p in inventory.principals[0].policies] == ["FnRolePolicy2"]
    note = next(n for n in inventory.unresolved if n.text == "S3ReadPolicy")
    assert note.location.line == 12
    assert "aws-sam-translator" in note.reason


def test_api_resource_policy(load):
    inventory = load(
        """
        Transform: AWS::Serverless-2016-10-31
        Resources:
          Api:
            Type: AWS::Serverless::Api
            Properties:
              Auth:
                ResourcePolicy:
                  CustomStatements:
                    - {Effect: Allow, Principal: "*", Action: execute-api:Invoke, Resource: "*"}
        """
    )
    (policy,) = inventory.policies
    assert (policy.kind, policy.affected) == (PolicyKind.RESOURCE, ("Api",))
    assert policy.statements[0].principals[0].value.location.line == 9
