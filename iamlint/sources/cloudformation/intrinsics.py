"""Resolve CloudFormation intrinsic functions in a `Node` tree, as far as a careful
reader could without deploying the stack.

`Ref` to a parameter with a `Default`, `Fn::Sub`, `Fn::Join`, `Fn::Select`,
`Fn::Split`, `Fn::FindInMap` over literal mappings and `Fn::Base64` are
evaluated. Pseudo parameters, resource attributes, imports and parameters
without a default become `Unresolved` values whose source keeps readable
`${...}` text, so that `arn:${AWS::Partition}:iam::aws:policy/X` stays
recognisable. `Fn::If` yields both branches; `AWS::NoValue` removes the element.
"""

from __future__ import annotations

import json
import re

from iamlint.model import Element, Location, Unresolved
from iamlint.sources.nodes import MAP, SCALAR, SEQ, Choice, Conditional, Node

PSEUDO_PARAMETERS = frozenset(
    {
        "AWS::AccountId",
        "AWS::NotificationARNs",
        "AWS::Partition",
        "AWS::Region",
        "AWS::StackId",
        "AWS::StackName",
        "AWS::URLSuffix",
    }
)
NO_VALUE = "AWS::NoValue"
_SUB_VARIABLE = re.compile(r"\$\{([^}]*)\}")
_LIST_TYPES = ("CommaDelimitedList", "List<")


def intrinsic(node: Node) -> tuple[str, Node] | None:
    """(function name, argument) if `node` is an intrinsic function call."""
    if node.is_map and len(node.value) == 1:
        key, value = node.value[0]
        if key.value == "Ref" or (isinstance(key.value, str) and key.value.startswith("Fn::")):
            return key.value, value
    return None


