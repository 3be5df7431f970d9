"""Decode a CloudFormation YAML template into a position-keeping `Node` tree.

Built on PyYAML's composer (the C parser when libyaml is present): composing
never constructs Python objects from tags, so unknown tags cannot execute
anything, and every node keeps its start and end marks. Short-form intrinsic
tags (`!Ref X`) become their long form (`{"Ref": X}`) so that the rest of the
source handles one spelling only.
"""

from __future__ import annotations

import re

import yaml
from yaml.composer import Composer
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import Resolver
from yaml.scanner import Scanner

from iamlint import limits
from iamlint.model import Location
from iamlint.sources.nodes import MAP, SCALAR, SEQ, Node

SHORT_TAGS = {
    "!Ref": "Ref",
    "!Condition": "Condition",
    **{
        f"!{name}": f"Fn::{name}"
        for name in [
            "And",
            "Base64",
            "Cidr",
            "Equals",
            "FindInMap",
            "GetAtt",
            "GetAZs",
            "If",
            "ImportValue",
            "Join",
            "Length",
            "Not",
            "Or",
            "Select",
            "Split",
            "Sub",
            "ToJsonString",
            "Transform",
            "ForEach",
        ]
    },
}
_JSON_INT = re.compile(r"-?(?:0|[1-9][0-9]*)\Z")
_JSON_FLOAT = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?\Z")
_STR = "tag:yaml.org,2002:str"
_MERGE = "tag:yaml.org,2002:merge"


class DecodeError(ValueError):
    def __init__(self, message: str, line: int, column: int = 1) -> None:
        super().__init__(f"{message} (line {line})")
        self.message = message
        self.line = line
        self.column = column


def loads_yaml(text: str, file: str) -> Node:
    """Decode one YAML document; raise `DecodeError` with the line of the problem."""
    lines = text.splitlines()
    try:
        root = _compose(text, lines)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else 1
        column = mark.column + 1 if mark is not None else 1
        raise DecodeError(f"invalid YAML: {error.problem or error.context}", line, column) from None
    except yaml.YAMLError as error:
        raise DecodeError(f"invalid YAML: {error}", 1) from None
    except RecursionError:
        raise DecodeError("the document is nested too deeply to read", 1) from None
    if root is None:
        raise DecodeError("the file holds no YAML document", 1)
    try:
        return _Converter(lines, file).convert(root)
    except RecursionError:
        raise DecodeError("the document is nested too deeply to read", 1) from None


# libyaml's composer recurses on the C stack, about 400 bytes a level, and libyaml before
# 0.2.6 has no nesting cap (measured: 4,000 levels overflow a 1 MB stack, 40,000 an 8 MB
# one). It is twice as fast as composing in Python, so it is used for every document that
# cannot nest deeper than this; deeper ones go through `_BoundedComposer`.
C_COMPOSER_MAX_DEPTH = 1000
# Indentation, block indicators and node properties: where a block collection may start.
# libyaml skips a byte order mark at the start of any line.
_BLOCK_PREFIX = re.compile(r"(?:[ \t\ufeff]|[-?:](?=[ \t]|$)|[&!][^ \t]*)*")


def _compose(text: str, lines: list[str]) -> yaml.Node | None:
    if _C_LOADER is not None and nesting_bound(text, lines) <= C_COMPOSER_MAX_DEPTH:
        return yaml.compose(text, Loader=_C_LOADER)
    return _Loader(text).get_single_node()


def nesting_bound(text: str, lines: list[str]) -> int:
    """An upper bound on how deep the document's collections nest. In flow style each
    level opens a bracket. In block style each level's content starts further right than
    its parent's, but for a sequence written at its key's indentation: at most two levels
    per column; and a block collection starts after a line's indentation and indicators
    (`- - a`, `? - a`, `- &x a: b`), never further right."""
    widest = max((_BLOCK_PREFIX.match(line).end() for line in lines), default=0)
    return text.count("[") + text.count("{") + 2 * (widest + 1) + 1


