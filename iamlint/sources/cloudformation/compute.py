"""Values that flow into compute configuration (environment variables, user data,
container definitions...) and stack outputs, each kept with the references it is
built from so an access key can be traced into it; and the template's literal
strings with their keys, for hard-coded credential detection."""

from __future__ import annotations

import re

from iamlint.model import Compute, ComputeValue, Element, KeyedLiteral, Reference
from iamlint.sources.cloudformation.intrinsics import PSEUDO_PARAMETERS, intrinsic
from iamlint.sources.cloudformation.template import Resource, Template
from iamlint.sources.nodes import Node

# Where each compute resource keeps the values it hands to running code.
COMPUTE_PATHS: dict[str, tuple[str, ...]] = {
    "AWS::Lambda::Function": ("Environment",),
    "AWS::Serverless::Function": ("Environment",),
    "AWS::EC2::Instance": ("UserData",),
    "AWS::EC2::LaunchTemplate": ("LaunchTemplateData.UserData",),
    "AWS::AutoScaling::LaunchConfiguration": ("UserData",),
    "AWS::ECS::TaskDefinition": ("ContainerDefinitions",),
    "AWS::Batch::JobDefinition": ("ContainerProperties", "EksProperties", "NodeProperties"),
    "AWS::CodeBuild::Project": ("Environment",),
    "AWS::ElasticBeanstalk::Environment": ("OptionSettings",),
    "AWS::ElasticBeanstalk::ConfigurationTemplate": ("OptionSettings",),
    "AWS::Glue::Job": ("DefaultArguments",),
    "AWS::EMR::Cluster": ("Configurations",),
    "AWS::SageMaker::Model": ("PrimaryContainer", "Containers"),
    "AWS::SageMaker::NotebookInstanceLifecycleConfig": ("OnCreate", "OnStart"),
    "AWS::AppRunner::Service": ("SourceConfiguration",),
}
# Where each compute resource names the role its code runs as...
_ROLE_PATHS: dict[str, tuple[str, ...]] = {
    "AWS::Lambda::Function": ("Role",),
    "AWS::Serverless::Function": ("Role",),
    "AWS::ECS::TaskDefinition": ("TaskRoleArn",),
    "AWS::Batch::JobDefinition": ("ContainerProperties.JobRoleArn",),
    "AWS::CodeBuild::Project": ("ServiceRole",),
    "AWS::Glue::Job": ("Role",),
    "AWS::SageMaker::Model": ("ExecutionRoleArn",),
    "AWS::AppRunner::Service": ("InstanceConfiguration.InstanceRoleArn",),
}
# ...or the instance profile (by name or ARN) that carries that role.
_PROFILE_PATHS: dict[str, tuple[str, ...]] = {
    "AWS::EC2::Instance": ("IamInstanceProfile",),
    "AWS::EC2::LaunchTemplate": (
        "LaunchTemplateData.IamInstanceProfile.Arn",
        "LaunchTemplateData.IamInstanceProfile.Name",
    ),
    "AWS::AutoScaling::LaunchConfiguration": ("IamInstanceProfile",),
    "AWS::EMR::Cluster": ("JobFlowRole",),
}
ROLE = "AWS::IAM::Role"
INSTANCE_PROFILE = "AWS::IAM::InstanceProfile"
# Instance metadata read by cfn-init, which may carry credentials too.
_METADATA_KEYS = ("AWS::CloudFormation::Authentication", "AWS::CloudFormation::Init")
_SUB_VARIABLE = re.compile(r"\$\{([^}!][^}]*)\}")
_NAME_KEYS = ("Name", "OptionName", "Key")
_VALUE_KEYS = ("Value", "ValueFrom")


def extract_compute(template: Template) -> list[Compute]:
    computes = []
    for resource in template.resources:
        values: list[ComputeValue] = []
        for path in COMPUTE_PATHS.get(resource.type, ()):
            node = _at(resource.raw_properties, path.split("."))
            if node is not None:
                values.extend(_values(template, node, path))
        metadata = resource.node.get("Metadata")
        for key in _METADATA_KEYS:
            node = metadata.get(key) if metadata is not None and metadata.is_map else None
            if node is not None:
                values.extend(_values(template, node, f"Metadata.{key}"))
        roles = _roles(template, resource)
        if values or roles:
            computes.append(
                Compute(resource.logical_id, resource.type, resource.location, tuple(values), roles)
            )
    outputs = template.root.get("Outputs")
    for key, output in outputs.pairs() if outputs is not None else ():
        value = output.get("Value") if output.is_map else None
        if value is not None:
            computes.append(
                Compute(
                    str(key.value),
                    "AWS::CloudFormation::Output",
                    key.location,
                    tuple(_values(template, value, "Value")),
                )
            )
    return computes