class Resolver:
    """Evaluates intrinsics against one template's parameters and mappings."""

    def __init__(self, template: Node) -> None:
        self.parameters: dict[str, Node] = {}
        self.resources: set[str] = set()
        parameters = template.get("Parameters")
        for key, value in parameters.pairs() if parameters is not None else ():
            if isinstance(key.value, str):
                self.parameters[key.value] = value
        resources = template.get("Resources")
        self.resources = set(resources.keys()) if resources is not None else set()
        mappings = template.get("Mappings")
        self.mappings = mappings if mappings is not None and mappings.is_map else None

    def resolve(self, node: Node) -> Node | None:
        """The resolved tree; None when the whole value is `AWS::NoValue`."""
        return combine(self.values(node), node.location)

    def values(self, node: Node) -> list[Node]:
        """Every value `node` may take: none (removed), one, or each branch of `Fn::If`."""
        call = intrinsic(node)
        if call is not None:
            return self._call(node, *call)
        if node.is_map:
            pairs = []
            for key, value in node.value:
                resolved = combine(self.values(value), value.location)
                if resolved is not None:
                    pairs.append((key, resolved))
            return [Node(MAP, pairs, node.location)]
        if node.is_seq:
            items = [value for item in node.value for value in self.values(item)]
            return [Node(SEQ, items, node.location)]
        return [node]

    def text(self, node: Node) -> tuple[str, bool]:
        """The value as text for string building, and whether it is fully known."""
        resolved = self.resolve(node)
        if resolved is None:
            return "", True
        if resolved.is_scalar:
            value = resolved.value
            if isinstance(value, Unresolved):
                return value.source, False
            if isinstance(value, bool):
                return ("true" if value else "false"), True
            return ("" if value is None else str(value)), True
        return _render(resolved.to_python()), False

    def _call(self, node: Node, name: str, argument: Node) -> list[Node]:
        location = node.location
        if name == "Ref":
            return self._ref(argument, location)
        if name == "Fn::If":
            return self._if(argument)
        if name == "Fn::Base64":
            return self.values(argument)
        if name == "Fn::Sub":
            return [self._sub(argument, location)]
        if name == "Fn::Join":
            return [self._join(argument, location)]
        if name == "Fn::Split":
            return [self._split(argument, location)]
        if name == "Fn::Select":
            return self._select(argument, location)
        if name == "Fn::FindInMap":
            return self._find_in_map(node, argument, location)
        if name == "Fn::GetAtt":
            return [
                _unresolved(
                    "${" + _getatt_name(self, argument) + "}", "a resource attribute", location
                )
            ]
        if name == "Fn::ImportValue":
            text, _ = self.text(argument)
            return [
                _unresolved(
                    f"Fn::ImportValue({text})", "a value exported by another stack", location
                )
            ]
        return [_unresolved(_render(node.to_python()), f"{name} is not evaluated", location)]

    def _if(self, argument: Node) -> list[Node]:
        """Both branches, every map in them marked as deployed only under the condition (a
        statement, document or policy that the condition may remove is not certain to
        apply)."""
        items = argument.items() if argument.is_seq else []
        condition = items[0].value if items and isinstance(items[0].value, str) else "?"
        return [
            deployed_under(value, frozenset({(condition, holds)}))
            for holds, branch in zip((True, False), items[1:3], strict=False)
            for value in self.values(branch)
        ]

    def _ref(self, argument: Node, location: Location) -> list[Node]:
        name = argument.value if argument.is_scalar else None
        if name == NO_VALUE:
            return []
        if not isinstance(name, str):
            return [_unresolved(_render({"Ref": argument.to_python()}), "an invalid Ref", location)]
        parameter = self.parameters.get(name)
        if parameter is not None:
            default = parameter.get("Default")
            if default is None or not default.is_scalar:
                return [
                    _unresolved("${" + name + "}", f"parameter {name} has no default", location)
                ]
            text = _plain(default.value)
            kind = parameter.get("Type")
            if kind is not None and str(kind.value).startswith(_LIST_TYPES):
                parts = [Node(SCALAR, part.strip(), location) for part in text.split(",")]
                return [Node(SEQ, parts, location)]
            return [Node(SCALAR, text, location)]
        if name in PSEUDO_PARAMETERS:
            return [_unresolved("${" + name + "}", "a pseudo parameter", location)]
        return [_unresolved("${" + name + "}", f"a reference to resource {name}", location)]

    def _sub(self, argument: Node, location: Location) -> Node:
        variables: dict[str, Node] = {}
        template = argument
        if argument.is_seq and argument.value:
            template = argument.value[0]
            if len(argument.value) > 1 and argument.value[1].is_map:
                variables = {str(k.value): v for k, v in argument.value[1].pairs()}
        if not (template.is_scalar and isinstance(template.value, str)):
            return _unresolved(
                _render({"Fn::Sub": argument.to_python()}), "an invalid Fn::Sub", location
            )
        known = True

        def replace(match: re.Match) -> str:
            nonlocal known
            name = match.group(1)
            if name.startswith("!"):
                return "${" + name[1:] + "}"
            if name in variables:
                text, is_known = self.text(variables[name])
            else:
                text, is_known = self._sub_variable(name, location)
            known = known and is_known
            return text

        text = _SUB_VARIABLE.sub(replace, template.value)
        if known:
            return Node(SCALAR, text, template.location)
        return _unresolved(text, "built from values known only at deployment", template.location)

    def _sub_variable(self, name: str, location: Location) -> tuple[str, bool]:
        parameter = self.parameters.get(name)
        if parameter is not None:
            return self.text(
                Node(MAP, [(Node(SCALAR, "Ref", location), Node(SCALAR, name, location))], location)
            )
        return "${" + name + "}", False

    def _join(self, argument: Node, location: Location) -> Node:
        if not (argument.is_seq and len(argument.value) == 2):
            return _unresolved(
                _render({"Fn::Join": argument.to_python()}), "an invalid Fn::Join", location
            )
        delimiter, _ = self.text(argument.value[0])
        parts = self.resolve(argument.value[1])
        if parts is None or not parts.is_seq:
            text, _ = self.text(argument.value[1])
            return _unresolved(
                f"Fn::Join({delimiter!r}, {text})",
                "joins a list known only at deployment",
                location,
            )
        texts = [self.text(part) for part in parts.value]
        joined = delimiter.join(text for text, _ in texts)
        if all(known for _, known in texts):
            return Node(SCALAR, joined, location)
        return _unresolved(joined, "built from values known only at deployment", location)

    def _split(self, argument: Node, location: Location) -> Node:
        if argument.is_seq and len(argument.value) == 2:
            delimiter, known_delimiter = self.text(argument.value[0])
            source, known_source = self.text(argument.value[1])
            if known_delimiter and known_source and delimiter:
                return Node(
                    SEQ,
                    [Node(SCALAR, part, location) for part in source.split(delimiter)],
                    location,
                )
        return _unresolved(
            _render({"Fn::Split": argument.to_python()}),
            "splits a value known only at deployment",
            location,
        )

    def _select(self, argument: Node, location: Location) -> list[Node]:
        if argument.is_seq and len(argument.value) == 2:
            index, known = self.text(argument.value[0])
            items = self.resolve(argument.value[1])
            if (
                known
                and index.isdigit()
                and items is not None
                and items.is_seq
                and int(index) < len(items.value)
            ):
                return [items.value[int(index)]]
        return [
            _unresolved(
                _render({"Fn::Select": argument.to_python()}),
                "selects from a list known only at deployment",
                location,
            )
        ]

    def _find_in_map(self, node: Node, argument: Node, location: Location) -> list[Node]:
        if self.mappings is not None and argument.is_seq and len(argument.value) >= 3:
            keys = [self.text(item) for item in argument.value[:3]]
            if all(known for _, known in keys):
                found: Node | None = self.mappings
                for key, _ in keys:
                    found = found.get(key) if found is not None and found.is_map else None
                if found is not None:
                    return self.values(found)
        return [
            _unresolved(
                _render(node.to_python()), "a mapping lookup known only at deployment", location
            )
        ]


