"""Nested blocks as Terraform expands them: static blocks and `dynamic` ones over a
literal collection (one copy per element, the iterator bound in scope)."""

from __future__ import annotations

from dataclasses import dataclass

from iamlint.model import Location
from iamlint.sources.nodes import Node
from iamlint.sources.terraform.expressions import Evaluator
from iamlint.sources.terraform.hcl import Attribute, Body
from iamlint.sources.terraform.module import _object, unknown_iterator
from iamlint.sources.terraform.values import iterate


@dataclass
class Nested:
    """One expanded block: its body, the scope its expressions see, where it is written."""

    body: Body
    scope: dict[str, Node]
    location: Location

    def attribute(self, name: str) -> Attribute | None:
        return self.body.attributes.get(name)

    def value(self, evaluator: Evaluator, name: str) -> Node | None:
        attribute = self.attribute(name)
        return evaluator.attribute(attribute, self.scope) if attribute else None

    def nested(self, evaluator: Evaluator, type_: str) -> list[Nested]:
        return expand(self.body, type_, evaluator, self.scope)


def expand(body: Body, type_: str, evaluator: Evaluator, scope: dict[str, Node]) -> list[Nested]:
    found: list[Nested] = []
    for block in body.blocks:
        if block.type == type_:
            found.append(Nested(block.body, scope, block.location))
        elif block.type == "dynamic" and block.labels == (type_,):
            found.extend(_dynamic(block, type_, evaluator, scope))
    found.sort(key=lambda nested: (nested.location.line, nested.location.column))
    return found


def _dynamic(block, type_: str, evaluator: Evaluator, scope: dict[str, Node]) -> list[Nested]:
    content = next((b for b in block.body.blocks if b.type == "content"), None)
    if content is None:
        return []
    iterator_attribute = block.attribute("iterator")
    iterator = type_
    if iterator_attribute is not None:
        # `iterator = name` is a bare word naming the variable, not a reference
        written = iterator_attribute.file.source(iterator_attribute.expression)
        iterator = written.strip().strip('"') or type_
    for_each = block.attribute("for_each")
    collection = evaluator.attribute(for_each, scope) if for_each else None
    if collection is None or not (collection.is_seq or collection.is_map):
        inner = {**scope, iterator: unknown_iterator(iterator, block.location)}
        return [Nested(content.body, inner, content.location)]
    copies = []
    for key, value in iterate(collection):
        inner = {**scope, iterator: _object({"key": key, "value": value})}
        copies.append(Nested(content.body, inner, content.location))
    return copies
