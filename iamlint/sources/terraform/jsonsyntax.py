"""Terraform's JSON syntax (`.tf.json`) read into the same blocks and attributes as HCL.

Attribute expressions are position-keeping `Node`s instead of HCL trees. In a
`.tf.json` file a string holding `${...}` or `%{...}` is a template, evaluated
like an HCL string; plan values use the same bodies without templates. Without
the provider schemas, a key is read as a nested block when it names one of the
block types the extractors read and holds an object or a list of objects.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from lark.exceptions import LarkError

from iamlint.model import Location, Unresolved
from iamlint.sources import jsonpos
from iamlint.sources.nodes import MAP, SCALAR, SEQ, Node
from iamlint.sources.terraform import templates
from iamlint.sources.terraform.hcl import Attribute, Block, Body, HCLError, SourceFile
from iamlint.sources.terraform.values import Pending

if TYPE_CHECKING:
    from iamlint.sources.terraform.expressions import Evaluator

BLOCK_TYPES = frozenset(
    {
        "statement",
        "principals",
        "not_principals",
        "condition",
        "inline_policy",
        "permissions_boundary",
        "customer_managed_policy_reference",
        "environment",
        "environment_variable",
        "setting",
        "primary_container",
        "container",
        "source_configuration",
        "image_repository",
        "image_configuration",
        "dynamic",
        "content",
    }
)
_NAMED = ("variable", "output", "module", "provider")
_JSON_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|.)")
_JSON_ESCAPES = {"b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}


@dataclass(slots=True)
class Template(Node):
    """A `.tf.json` string that holds `${...}` or `%{...}`, or a JSON document: read as
    a template, it keeps the position of each character."""


def parse(source: SourceFile) -> Body:
    """The top-level blocks of a `.tf.json` file; raise `HCLError` when it is not one."""
    try:
        root = jsonpos.loads(source.text, source.display)
    except jsonpos.JSONPositionError as error:
        raise HCLError(f"invalid JSON: {error.message}", error.line, error.column) from None
    if not root.is_map:
        raise HCLError("a Terraform JSON file holds one object", root.location.line)
    root = _templates(root)
    top = Body()
    for key, value in root.pairs():
        if key.value in ("resource", "data"):
            for type_key, named in _entries(value):
                for name_key, content in _entries(named):
                    labels = (str(type_key.value), str(name_key.value))
                    top.blocks.extend(_blocks(key.value, labels, name_key, content, source))
        elif key.value in _NAMED:
            for name_key, content in _entries(value):
                top.blocks.extend(
                    _blocks(key.value, (str(name_key.value),), name_key, content, source)
                )
        elif key.value in ("locals", "terraform"):
            top.blocks.extend(_blocks(key.value, (), key, value, source))
    return top


def body(node: Node, source: SourceFile) -> Body:
    """A JSON object as a block body; null attributes are left out, as Terraform does."""
    out = Body()
    for key, value in node.pairs():
        name = key.value
        if not isinstance(name, str) or name == "//" or (value.is_scalar and value.value is None):
            continue
        if name == "dynamic" and value.is_map:
            for label, content in _entries(value):
                out.blocks.extend(_blocks(name, (str(label.value),), label, content, source))
        elif name in BLOCK_TYPES and _holds_blocks(value):
            out.blocks.extend(_blocks(name, (), key, value, source))
        else:
            out.attributes[name] = Attribute(name, value, source, _span(key, value))
    return out


def evaluate(evaluator: Evaluator, node: Node, file: SourceFile, scope: dict[str, Node]) -> Node:
    """The value of a JSON-syntax expression."""
    if isinstance(node, Pending):
        for reference in node.references:
            evaluator.record(reference)
        return Node(SCALAR, node.value, node.location)
    if isinstance(node, Template):
        return _template(evaluator, node, file, scope)
    if node.is_map:
        pairs = [(key, evaluate(evaluator, value, file, scope)) for key, value in node.pairs()]
        return Node(MAP, pairs, node.location)
    if node.is_seq:
        return Node(
            SEQ, [evaluate(evaluator, item, file, scope) for item in node.items()], node.location
        )
    return node


def _template(
    evaluator: Evaluator, node: Template, file: SourceFile, scope: dict[str, Node]
) -> Node:
    chars, offsets, end = _string_offsets(file, node.location)
    if chars.startswith("${") and templates.matching_brace(chars, 2) == len(chars) - 1:
        # "${expr}" alone is the value of expr itself, whatever its type
        try:
            tree, fragment = templates.parse_fragment(chars[2:-1], file, offsets[2])
        except (LarkError, StopIteration):
            return Node(SCALAR, Unresolved(chars, "unreadable interpolation"), node.location)
        return evaluator.evaluate(tree, fragment, scope)
    return templates.template(
        chars, offsets, file, evaluator.in_template(scope), node.location, end
    )


def _string_offsets(file: SourceFile, location: Location) -> tuple[str, list[int], int]:
    """A JSON string's characters, the file offset of each, and the offset after it."""
    start = file.offset(location.line, location.column) + 1
    end = file.offset(location.end_line, location.end_column) - 1
    raw = file.text[start:end]
    chars: list[str] = []
    offsets: list[int] = []
    position = 0
    for match in _JSON_ESCAPE.finditer(raw):
        chars.append(raw[position : match.start()])
        offsets.extend(range(start + position, start + match.start()))
        code = match.group(1)
        chars.append(chr(int(code[1:], 16)) if len(code) > 1 else _JSON_ESCAPES.get(code, code))
        offsets.append(start + match.start())
        position = match.end()
    chars.append(raw[position:])
    offsets.extend(range(start + position, end))
    return "".join(chars), offsets, end + 1


def _templates(node: Node) -> Node:
    if node.is_map:
        return Node(MAP, [(key, _templates(value)) for key, value in node.pairs()], node.location)
    if node.is_seq:
        return Node(SEQ, [_templates(item) for item in node.items()], node.location)
    if isinstance(node.value, str) and (
        "${" in node.value or "%{" in node.value or node.value.lstrip().startswith("{")
    ):
        return Template(SCALAR, node.value, node.location)
    return node


def _entries(node: Node) -> list[tuple[Node, Node]]:
    """The (key, value) pairs of an object, or of each object in a list of them."""
    return [pair for item in node.items() for pair in item.pairs()]


def _holds_blocks(node: Node) -> bool:
    return node.is_map or (node.is_seq and all(item.is_map for item in node.items()))


def _blocks(
    type_: str, labels: tuple[str, ...], key: Node, content: Node, source: SourceFile
) -> list[Block]:
    return [
        Block(type_, labels, body(item, source), source, key.location, _span(key, item))
        for item in content.items()
        if item.is_map
    ]


def _span(key: Node, value: Node) -> Location:
    start, end = key.location, value.location
    return Location(start.file, start.line, start.column, end.end_line, end.end_column)