def _roles(template: Template, resource: Resource) -> tuple[str, ...]:
    """The roles (logical ids, else as written) the resource's code runs as; a
    serverless function without `Role` runs as the role SAM generates for it, which
    the model names after the function. An instance profile declared outside the
    template carries a role the model cannot know."""
    roles: list[str] = []
    for path in _ROLE_PATHS.get(resource.type, ()):
        node = _at(resource.properties, path.split("."))
        if node is not None:
            roles.extend(template.targets(node, ROLE))
        elif resource.type == "AWS::Serverless::Function":
            roles.append(resource.logical_id)
    for path in _PROFILE_PATHS.get(resource.type, ()):
        node = _at(resource.properties, path.split("."))
        for name in template.targets(node, INSTANCE_PROFILE):
            profile = template.by_id.get(name)
            if profile is not None and profile.type == INSTANCE_PROFILE:
                roles.extend(template.targets(profile.get("Roles"), ROLE))
    return tuple(dict.fromkeys(roles))


def _at(node: Node | None, parts: list[str]) -> Node | None:
    for part in parts:
        node = node.get(part) if node is not None and node.is_map else None
    return node


def _values(template: Template, node: Node, path: str) -> list[ComputeValue]:
    """One value per leaf; an intrinsic function is a leaf, and a {Name, Value}
    pair (ECS, CodeBuild, Beanstalk) is named after its Name."""
    if intrinsic(node) is not None or node.is_scalar:
        text, _ = template.resolver.text(node)
        references = tuple(_references(template, node, ()))
        return [ComputeValue(path, node.location, text, references)]
    if node.is_map:
        named = _named_value(node)
        if named is not None:
            return _values(template, named[1], f"{path}.{named[0]}")
        return [
            v for key, item in node.pairs() for v in _values(template, item, f"{path}.{key.value}")
        ]
    values = []
    for index, item in enumerate(node.value):
        named = _named_value(item) if item.is_map else None
        if named is not None:
            values.extend(_values(template, named[1], f"{path}.{named[0]}"))
        else:
            values.extend(_values(template, item, f"{path}[{index}]"))
    return values


def _named_value(node: Node) -> tuple[str, Node] | None:
    name = next((node.get(k) for k in _NAME_KEYS if node.get(k) is not None), None)
    value = next((node.get(k) for k in _VALUE_KEYS if node.get(k) is not None), None)
    if name is not None and value is not None and name.is_scalar:
        return str(name.value), value
    return None


def _references(template: Template, node: Node, via: tuple[str, ...]):
    """Every parameter, resource or attribute a value is built from."""
    call = intrinsic(node)
    if call is None:
        for child in node.value if node.is_seq else [v for _, v in node.pairs()]:
            yield from _references(template, child, via)
        return
    name, argument = call
    if name == "Ref":
        if argument.is_scalar and isinstance(argument.value, str):
            yield _reference(template, argument.value, "", via)
    elif name == "Fn::GetAtt":
        parts = (
            argument.value.split(".", 1)
            if argument.is_scalar
            else [i.value for i in argument.items()]
        )
        if len(parts) == 2 and all(isinstance(p, str) for p in parts):
            yield _reference(template, parts[0], parts[1], via)
    elif name == "Fn::Sub":
        text = argument.value[0] if argument.is_seq and argument.value else argument
        variables = argument.value[1] if argument.is_seq and len(argument.value) > 1 else None
        local = set(variables.keys()) if variables is not None and variables.is_map else set()
        if text.is_scalar and isinstance(text.value, str):
            for match in _SUB_VARIABLE.finditer(text.value):
                target, _, attribute = match.group(1).partition(".")
                if target not in local and target not in PSEUDO_PARAMETERS:
                    yield _reference(template, target, attribute, (*via, name))
        if variables is not None:
            for key, value in variables.pairs():
                yield from _references(template, value, (*via, name, str(key.value)))
    else:
        yield from _references(template, argument, (*via, name))


def _reference(template: Template, target: str, attribute: str, via: tuple[str, ...]) -> Reference:
    return Reference(target, attribute, is_input=target in template.resolver.parameters, via=via)


def extract_literals(template: Template) -> list[KeyedLiteral]:
    """Every literal string with the nearest key it is assigned to, and the
    resource it belongs to."""
    literals: list[KeyedLiteral] = []
    resources = template.root.get("Resources")
    for key, value in template.root.pairs():
        if value is resources:
            for logical_id, resource in resources.pairs():
                _collect(resource, str(logical_id.value), str(logical_id.value), literals)
        else:
            _collect(value, str(key.value), None, literals)
    return literals


def _collect(node: Node, key: str, resource: str | None, literals: list[KeyedLiteral]) -> None:
    stack = [(node, key)]
    while stack:
        current, current_key = stack.pop()
        if current.is_scalar:
            if isinstance(current.value, str) and current.value:
                literals.append(
                    KeyedLiteral(current_key, Element(current.value, current.location), resource)
                )
        elif current.is_seq:
            stack.extend((item, current_key) for item in reversed(current.value))
        else:
            name = next((current.get(k) for k in _NAME_KEYS if current.get(k) is not None), None)
            pair_key = str(name.value) if name is not None and name.is_scalar else None
            for child_key, child in reversed(current.value):
                text = str(child_key.value)
                if intrinsic(current) is not None:
                    text = current_key  # a function argument keeps the key it is assigned to
                elif pair_key is not None and text in _VALUE_KEYS:
                    text = pair_key
                stack.append((child, text))