def combine(values: list[Node], location: Location) -> Node | None:
    """One node for a list of alternatives: the value itself when there is one,
    maps merged key by key, anything else as a list holding every alternative."""
    unique: list[Node] = []
    for value in values:
        if value.is_scalar and any(u.is_scalar and u.value == value.value for u in unique):
            continue
        unique.append(value)
    if not unique:
        return None
    if len(unique) == 1:
        return unique[0]
    if all(value.is_map for value in unique):
        keys: dict[object, Node] = {}
        grouped: dict[object, list[Node]] = {}
        for value in unique:
            for key, item in value.value:
                keys.setdefault(key.value, key)
                grouped.setdefault(key.value, []).append(item)
        pairs = []
        for name, items in grouped.items():
            merged = combine(items, items[0].location)
            if merged is not None:
                pairs.append((keys[name], merged))
        # A map merged from the branches of an Fn::If is neither branch: it carries what
        # each requires (contradictory requirements: never relied on as deployed).
        requires = frozenset().union(*(v.requires for v in unique if isinstance(v, Conditional)))
        if requires:
            return Conditional(MAP, pairs, location, requires)
        return Node(MAP, pairs, location)
    items = [item for value in unique for item in (value.value if value.is_seq else [value])]
    if all(value.is_scalar for value in unique):
        source = " or ".join(Element(item.value, item.location).text for item in unique)
        return Choice(SEQ, items, location, source)
    return Node(SEQ, items, location)


def deployed_under(node: Node, requires: frozenset[tuple[str, bool]]) -> Node:
    """`node` with every map in it marked as deployed only when the conditions have these
    values (added to what an inner Fn::If already requires); so is a string that may be a
    JSON policy document, for `Template.document` to pass the mark on."""
    inner = node.requires if isinstance(node, Conditional) else frozenset()
    if node.is_map:
        pairs = [(key, deployed_under(value, requires)) for key, value in node.value]
        return Conditional(MAP, pairs, node.location, inner | requires)
    if node.is_seq and not isinstance(node, Choice):
        return Node(SEQ, [deployed_under(item, requires) for item in node.value], node.location)
    if node.is_scalar and str(node.value).lstrip().startswith("{"):
        return Conditional(SCALAR, node.value, node.location, inner | requires)
    return node


def _getatt_name(resolver: Resolver, argument: Node) -> str:
    if argument.is_scalar:
        return str(argument.value)
    return ".".join(resolver.text(item)[0] for item in argument.items())


def _unresolved(source: str, reason: str, location: Location) -> Node:
    return Node(SCALAR, Unresolved(source, reason), location)


def _plain(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def _render(value: object) -> str:
    text = json.dumps(value, default=str, separators=(", ", ": "))
    return text if len(text) <= 120 else text[:117] + "..."
