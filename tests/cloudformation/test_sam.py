from iamlint.model import Location, PolicyKind, PrincipalKind, Reference
from iamlint.sources.cloudformation import sam
from iamlint.sources.cloudformation.sam_globals import merge
from iamlint.sources.managed_arn import managed_policy_name
from iamlint.sources.nodes import MAP, SCALAR, SEQ, Node

LOCATION = Location("t.yaml", 1, 1, 1, 2)

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
    compute, with_role = inventory.compute
    assert compute.roles == ("Fn",)
    assert compute.values[0].path == "Environment.Variables.KEY"
    assert compute.values[0].references == (Reference("AccessKey"),)
    assert (with_role.roles, with_role.values) == (("arn:aws:iam::123456789012:role/x",), ())


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


GLOBALS = """
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Policies: [AdministratorAccess]
    PermissionsBoundary: arn:aws:iam::aws:policy/ReadOnlyAccess
    Environment:
      Variables:
        TABLE: data
        KEY: !Ref AccessKey
  Api:
    Auth:
      ResourcePolicy:
        CustomStatements:
          - {Effect: Allow, Principal: "*", Action: execute-api:Invoke, Resource: "*"}
Resources:
  A:
    Type: AWS::Serverless::Function
    Properties:
      Environment:
        Variables:
          TABLE: own
  B:
    Type: AWS::Serverless::Function
  Api:
    Type: AWS::Serverless::Api
    Properties: {StageName: prod}
  AccessKey: {Type: AWS::IAM::AccessKey, Properties: {UserName: u}}
"""


def test_globals_merge_maps_and_keep_the_resource_value(load):
    inventory = load(GLOBALS)
    values = {
        c.name: [(v.path, v.text, v.location.line) for v in c.values] for c in inventory.compute
    }
    assert values == {
        "A": [
            ("Environment.Variables.KEY", "${AccessKey}", 9),
            ("Environment.Variables.TABLE", "own", 21),
        ],
        "B": [
            ("Environment.Variables.TABLE", "data", 8),
            ("Environment.Variables.KEY", "${AccessKey}", 9),
        ],
    }


def test_globals_never_give_policies_but_give_boundaries_and_api_auth(load):
    inventory = load(GLOBALS)
    for role in inventory.principals:
        assert (role.managed_policy_arns, role.policies) == ((), ())
        assert [(b.text, b.location.line) for b in role.boundary_arns] == [
            ("arn:aws:iam::aws:policy/ReadOnlyAccess", 5)
        ]
    (api_policy,) = inventory.policies
    assert (api_policy.resource, api_policy.statements[0].location.line) == ("Api", 14)


def test_list_globals_are_concatenated_before_the_resource_items():
    def seq(*values):
        return Node(SEQ, [Node(SCALAR, v, LOCATION) for v in values], LOCATION)

    merged = merge(seq("a", "b"), seq("c"))
    assert [item.value for item in merged.value] == ["a", "b", "c"]
    intrinsic = Node(MAP, [(Node(SCALAR, "Ref", LOCATION), Node(SCALAR, "X", LOCATION))], LOCATION)
    plain = Node(MAP, [(Node(SCALAR, "Y", LOCATION), Node(SCALAR, "y", LOCATION))], LOCATION)
    assert merge(plain, intrinsic) is intrinsic


EVENTS = """
Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Events:
        Get:
          Type: Api
          Properties: {Path: /items/, Method: get}
        Any:
          Type: HttpApi
        Upload:
          Type: S3
          Properties: {Bucket: !Ref Bucket, Events: s3:ObjectCreated:*}
        Note:
          Type: SNS
          Properties: {Topic: !Ref Topic}
        Tick:
          Type: Schedule
          Properties: {Schedule: rate(1 hour)}
        Logs:
          Type: CloudWatchLogs
          Properties: {LogGroupName: app, FilterPattern: ""}
        Iot:
          Type: IoTRule
          Properties: {Sql: "SELECT 1"}
        Pool:
          Type: Cognito
          Properties: {UserPool: !Ref UserPool, Trigger: PreSignUp}
        Alexa:
          Type: AlexaSkill
          Properties: {SkillId: amzn1.ask.skill.1}
        Queue:
          Type: SQS
          Properties: {Queue: !GetAtt Q.Arn}
        Stream:
          Type: Kinesis
          Properties: {Stream: !GetAtt S.Arn, StartingPosition: LATEST}
  WithRole:
    Type: AWS::Serverless::Function
    Properties:
      Role: !GetAtt R.Arn
      Events:
        Queue: {Type: SQS, Properties: {Queue: !GetAtt Q.Arn}}
"""
PARTITION = "arn:${AWS::Partition}"
ACCOUNT = "${AWS::Region}:${AWS::AccountId}"


def test_push_events_are_the_lambda_permissions_sam_generates(load):
    inventory = load(EVENTS)
    found = {}
    for policy in inventory.policies:
        assert (policy.kind, policy.resource, policy.affected) == (
            PolicyKind.RESOURCE,
            "Fn",
            ("Fn",),
        )
        (statement,) = policy.statements
        assert [a.text for a in statement.actions] == ["lambda:InvokeFunction"]
        assert [r.text for r in statement.resources] == ["${Fn}"]
        (principal,) = statement.principals
        found[policy.name] = (
            principal.value.text,
            statement.location.line,
            [
                (c.operator.text, c.key.text, [v.text for v in c.values])
                for c in statement.conditions
            ],
        )
    source_arn = "ArnLike", "aws:SourceArn"
    own_account = "StringEquals", "aws:SourceAccount", ["${AWS::AccountId}"]
    assert found == {
        "Get event permission": (
            "apigateway.amazonaws.com",
            8,
            [
                (
                    *source_arn,
                    [f"{PARTITION}:execute-api:{ACCOUNT}:${{ServerlessRestApi}}/*/GET/items"],
                )
            ],
        ),
        "Any event permission": (
            "apigateway.amazonaws.com",
            11,
            [
                (
                    *source_arn,
                    [f"{PARTITION}:execute-api:{ACCOUNT}:${{ServerlessHttpApi}}/*/$default"],
                )
            ],
        ),
        "Upload event permission": ("s3.amazonaws.com", 13, [own_account]),
        "Note event permission": ("sns.amazonaws.com", 16, [(*source_arn, ["${Topic}"])]),
        "Tick event permission": ("events.amazonaws.com", 19, [(*source_arn, ["${FnTick.Arn}"])]),
        "Logs event permission": (
            "logs.amazonaws.com",
            22,
            [(*source_arn, [f"{PARTITION}:logs:{ACCOUNT}:log-group:app:*"])],
        ),
        "Iot event permission": (
            "iot.amazonaws.com",
            25,
            [(*source_arn, [f"{PARTITION}:iot:{ACCOUNT}:rule/${{FnIot}}"]), own_account],
        ),
        "Pool event permission": (
            "cognito-idp.amazonaws.com",
            28,
            [(*source_arn, ["${UserPool.Arn}"])],
        ),
        "Alexa event permission": (
            "alexa-appkit.amazon.com",
            31,
            [("StringEquals", "lambda:EventSourceToken", ["amzn1.ask.skill.1"])],
        ),
    }


def test_pull_events_attach_execution_policies_to_the_generated_role_only(load):
    inventory = load(EVENTS)
    (role,) = inventory.principals
    assert [(managed_policy_name(a), a.location.line) for a in role.managed_policy_arns] == [
        ("AWSLambdaSQSQueueExecutionRole", 34),
        ("AWSLambdaKinesisExecutionRole", 37),
    ]
