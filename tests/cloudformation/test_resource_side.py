import json

from iamlint.model import PolicyKind, PrincipalType, Unresolved
from iamlint.sources.cloudformation.policy_properties import POLICY_PROPERTIES


def test_bucket_policy_governs_its_bucket(load):
    inventory = load(
        """
        AWSTemplateFormatVersion: "2010-09-09"
        Resources:
          Bucket: {Type: AWS::S3::Bucket}
          Policy:
            Type: AWS::S3::BucketPolicy
            Properties:
              Bucket: !Ref Bucket
              PolicyDocument:
                Statement:
                  - Effect: Allow
                    Principal: "*"
                    Action: s3:GetObject
                    Resource: !Sub "${Bucket.Arn}/*"
        """
    )
    (policy,) = inventory.policies
    assert (policy.kind, policy.resource, policy.affected) == (
        PolicyKind.RESOURCE,
        "Policy",
        ("Bucket",),
    )
    principal = policy.statements[0].principals[0]
    assert (principal.type, principal.value.location.line) == (PrincipalType.ANY, 11)


def test_lambda_permission_becomes_a_statement(load):
    inventory = load(
        """
        AWSTemplateFormatVersion: "2010-09-09"
        Resources:
          Permission:
            Type: AWS::Lambda::Permission
            Properties:
              Action: lambda:InvokeFunction
              FunctionName: !Ref Fn
              Principal: s3.amazonaws.com
              SourceAccount: !Ref AWS::AccountId
              SourceArn: arn:aws:s3:::bucket
        """
    )
    (policy,) = inventory.policies
    assert policy.kind is PolicyKind.RESOURCE
    assert policy.affected == ("Fn",)
    (statement,) = policy.statements
    assert statement.is_allow
    assert [(e.text, e.location.line) for e in statement.actions] == [("lambda:InvokeFunction", 6)]
    assert statement.resources[0].value == Unresolved("${Fn}", "a reference to resource Fn")
    (principal,) = statement.principals
    assert (principal.type, principal.value.text, principal.value.location.line) == (
        PrincipalType.SERVICE,
        "s3.amazonaws.com",
        8,
    )
    conditions = [(c.operator.text, c.key.text, c.key.location.line) for c in statement.conditions]
    assert conditions == [
        ("ArnLike", "aws:SourceArn", 10),
        ("StringEquals", "aws:SourceAccount", 9),
    ]
    assert policy.problems == ()


def test_json_string_policy_in_a_json_template(load):
    document = {"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "sqs:*"}]}
    template = {
        "Resources": {
            "Q": {"Type": "AWS::SQS::Queue"},
            "P": {
                "Type": "AWS::SQS::QueuePolicy",
                "Properties": {"Queues": [{"Ref": "Q"}], "PolicyDocument": json.dumps(document)},
            },
        }
    }
    inventory = load(json.dumps(template, indent=2), "t.json")
    (policy,) = inventory.policies
    assert policy.affected == ("Q",)
    assert policy.statements[0].actions[0].text == "sqs:*"
    assert policy.statements[0].actions[0].location.line == 14


def test_the_policy_table_covers_the_issue_list():
    expected = {
        "AWS::S3::BucketPolicy": "PolicyDocument",
        "AWS::S3::AccessPoint": "Policy",
        "AWS::SQS::QueuePolicy": "PolicyDocument",
        "AWS::SNS::TopicPolicy": "PolicyDocument",
        "AWS::KMS::Key": "KeyPolicy",
        "AWS::ECR::Repository": "RepositoryPolicyText",
        "AWS::SecretsManager::ResourcePolicy": "ResourcePolicy",
        "AWS::OpenSearchService::Domain": "AccessPolicies",
        "AWS::Elasticsearch::Domain": "AccessPolicies",
        "AWS::ApiGateway::RestApi": "Policy",
        "AWS::EFS::FileSystem": "FileSystemPolicy",
        "AWS::Glacier::Vault": "AccessPolicy",
        "AWS::Backup::BackupVault": "AccessPolicy",
        "AWS::Logs::ResourcePolicy": "PolicyDocument",
        "AWS::Logs::Destination": "DestinationPolicy",
    }
    for resource_type, prop in expected.items():
        assert prop in POLICY_PROPERTIES[resource_type], resource_type
    assert "AWS::SNS::Subscription" not in POLICY_PROPERTIES


def test_event_bus_policy_statement(load):
    inventory = load(
        """
        AWSTemplateFormatVersion: "2010-09-09"
        Resources:
          Bus: {Type: AWS::Events::EventBus}
          BusPolicy:
            Type: AWS::Events::EventBusPolicy
            Properties:
              EventBusName: !Ref Bus
              StatementId: all
              Statement: {Effect: Allow, Principal: "*", Action: events:PutEvents, Resource: "*"}
        """
    )
    (policy,) = inventory.policies
    assert policy.affected == ("Bus",)
    assert policy.statements[0].principals[0].type is PrincipalType.ANY
