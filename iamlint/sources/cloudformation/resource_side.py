"""Resource-based policies of a template: every property listed in
`policy_properties`, EventBridge bus policy statements, and Lambda permissions
turned into the equivalent resource-policy statement."""

from __future__ import annotations

from iamlint.model import Location, Policy, PolicyKind, Unresolved
from iamlint.sources.cloudformation.policy_properties import POLICY_PROPERTIES
from iamlint.sources.cloudformation.template import Resource, Template
from iamlint.sources.document import build_policy
from iamlint.sources.nodes import MAP, SCALAR, SEQ, Node

# Policy-only resources govern another resource, named by this property.
_GOVERNED = {
    "AWS::S3::BucketPolicy": ("Bucket", "AWS::S3::Bucket"),
    "AWS::S3Express::BucketPolicy": ("Bucket", "AWS::S3Express::DirectoryBucket"),
    "AWS::SQS::QueuePolicy": ("Queues", "AWS::SQS::Queue"),
    "AWS::SQS::QueueInlinePolicy": ("Queue", "AWS::SQS::Queue"),
    "AWS::SNS::TopicPolicy": ("Topics", "AWS::SNS::Topic"),
    "AWS::SNS::TopicInlinePolicy": ("TopicArn", "AWS::SNS::Topic"),
    "AWS::SecretsManager::ResourcePolicy": ("SecretId", "AWS::SecretsManager::Secret"),
    "AWS::Lambda::ResourcePolicy": ("ResourceArn", "AWS::Lambda::Function"),
    "AWS::Kinesis::ResourcePolicy": ("ResourceArn", "AWS::Kinesis::Stream"),
    "AWS::CloudTrail::ResourcePolicy": ("ResourceArn", "AWS::CloudTrail::Trail"),
    "AWS::Events::EventBusPolicy": ("EventBusName", "AWS::Events::EventBus"),
    "AWS::MSK::ClusterPolicy": ("ClusterArn", "AWS::MSK::Cluster"),
    "AWS::SSM::ResourcePolicy": ("ResourceArn", "AWS::SSM::Document"),
    "AWS::Lambda::Permission": ("FunctionName", "AWS::Lambda::Function"),
}
# Lambda permission properties that become conditions of the statement.
_PERMISSION_CONDITIONS = (
    ("SourceArn", "ArnLike", "aws:SourceArn"),
    ("SourceAccount", "StringEquals", "aws:SourceAccount"),
    ("PrincipalOrgID", "StringEquals", "aws:PrincipalOrgID"),
    ("FunctionUrlAuthType", "StringEquals", "lambda:FunctionUrlAuthType"),
    ("EventSourceToken", "StringEquals", "lambda:EventSourceToken"),
)
_SERVICE_SUFFIXES = (".amazonaws.com", ".amazonaws.com.cn", ".amazon.com")


def extract_resource_policies(template: Template) -> list[Policy]:
    policies = []
    for resource in template.resources:
        affected = _affected(template, resource)
        if resource.type == "AWS::Lambda::Permission":
            document = permission_document(resource.properties, resource.location)
            policies.append(_policy(document, resource, affected))
            continue
        if resource.type == "AWS::Events::EventBusPolicy":
            statement = resource.get("Statement")
            if statement is not None:
                key = resource.properties.key_node("Statement")
                document = Node(MAP, [(key, statement)], statement.location)
                policies.append(_policy(document, resource, affected))
            continue
        for path in POLICY_PROPERTIES.get(resource.type, ()):
            for node in _at_path(resource.properties, path.split(".")):
                document = template.document(node)
                if document is not None:
                    policies.append(_policy(document, resource, affected))
    return policies


def _policy(document: Node, resource: Resource, affected: tuple[str, ...]) -> Policy:
    return build_policy(
        document,
        PolicyKind.RESOURCE,
        resource=resource.logical_id,
        resource_type=resource.type,
        affected=affected,
    )


def _affected(template: Template, resource: Resource) -> tuple[str, ...]:
    governed = _GOVERNED.get(resource.type)
    if governed is None:
        return (resource.logical_id,)
    prop, kind = governed
    return template.targets(resource.get(prop), kind)


def _at_path(node: Node | None, parts: list[str]) -> list[Node]:
    if node is None:
        return []
    if not parts:
        return [node]
    part = parts[0]
    if part.endswith("[]"):
        found = node.get(part[:-2]) if node.is_map else None
        items = found.value if found is not None and found.is_seq else []
        return [hit for item in items for hit in _at_path(item, parts[1:])]
    return _at_path(node.get(part) if node.is_map else None, parts[1:])


def permission_document(properties: Node, location: Location) -> Node:
    """The statement AWS adds to a function's policy for the (resolved) properties
    of an `AWS::Lambda::Permission`; what is not written is placed at `location`."""

    def key(name: str) -> Node:
        found = properties.key_node(name)
        return found if found is not None else Node(SCALAR, name, location)

    statement: list[tuple[Node, Node]] = [
        (key("Effect"), Node(SCALAR, "Allow", location)),
    ]
    principal = properties.get("Principal")
    if principal is not None:
        statement.append((key("Principal"), _permission_principal(principal)))
    for prop, name in (("Action", "Action"), ("FunctionName", "Resource")):
        value = properties.get(prop)
        if value is not None:
            if prop == "FunctionName":
                value = _function_arn(value)
            statement.append((Node(SCALAR, name, key(prop).location), value))
    conditions: dict[str, list[tuple[Node, Node]]] = {}
    for prop, operator, condition_key in _PERMISSION_CONDITIONS:
        value = properties.get(prop)
        if value is not None:
            located_key = Node(SCALAR, condition_key, key(prop).location)
            conditions.setdefault(operator, []).append((located_key, value))
    if conditions:
        blocks = [
            (Node(SCALAR, operator, pairs[0][0].location), Node(MAP, pairs, pairs[0][1].location))
            for operator, pairs in conditions.items()
        ]
        statement.append((Node(SCALAR, "Condition", location), Node(MAP, blocks, location)))
    located = properties.location if properties.value else location
    statement_node = Node(MAP, statement, located)
    version = Node(SCALAR, "2012-10-17", location)
    return Node(
        MAP,
        [
            (Node(SCALAR, "Version", location), version),
            (Node(SCALAR, "Statement", location), Node(SEQ, [statement_node], located)),
        ],
        located,
    )


def _function_arn(node: Node) -> Node:
    """FunctionName may be a bare name; the statement's Resource is the function's ARN."""
    if node.is_scalar and isinstance(node.value, str) and not node.value.startswith("arn:"):
        account = "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}"
        arn = f"{account}:function:{node.value}"
        return Node(
            SCALAR, Unresolved(arn, "the function's ARN in the deploying account"), node.location
        )
    return node


def _permission_principal(principal: Node) -> Node:
    if principal.is_scalar and principal.value == "*":
        return principal
    by_type: dict[str, list[Node]] = {}
    for item in principal.items():
        value = item.value
        text = value.source if isinstance(value, Unresolved) else value
        kind = "AWS"
        if isinstance(text, str) and text.endswith(_SERVICE_SUFFIXES):
            kind = "Service"
        by_type.setdefault(kind, []).append(item)
    pairs = [
        (Node(SCALAR, kind, items[0].location), Node(SEQ, items, principal.location))
        for kind, items in by_type.items()
    ]
    return Node(MAP, pairs, principal.location)
