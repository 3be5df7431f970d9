"""The IAM a serverless function's `Events` make SAM generate.

Read from aws-sam-translator's event sources (`samtranslator/model/eventsources/`):

- Push sources (Api, HttpApi, S3, SNS, Schedule, CloudWatchEvent,
  EventBridgeRule, CloudWatchLogs, IoTRule, Cognito, AlexaSkill) make SAM add an
  `AWS::Lambda::Permission` letting the source's service principal invoke the
  function. Each becomes the resource-policy statement that permission puts on
  the function, with the `SourceArn` / `SourceAccount` / `EventSourceToken` SAM
  writes, so the resource-policy rules judge it like a written permission.
- Pull sources (Kinesis, DynamoDB, SQS, MSK) make SAM attach an AWS-managed
  execution policy to the role it generates for the function (not to a role the
  template gives in `Role`).

Not modelled: the inline statements SAM writes for MQ, SelfManagedKafka and
DocumentDB sources (secret and broker access scoped to the resources the event
names), and the role SAM generates for ScheduleV2 (EventBridge Scheduler).
"""

from __future__ import annotations

from collections.abc import Callable

from iamlint.model import Element, Policy, PolicyKind, Unresolved
from iamlint.sources.cloudformation.resource_side import permission_document
from iamlint.sources.cloudformation.template import Resource, Template
from iamlint.sources.document import build_policy
from iamlint.sources.nodes import MAP, SCALAR, SEQ, Node

# The AWS-managed policy SAM attaches to a generated role for each pull source.
PULL_POLICIES = {
    "Kinesis": "service-role/AWSLambdaKinesisExecutionRole",
    "DynamoDB": "service-role/AWSLambdaDynamoDBExecutionRole",
    "SQS": "service-role/AWSLambdaSQSQueueExecutionRole",
    "MSK": "service-role/AWSLambdaMSKExecutionRole",
}
_ARN_PREFIX = "arn:${AWS::Partition}"
_ACCOUNT = "${AWS::Region}:${AWS::AccountId}"


class _Event:
    """One entry of `Events`, with helpers that build raw (unresolved) nodes
    placed at the event's `Type`."""

    def __init__(self, function: str, name: str, type_node: Node, properties: Node) -> None:
        self.function = function
        self.name = name
        self.type = str(type_node.value)
        self.location = type_node.location
        self.properties = properties

    def raw(self, key: str) -> Node | None:
        return self.properties.get(key) if self.properties.is_map else None

    def scalar(self, value: object) -> Node:
        return Node(SCALAR, value, self.location)

    def call(self, name: str, argument: Node) -> Node:
        return Node(MAP, [(self.scalar(name), argument)], self.location)

    def ref(self, target: str) -> Node:
        return self.call("Ref", self.scalar(target))

    def arn_of(self, logical_id: str) -> Node:
        return self.call(
            "Fn::GetAtt", Node(SEQ, [self.scalar(logical_id), self.scalar("Arn")], self.location)
        )

    def sub(self, text: str, variables: dict[str, Node]) -> Node:
        pairs = [(self.scalar(name), value) for name, value in variables.items()]
        argument = Node(SEQ, [self.scalar(text), Node(MAP, pairs, self.location)], self.location)
        return self.call("Fn::Sub", argument)

    def text(self, key: str, default: str) -> str:
        node = self.raw(key)
        return node.value if node is not None and isinstance(node.value, str) else default


def _api(event: _Event, api_key: str, implicit_api: str) -> Node:
    api = event.raw(api_key) or event.ref(implicit_api)
    method = event.text("Method", "any")
    method = "*" if method.lower() in ("any", "x-amazon-apigateway-any-method") else method.upper()
    path = event.text("Path", "/$default")
    if len(path) > 1:
        path = path.rstrip("/")
    if api_key == "ApiId" and method == "*" and path == "/$default":
        resource = "${__ApiId__}/*" + path
    else:
        resource = f"${{__ApiId__}}/*/{method}{path}"
    return event.sub(f"{_ARN_PREFIX}:execute-api:{_ACCOUNT}:{resource}", {"__ApiId__": api})


def _rule_arn(event: _Event) -> Node:
    return event.arn_of(event.function + event.name)


def _log_group_arn(event: _Event) -> Node:
    group = event.raw("LogGroupName") or event.scalar(Unresolved("LogGroupName", "not given"))
    return event.sub(
        f"{_ARN_PREFIX}:logs:{_ACCOUNT}:log-group:${{__LogGroupName__}}:*",
        {"__LogGroupName__": group},
    )


