"""`data "aws_iam_policy_document"`: its blocks as the JSON-shaped document AWS
receives, each element at the HCL token it is written at."""

from __future__ import annotations

from typing import TYPE_CHECKING

from iamlint.model import Location
from iamlint.sources.nodes import MAP, SCALAR, SEQ, Node
from iamlint.sources.terraform.blocks import Nested, expand
from iamlint.sources.terraform.hcl import Block
from iamlint.sources.terraform.values import (
    Document,
    decode_document,
    encode,
    flatten_choices,
    string_of,
)

if TYPE_CHECKING:
    from iamlint.sources.terraform.module import Module

_LISTS = (
    ("actions", "Action"),
    ("not_actions", "NotAction"),
    ("resources", "Resource"),
    ("not_resources", "NotResource"),
)


def build_document(block: Block, module: Module, address: str) -> Document:
    evaluator = module.evaluator
    header = block.location
    version = _value(block, "version", module) or Node(SCALAR, "2012-10-17", header)
    policy_id = _value(block, "policy_id", module)
    statements: list[Node] = []
    for source in _documents(block, "source_policy_documents", module):
        statements.extend(_statements_of(source))
    for statement in expand(block.body, "statement", evaluator, {}):
        _merge(statements, _statement(statement, module))
    for override in _documents(block, "override_policy_documents", module):
        for statement in _statements_of(override):
            _merge(statements, statement)
    pairs = [(_key("Version", version.location), version)]
    if policy_id is not None:
        pairs.append((_key("Id", policy_id.location), policy_id))
    pairs.append((_key("Statement", header), Node(SEQ, statements, header)))
    document = Node(MAP, pairs, header)
    encoded = encode(document, header)
    return Document(
        SCALAR,
        encoded.value,
        header,
        document=document,
        origin=address,
        origin_type="aws_iam_policy_document",
    )


def _value(block: Block, name: str, module: Module) -> Node | None:
    attribute = block.attribute(name)
    return module.evaluator.attribute(attribute) if attribute else None


def _documents(block: Block, name: str, module: Module) -> list[Node]:
    value = _value(block, name, module)
    if value is None:
        return []
    documents = []
    for item in flatten_choices(value.items()):
        decoded = decode_document(item)
        if decoded is not None and decoded.is_map:
            documents.append(decoded)
    return documents


def _statements_of(document: Node) -> list[Node]:
    statement = document.get("Statement")
    return [item for item in statement.items() if item.is_map] if statement else []


def _merge(statements: list[Node], statement: Node) -> None:
    """A statement with a Sid replaces the earlier one with that Sid, as the provider does."""
    sid = statement.get("Sid")
    sid_text = string_of(sid) if sid is not None else None
    if sid_text:
        for index, existing in enumerate(statements):
            existing_sid = existing.get("Sid")
            if existing_sid is not None and string_of(existing_sid) == sid_text:
                statements[index] = statement
                return
    statements.append(statement)


def _statement(statement: Nested, module: Module) -> Node:
    evaluator = module.evaluator
    pairs: list[tuple[Node, Node]] = []
    sid = statement.attribute("sid")
    if sid is not None:
        pairs.append((_key("Sid", sid.location), evaluator.attribute(sid, statement.scope)))
    effect = statement.attribute("effect")
    if effect is not None:
        pairs.append(
            (_key("Effect", effect.location), evaluator.attribute(effect, statement.scope))
        )
    else:
        pairs.append(
            (_key("Effect", statement.location), Node(SCALAR, "Allow", statement.location))
        )
    for attribute_name, key in _LISTS:
        attribute = statement.attribute(attribute_name)
        if attribute is not None:
            value = evaluator.attribute(attribute, statement.scope)
            items = flatten_choices(value.items())
            pairs.append((_key(key, attribute.location), Node(SEQ, items, value.location)))
    for block_name, key in (("principals", "Principal"), ("not_principals", "NotPrincipal")):
        principals = statement.nested(evaluator, block_name)
        if principals:
            pairs.append((_key(key, principals[0].location), _principals(principals, module)))
    conditions = statement.nested(evaluator, "condition")
    if conditions:
        pairs.append((_key("Condition", conditions[0].location), _conditions(conditions, module)))
    return Node(MAP, pairs, statement.location)


def _principals(blocks: list[Nested], module: Module) -> Node:
    by_type: dict[object, tuple[Node, list[Node]]] = {}
    for block in blocks:
        type_ = block.value(module.evaluator, "type")
        identifiers = block.value(module.evaluator, "identifiers")
        if type_ is None or identifiers is None:
            continue
        items = flatten_choices(identifiers.items())
        if type_.value == "*":
            # type "*" with identifiers ["*"] is how the provider writes Principal "*"
            return Node(SCALAR, "*", items[0].location if items else type_.location)
        key = type_.value if type_.is_scalar else str(type_.value)
        if key not in by_type:
            by_type[key] = (Node(SCALAR, key, type_.location), [])
        by_type[key][1].extend(items)
    pairs = [(key, Node(SEQ, items, key.location)) for key, items in by_type.values()]
    location = blocks[0].location
    return Node(MAP, pairs, location)


def _conditions(blocks: list[Nested], module: Module) -> Node:
    operators: dict[object, tuple[Node, list[tuple[Node, Node]]]] = {}
    for block in blocks:
        test = block.value(module.evaluator, "test")
        variable = block.value(module.evaluator, "variable")
        values = block.value(module.evaluator, "values")
        if test is None or variable is None or values is None:
            continue
        key = test.value
        if key not in operators:
            operators[key] = (test, [])
        items = flatten_choices(values.items())
        operators[key][1].append((variable, Node(SEQ, items, values.location)))
    pairs = [(test, Node(MAP, entries, test.location)) for test, entries in operators.values()]
    return Node(MAP, pairs, blocks[0].location)


def _key(name: str, location: Location) -> Node:
    return Node(SCALAR, name, location)
