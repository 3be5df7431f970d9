"""Compute configuration (environment variables, user data, container
definitions, build settings, outputs) kept with the references each value is
built from, and every literal string with the name it is assigned to."""

from __future__ import annotations

from lark import Tree

from iamlint.model import Compute, ComputeValue, Element, KeyedLiteral, Reference
from iamlint.sources.nodes import Node
from iamlint.sources.terraform.blocks import Nested, expand
from iamlint.sources.terraform.collect import Collector
from iamlint.sources.terraform.hcl import Attribute, Block, Body, SourceFile
from iamlint.sources.terraform.jsonsyntax import Template
from iamlint.sources.terraform.module import Module
from iamlint.sources.terraform.values import Pending, Text, readable

# resource type -> paths of the attributes that reach the running code; a path
# "a.b" is attribute b inside nested block a
COMPUTE: dict[str, tuple[str, ...]] = {
    "aws_lambda_function": ("environment.variables",),
    "aws_instance": ("user_data", "user_data_base64"),
    "aws_launch_template": ("user_data",),
    "aws_launch_configuration": ("user_data", "user_data_base64"),
    "aws_ecs_task_definition": ("container_definitions",),
    "aws_batch_job_definition": ("container_properties", "node_properties"),
    "aws_codebuild_project": ("environment.environment_variable",),
    "aws_elastic_beanstalk_environment": ("setting",),
    "aws_glue_job": ("default_arguments",),
    "aws_sagemaker_model": ("primary_container.environment", "container.environment"),
    "aws_emr_cluster": ("configurations_json",),
    "aws_apprunner_service": (
        "source_configuration.image_repository.image_configuration.runtime_environment_variables",
    ),
}


def extract(modules: list[Module], collector: Collector) -> None:
    for module in modules:
        for block in module.resources:
            paths = COMPUTE.get(block.labels[0])
            if paths is None:
                continue
            for address, scope in module.instances(block):
                values: list[ComputeValue] = []
                for path in paths:
                    values.extend(_path(module, block.body, path.split("."), scope, path))
                if values:
                    collector.compute.append(
                        Compute(address, block.labels[0], block.location, tuple(values))
                    )
        for name, block in module.outputs.items():
            value = block.attribute("value")
            if value is not None:
                values = list(_values(module, value, {}, "value"))
                address = f"{module.prefix}output.{name}"
                collector.compute.append(Compute(address, "output", block.location, tuple(values)))
        for module_block in module.all_blocks():
            _literals(module, module_block, collector)
        for name, attribute in module.locals.items():
            _literal_values(module, name, attribute, None, collector)


def _path(module: Module, body: Body, parts: list[str], scope, path: str) -> list[ComputeValue]:
    head, rest = parts[0], parts[1:]
    if not rest:
        attribute = body.attributes.get(head)
        if attribute is not None:
            return list(_values(module, attribute, scope, path))
        return [
            value
            for nested in expand(body, head, module.evaluator, scope)
            for value in _setting(module, nested, path)
        ]
    found = []
    for nested in expand(body, head, module.evaluator, scope):
        found.extend(_path(module, nested.body, rest, nested.scope, path))
    return found


def _setting(module: Module, nested: Nested, path: str) -> list[ComputeValue]:
    """A `{ name = ..., value = ... }` block (CodeBuild variables, Beanstalk settings)."""
    value = nested.attribute("value")
    if value is None:
        return []
    name = nested.value(module.evaluator, "name")
    label = readable(name) if name is not None else "value"
    return list(_values(module, value, nested.scope, f"{path}.{label}"))


def _values(module: Module, attribute: Attribute, scope, path: str):
    """One value per key when the expression is an object literal, else one."""
    entries = _object_entries(_inner(attribute.expression), attribute.file)
    if entries is not None:
        for key, value_tree in entries:
            yield _value(module, value_tree, attribute, scope, f"{path}.{key}")
        return
    yield _value(module, attribute.expression, attribute, scope, path)


def _value(
    module: Module, tree: Tree | Node, attribute: Attribute, scope, path: str
) -> ComputeValue:
    evaluator = module.evaluator
    with evaluator.collecting() as found:
        value = evaluator.evaluate(tree, attribute.file, scope)
    return ComputeValue(
        path,
        attribute.file.location(tree),
        readable(value),
        tuple(_unique(found)),
    )


def _unique(references: list[Reference]) -> list[Reference]:
    return list(dict.fromkeys(references))


def _object_entries(
    expression: Tree | Node, file: SourceFile
) -> list[tuple[str, Tree | Node]] | None:
    """The (key, value expression) pairs of an object written literally, else None."""
    if isinstance(expression, Node):
        return [(str(k.value), v) for k, v in expression.pairs()] if expression.is_map else None
    if expression.data != "object":
        return None
    entries = []
    for element in (
        c for c in expression.children if isinstance(c, Tree) and c.data == "object_elem"
    ):
        key_tree, value_tree = (c for c in element.children if isinstance(c, Tree))
        entries.append((file.source(key_tree).strip().strip('"'), value_tree))
    return entries


def _tuple_items(expression: Tree | Node) -> list[Tree | Node] | None:
    if isinstance(expression, Node):
        return expression.items() if expression.is_seq else None
    if expression.data != "tuple":
        return None
    return [c for c in expression.children if isinstance(c, Tree)]


def _inner(tree: Tree | Node) -> Tree | Node:
    if isinstance(tree, Node):
        return tree
    while tree.data == "expr_term":
        children = [c for c in tree.children if isinstance(c, Tree)]
        if len(children) != 1:
            break
        tree = children[0]
    return tree


def _literals(module: Module, block: Block, collector: Collector) -> None:
    resource = module.address(block) if block.type in ("resource", "data") else None
    if block.type == "variable" and block.labels:
        default = block.attribute("default")
        if default is not None:
            _literal_values(module, block.labels[0], default, resource, collector)
        return
    if block.type == "output" and block.labels:
        resource = f"{module.prefix}output.{block.labels[0]}"
    _body_literals(module, block.body, resource, collector)


def _body_literals(module: Module, body: Body, resource: str | None, collector: Collector) -> None:
    for name, attribute in body.attributes.items():
        _literal_values(module, name, attribute, resource, collector)
    for nested in body.blocks:
        _body_literals(module, nested.body, resource, collector)


def _literal_values(
    module: Module, key: str, attribute: Attribute, resource: str | None, collector: Collector
) -> None:
    expression = _inner(attribute.expression)
    entries = _object_entries(expression, attribute.file)
    if entries is not None:
        for name, value_tree in entries:
            _literal(module, name, _inner(value_tree), attribute, resource, collector)
        return
    items = _tuple_items(expression)
    if items is not None:
        for item in items:
            _literal(module, key, _inner(item), attribute, resource, collector)
        return
    _literal(module, key, expression, attribute, resource, collector)


def _literal(
    module: Module,
    key: str,
    tree: Tree | Node,
    attribute: Attribute,
    resource: str | None,
    collector: Collector,
) -> None:
    if isinstance(tree, Node):
        # a template or a value known only after apply is not a literal
        if isinstance(tree.value, str) and not isinstance(tree, (Template, Pending)):
            collector.literals.append(
                KeyedLiteral(key, Element(tree.value, tree.location), resource)
            )
        return
    if tree.data not in ("string", "heredoc_template", "heredoc_template_trim"):
        return
    value: Node = module.evaluator.evaluate(tree, attribute.file)
    if isinstance(value, Text) and isinstance(value.value, str) and not value.pieces:
        collector.literals.append(
            KeyedLiteral(key, Element(value.value, attribute.file.location(tree)), resource)
        )
