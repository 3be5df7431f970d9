"""Resource-side policies: bucket, queue, topic, key, repository, secret, domain,
API, file system, vault, bus, log, Glue and CodeArtifact policies, Lambda
permissions, and any other `policy`/`*_policy` attribute holding a document."""

from __future__ import annotations

from iamlint.model import Location, PolicyKind
from iamlint.sources import raw_policy
from iamlint.sources.nodes import MAP, SCALAR, SEQ, Node
from iamlint.sources.terraform.collect import Collector
from iamlint.sources.terraform.hcl import Block
from iamlint.sources.terraform.identity import HANDLED
from iamlint.sources.terraform.module import Module
from iamlint.sources.terraform.values import decode_document, string_of

# resource type -> (attribute holding the document, attribute naming the governed resource)
RESOURCE_POLICIES: dict[str, tuple[str, str | None]] = {
    "aws_s3_bucket_policy": ("policy", "bucket"),
    "aws_s3_bucket": ("policy", None),
    "aws_s3_access_point": ("policy", None),
    "aws_s3control_access_point_policy": ("policy", "access_point_arn"),
    "aws_s3control_bucket_policy": ("policy", "bucket"),
    "aws_sqs_queue": ("policy", None),
    "aws_sqs_queue_policy": ("policy", "queue_url"),
    "aws_sns_topic": ("policy", None),
    "aws_sns_topic_policy": ("policy", "arn"),
    "aws_kms_key": ("policy", None),
    "aws_kms_key_policy": ("policy", "key_id"),
    "aws_ecr_repository_policy": ("policy", "repository"),
    "aws_ecr_registry_policy": ("policy", None),
    "aws_secretsmanager_secret": ("policy", None),
    "aws_secretsmanager_secret_policy": ("policy", "secret_arn"),
    "aws_opensearch_domain": ("access_policies", None),
    "aws_opensearch_domain_policy": ("access_policies", "domain_name"),
    "aws_elasticsearch_domain": ("access_policies", None),
    "aws_elasticsearch_domain_policy": ("access_policies", "domain_name"),
    "aws_api_gateway_rest_api": ("policy", None),
    "aws_api_gateway_rest_api_policy": ("policy", "rest_api_id"),
    "aws_efs_file_system_policy": ("policy", "file_system_id"),
    "aws_glacier_vault": ("access_policy", None),
    "aws_backup_vault_policy": ("policy", "backup_vault_name"),
    "aws_cloudwatch_event_bus_policy": ("policy", "event_bus_name"),
    "aws_cloudwatch_log_resource_policy": ("policy_document", None),
    "aws_cloudwatch_log_destination_policy": ("access_policy", "destination_name"),
    "aws_glue_resource_policy": ("policy", None),
    "aws_codeartifact_domain_permissions_policy": ("policy_document", "domain"),
    "aws_codeartifact_repository_permissions_policy": ("policy_document", "repository"),
    "aws_vpc_endpoint": ("policy", None),
}


def extract(modules: list[Module], collector: Collector) -> None:
    for module in modules:
        for block in module.resources:
            type_ = block.labels[0]
            if type_ in HANDLED:
                continue
            for address, scope in module.instances(block):
                if type_ == "aws_lambda_permission":
                    _lambda_permission(module, block, address, scope, collector)
                elif type_ in RESOURCE_POLICIES:
                    _known(module, block, type_, address, scope, collector)
                else:
                    _generic(module, block, type_, address, scope, collector)


def _known(
    module: Module, block: Block, type_: str, address: str, scope, collector: Collector
) -> None:
    attribute_name, governed = RESOURCE_POLICIES[type_]
    keys = collector.policy(
        module, block.attribute(attribute_name), PolicyKind.RESOURCE, address, type_, scope=scope
    )
    if governed is not None and block.attribute(governed) is not None:
        with module.evaluator.collecting() as found:
            module.evaluator.attribute(block.attribute(governed), scope)
        collector.reach(keys, *dict.fromkeys(reference.target for reference in found))


def _generic(
    module: Module, block: Block, type_: str, address: str, scope, collector: Collector
) -> None:
    if not type_.startswith("aws_") or type_.startswith("aws_iam_"):
        return
    for name, attribute in block.body.attributes.items():
        if name != "policy" and not name.endswith("_policy") and name != "access_policies":
            continue
        value = module.evaluator.attribute(attribute, scope)
        document = decode_document(value)
        if document is None or not document.is_map or document.get("Statement") is None:
            continue
        kind = raw_policy.classify(document)
        if kind is PolicyKind.TRUST:
            kind = PolicyKind.RESOURCE
        collector.policy(module, attribute, kind, address, type_, value=value)


def _lambda_permission(
    module: Module, block: Block, address: str, scope, collector: Collector
) -> None:
    """A Lambda permission is one resource-policy statement written as attributes."""
    evaluator = module.evaluator

    def value(name: str) -> Node | None:
        attribute = block.attribute(name)
        return evaluator.attribute(attribute, scope) if attribute else None

    header = block.location
    statement: list[tuple[Node, Node]] = [
        (_key("Effect", header), Node(SCALAR, "Allow", header)),
    ]
    principal = value("principal")
    if principal is not None:
        statement.append((_key("Principal", principal.location), _principal(principal)))
    action = value("action")
    if action is not None:
        statement.append((_key("Action", action.location), action))
    function = value("function_name")
    if function is not None:
        statement.append((_key("Resource", function.location), function))
    conditions: list[tuple[Node, Node]] = []
    for attribute, operator, key in (
        ("source_arn", "ArnLike", "aws:SourceArn"),
        ("source_account", "StringEquals", "aws:SourceAccount"),
        ("principal_org_id", "StringEquals", "aws:PrincipalOrgID"),
    ):
        condition = value(attribute)
        if condition is not None:
            entry = Node(MAP, [(_key(key, condition.location), condition)], condition.location)
            conditions.append((_key(operator, condition.location), entry))
    if conditions:
        statement.append(
            (_key("Condition", conditions[0][0].location), _merge_operators(conditions))
        )
    document = Node(
        MAP,
        [
            (_key("Version", header), Node(SCALAR, "2012-10-17", header)),
            (_key("Statement", header), Node(SEQ, [Node(MAP, statement, header)], header)),
        ],
        header,
    )
    collector.policy(
        module, None, PolicyKind.RESOURCE, address, "aws_lambda_permission", value=document
    )
    if block.attribute("function_name") is not None:
        with evaluator.collecting() as found:
            evaluator.attribute(block.attribute("function_name"), scope)
        key = (f"{address}@{document.location}", PolicyKind.RESOURCE)
        collector.reach([key], *dict.fromkeys(reference.target for reference in found))


def _principal(principal: Node) -> Node:
    text = string_of(principal)
    if text == "*":
        return principal
    kind = "Service" if text is not None and text.endswith(".amazonaws.com") else "AWS"
    return Node(MAP, [(_key(kind, principal.location), principal)], principal.location)


def _merge_operators(conditions: list[tuple[Node, Node]]) -> Node:
    merged: dict[object, tuple[Node, list]] = {}
    for operator, entry in conditions:
        merged.setdefault(operator.value, (operator, []))[1].extend(entry.pairs())
    pairs = [(op, Node(MAP, entries, op.location)) for op, entries in merged.values()]
    return Node(MAP, pairs, conditions[0][0].location)


def _key(name: str, location: Location) -> Node:
    return Node(SCALAR, name, location)