def _iot_rule_arn(event: _Event) -> Node:
    rule = event.ref(event.function + event.name)
    return event.sub(f"{_ARN_PREFIX}:iot:{_ACCOUNT}:rule/${{RuleName}}", {"RuleName": rule})


def _user_pool_arn(event: _Event) -> Node | None:
    pool = event.raw("UserPool")
    target = pool.get("Ref") if pool is not None and pool.is_map else None
    if target is not None and isinstance(target.value, str):
        return event.arn_of(target.value)
    return pool


def _account(event: _Event) -> Node:
    return event.ref("AWS::AccountId")


# Per push source: its principal and how SAM builds each condition property.
_Builder = Callable[[_Event], Node | None]
PUSH_SOURCES: dict[str, tuple[str, dict[str, _Builder]]] = {
    "Api": (
        "apigateway.amazonaws.com",
        {"SourceArn": lambda e: _api(e, "RestApiId", "ServerlessRestApi")},
    ),
    "HttpApi": (
        "apigateway.amazonaws.com",
        {"SourceArn": lambda e: _api(e, "ApiId", "ServerlessHttpApi")},
    ),
    "S3": ("s3.amazonaws.com", {"SourceAccount": _account}),
    "SNS": ("sns.amazonaws.com", {"SourceArn": lambda e: e.raw("Topic")}),
    "Schedule": ("events.amazonaws.com", {"SourceArn": _rule_arn}),
    "CloudWatchEvent": ("events.amazonaws.com", {"SourceArn": _rule_arn}),
    "EventBridgeRule": ("events.amazonaws.com", {"SourceArn": _rule_arn}),
    "CloudWatchLogs": ("logs.amazonaws.com", {"SourceArn": _log_group_arn}),
    "IoTRule": ("iot.amazonaws.com", {"SourceArn": _iot_rule_arn, "SourceAccount": _account}),
    "Cognito": ("cognito-idp.amazonaws.com", {"SourceArn": _user_pool_arn}),
    "AlexaSkill": ("alexa-appkit.amazon.com", {"EventSourceToken": lambda e: e.raw("SkillId")}),
}


def _events(resource: Resource) -> list[_Event]:
    """The function's events, read from its raw properties (Events is never global)."""
    raw = resource.raw_properties
    section = raw.get("Events") if raw is not None and raw.is_map else None
    found = []
    for key, event in section.pairs() if section is not None and section.is_map else ():
        type_node = event.get("Type") if event.is_map else None
        if type_node is None or not isinstance(type_node.value, str):
            continue
        properties = event.get("Properties")
        if properties is None or not properties.is_map:
            properties = Node(MAP, [], type_node.location)
        found.append(_Event(resource.logical_id, str(key.value), type_node, properties))
    return found


def event_permissions(template: Template, resource: Resource) -> list[Policy]:
    """The Lambda permission statements SAM generates for the function's push events."""
    policies = []
    for event in _events(resource):
        source = PUSH_SOURCES.get(event.type)
        if source is None:
            continue
        principal, conditions = source
        pairs = [
            (event.scalar("Action"), event.scalar("lambda:InvokeFunction")),
            (event.scalar("FunctionName"), event.ref(resource.logical_id)),
            (event.scalar("Principal"), event.scalar(principal)),
        ]
        for name, build in conditions.items():
            value = build(event)
            if value is not None:
                pairs.append((event.scalar(name), value))
        properties = template.resolver.resolve(Node(MAP, pairs, event.location))
        policies.append(
            build_policy(
                permission_document(properties, event.location),
                PolicyKind.RESOURCE,
                resource=resource.logical_id,
                resource_type=resource.type,
                name=f"{event.name} event permission",
                affected=(resource.logical_id,),
            )
        )
    return policies


def pull_policy_arns(resource: Resource) -> list[Element]:
    """The AWS-managed policies SAM attaches to the generated role for pull events,
    each at its event's `Type`."""
    found = []
    for event in _events(resource):
        policy = PULL_POLICIES.get(event.type)
        if policy is not None:
            arn = f"{_ARN_PREFIX}:iam::aws:policy/{policy}"
            reason = f"attached by SAM for the {event.name} event"
            found.append(Element(Unresolved(arn, reason), event.location))
    return found
