"""A JSON decoder that keeps the line and column of every token.

The standard library's decoder keeps no positions and cfn-lint's costs most
of a second to import, so this is a small tokenizer over one compiled regular
expression and an explicit stack (no recursion: deep documents cannot raise
RecursionError).
"""

from __future__ import annotations

import bisect
import json
import re

from iamlint import limits
from iamlint.model import Location
from iamlint.sources.nodes import MAP, SCALAR, SEQ, Node

_TOKEN = re.compile(
    r"""
    (?P<ws>[ \t\r\n]+)
  | (?P<string>"(?:[^"\\\x00-\x1f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*")
  | (?P<number>-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?)
  | (?P<literal>true|false|null)
  | (?P<punct>[{}\[\]:,])
    """,
    re.VERBOSE,
)
_LITERALS = {"true": True, "false": False, "null": None}


class JSONPositionError(ValueError):
    def __init__(self, message: str, line: int, column: int) -> None:
        super().__init__(f"{message} (line {line}, column {column})")
        self.message = message
        self.line = line
        self.column = column


class _Lines:
    """Offset -> (line, column) conversion, both 1-based."""

    def __init__(self, text: str) -> None:
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def position(self, offset: int) -> tuple[int, int]:
        index = bisect.bisect_right(self.starts, offset) - 1
        return index + 1, offset - self.starts[index] + 1


def loads(text: str, file: str) -> Node:
    """Decode `text`; raise `JSONPositionError` with the line of the first error."""
    lines = _Lines(text)

    def location(start: int, end: int) -> Location:
        line, column = lines.position(start)
        end_line, end_column = lines.position(end)
        return Location(file, line, column, end_line, end_column)

    def fail(message: str, offset: int) -> JSONPositionError:
        line, column = lines.position(offset)
        return JSONPositionError(message, line, column)

    tokens = _tokens(text, fail)
    max_depth = limits.current().max_depth
    # Each stack frame: [container node, start offset, pending key node, expecting]
    # where expecting is one of "value", "key", "colon", "comma".
    stack: list[list] = []
    root: Node | None = None

    def attach(node: Node, offset: int) -> None:
        nonlocal root
        if not stack:
            if root is not None:
                raise fail("extra data after the document", offset)
            root = node
            return
        frame = stack[-1]
        container = frame[0]
        if container.kind == SEQ:
            container.value.append(node)
        else:
            container.value.append((frame[2], node))
            frame[2] = None
        frame[3] = "comma"

    for kind, value, start, end in tokens:
        frame = stack[-1] if stack else None
        expecting = frame[3] if frame else ("value" if root is None else "end")
        if expecting == "end":
            raise fail("extra data after the document", start)
        if kind == "punct" and value in "}]":
            if frame is None or (value == "}") != (frame[0].kind == MAP):
                raise fail(f"unexpected {value!r}", start)
            if expecting not in ("comma", "key_or_close", "value_or_close"):
                raise fail(f"unexpected {value!r} after a comma", start)
            node = frame[0]
            loc_start = frame[1]
            node.location = location(loc_start, end)
            stack.pop()
            attach(node, start)
            continue
        if expecting == "comma":
            if kind != "punct" or value != ",":
                raise fail("expected ',' or a closing bracket", start)
            frame[3] = "key" if frame[0].kind == MAP else "value"
            continue
        if expecting == "colon":
            if kind != "punct" or value != ":":
                raise fail("expected ':' after an object key", start)
            frame[3] = "value"
            continue
        if expecting in ("key", "key_or_close"):
            if kind != "string":
                raise fail("expected a double-quoted object key", start)
            frame[2] = Node(SCALAR, json.loads(value), location(start, end))
            frame[3] = "colon"
            continue
        # expecting a value
        if kind == "punct" and value in "{[":
            if len(stack) >= max_depth:
                raise fail(f"nested deeper than {max_depth} levels (limits.max_depth)", start)
            container = Node(MAP if value == "{" else SEQ, [], location(start, end))
            stack.append(
                [container, start, None, "key_or_close" if value == "{" else "value_or_close"]
            )
            continue
        if kind == "punct":
            raise fail(f"unexpected {value!r}", start)
        if kind == "string" or kind == "number":
            scalar_value = json.loads(value)
        else:
            scalar_value = _LITERALS[value]
        attach(Node(SCALAR, scalar_value, location(start, end)), start)

    if stack:
        opened_line, opened_column = lines.position(stack[-1][1])
        raise fail(
            f"unexpected end of file: the bracket opened at line {opened_line}, "
            f"column {opened_column} is never closed",
            len(text),
        )
    if root is None:
        raise fail("the file holds no JSON value", len(text))
    return root


def _tokens(text: str, fail):
    position = 0
    length = len(text)
    match = _TOKEN.match
    while position < length:
        m = match(text, position)
        if m is None:
            snippet = text[position : position + 10].split("\n")[0]
            raise fail(f"invalid JSON near {snippet!r}", position)
        kind = m.lastgroup
        if kind != "ws":
            yield kind, m.group(), position, m.end()
        position = m.end()