class _BoundedComposer(Composer):
    """PyYAML's composer, refusing to go deeper than `limits.max_depth`, walking the
    parser's events in Python: a deep document raises instead of overflowing the stack."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.max_depth = limits.current().max_depth

    def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node:
        if self.depth >= self.max_depth:
            mark = self.peek_event().start_mark
            raise DecodeError(
                f"nested deeper than {self.max_depth} levels (limits.max_depth)",
                mark.line + 1,
                mark.column + 1,
            )
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


try:
    from yaml._yaml import CParser

    class _Loader(_BoundedComposer, CParser, Resolver):
        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            _BoundedComposer.__init__(self)
            Resolver.__init__(self)

    _C_LOADER: type | None = yaml.CSafeLoader

except ImportError:  # PyYAML built without libyaml
    _C_LOADER = None

    class _Loader(Reader, Scanner, Parser, _BoundedComposer, Resolver):  # type: ignore[no-redef]
        def __init__(self, stream: str) -> None:
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            Parser.__init__(self)
            _BoundedComposer.__init__(self)
            Resolver.__init__(self)


class _Converter:
    def __init__(self, lines: list[str], file: str) -> None:
        self.lines = lines
        self.file = file
        # Aliases share composed nodes; converting each once keeps conversion linear, and
        # counting the nodes each alias stands for stops a 'billion laughs' document before
        # anything walks the shared nodes as a tree.
        self.done: dict[int, Node] = {}
        self.sizes: dict[int, int] = {}
        self.nodes = 0  # with every alias expanded
        self.aliased = 0  # of which through aliases
        self.depth = 0
        self.limits = limits.current()

    def location(self, start: yaml.Mark, end: yaml.Mark) -> Location:
        return Location(self.file, start.line + 1, start.column + 1, end.line + 1, end.column + 1)

    def convert(self, node: yaml.Node) -> Node:
        known = self.done.get(id(node))
        if known is not None:
            self._count_alias(node)
            return known
        if self.depth >= self.limits.max_depth:
            raise DecodeError(
                f"nested deeper than {self.limits.max_depth} levels (limits.max_depth)",
                node.start_mark.line + 1,
                node.start_mark.column + 1,
            )
        self.depth += 1
        before = self.nodes
        try:
            converted = self._convert(node)
        finally:
            self.depth -= 1
        self.nodes += 1
        self.sizes[id(node)] = self.nodes - before
        self.done[id(node)] = converted
        return converted

    def _count_alias(self, node: yaml.Node) -> None:
        size = self.sizes.get(id(node), 1)  # an alias inside its own anchor is one node
        self.nodes += size
        self.aliased += size
        if self.aliased > self.limits.max_alias_nodes:
            raise DecodeError(
                f"YAML aliases expand to more than {self.limits.max_alias_nodes} nodes "
                "(limits.max_alias_nodes)",
                node.start_mark.line + 1,
                node.start_mark.column + 1,
            )

    def _convert(self, node: yaml.Node) -> Node:
        location = self.location(node.start_mark, node.end_mark)
        if isinstance(node, yaml.MappingNode):
            converted = Node(MAP, self._pairs(node), location)
        elif isinstance(node, yaml.SequenceNode):
            converted = Node(SEQ, [self.convert(item) for item in node.value], location)
        else:
            converted = Node(SCALAR, _scalar(node), location)
        long_name = SHORT_TAGS.get(node.tag)
        if long_name is not None:
            converted = self._long_form(node, long_name, converted)
        return converted

    def _pairs(self, node: yaml.MappingNode) -> list[tuple[Node, Node]]:
        pairs: list[tuple[Node, Node]] = []
        for key, value in node.value:
            if key.tag == _MERGE:
                merged = self.convert(value)
                for source in merged.items():
                    pairs.extend(source.pairs())
                continue
            pairs.append((self.convert(key), self.convert(value)))
        return pairs

    def _long_form(self, node: yaml.Node, name: str, inner: Node) -> Node:
        """`!Sub 'x'` -> {"Fn::Sub": 'x'}: the map spans tag and value, the key sits on
        the tag, and the value keeps only its own token."""
        start = node.start_mark
        tag_end = start.column + len(node.tag)
        key_location = Location(
            self.file, start.line + 1, start.column + 1, start.line + 1, tag_end + 1
        )
        if inner.kind == SCALAR:
            line = self.lines[start.line] if start.line < len(self.lines) else ""
            column = tag_end
            while column < len(line) and line[column] in " \t":
                column += 1
            inner_location = inner.location
            if column < len(line) and inner_location.line == start.line + 1:
                inner = Node(
                    SCALAR,
                    inner.value,
                    Location(
                        self.file,
                        start.line + 1,
                        column + 1,
                        inner_location.end_line,
                        inner_location.end_column,
                    ),
                )
        if name == "Fn::GetAtt" and inner.kind == SCALAR and isinstance(inner.value, str):
            logical_id, _, attribute = inner.value.partition(".")
            inner = Node(
                SEQ,
                [Node(SCALAR, logical_id, inner.location), Node(SCALAR, attribute, inner.location)],
                inner.location,
            )
        whole = self.location(node.start_mark, node.end_mark)
        return Node(MAP, [(Node(SCALAR, name, key_location), inner)], whole)


def _scalar(node: yaml.ScalarNode) -> str | int | float | bool | None:
    """YAML 1.1 would read `2012-10-17` as a date and `yes` as true; CloudFormation
    keeps such text, so only JSON-compatible spellings become numbers, booleans or null."""
    text = node.value
    if node.tag == _STR or node.style:
        return text
    if node.tag.endswith(":int") and _JSON_INT.match(text):
        return int(text)
    if node.tag.endswith(":float") and _JSON_FLOAT.match(text):
        return float(text)
    if node.tag.endswith(":bool") and text.lower() in ("true", "false"):
        return text.lower() == "true"
    if node.tag.endswith(":null"):
        return None
    return text
