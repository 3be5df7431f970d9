"""Terraform's built-in functions and operators, over evaluated `Node`s.

Functions that are not listed here evaluate their arguments (so references are
still recorded) and give an `Unresolved` value with the call's source text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from lark import Token, Tree

from iamlint import limits
from iamlint.model import Location, Unresolved
from iamlint.sources.nodes import MAP, SCALAR, SEQ, Node
from iamlint.sources.terraform import templates
from iamlint.sources.terraform.hcl import SourceFile
from iamlint.sources.terraform.values import (
    Text,
    decode_document,
    encode,
    is_unresolved,
    readable,
    string_of,
    unresolved,
)

if TYPE_CHECKING:
    from iamlint.sources.terraform.expressions import Evaluator


def call(
    evaluator: Evaluator, tree: Tree, file: SourceFile, scope: dict[str, Node], location: Location
) -> Node:
    from iamlint.sources.terraform.expressions import EvaluationError

    names = [
        str(c.children[0]) for c in tree.children if isinstance(c, Tree) and c.data == "identifier"
    ]
    name = names[-1] if len(names) == 1 else "::".join(names)
    arguments = next(
        (c for c in tree.children if isinstance(c, Tree) and c.data == "arguments"), None
    )
    argument_trees = (
        [c for c in arguments.children if isinstance(c, Tree) and c.data != "new_line_or_comment"]
        if arguments is not None
        else []
    )
    expands = arguments is not None and any(
        isinstance(c, Token) and c.type == "ELLIPSIS" for c in arguments.children
    )
    source = file.source(tree)
    if name in ("try", "can"):
        for argument in argument_trees:
            try:
                value = evaluator._eval(argument, file, scope)
            except EvaluationError:
                continue
            return Node(SCALAR, True, location) if name == "can" else value
        if name == "can":
            return Node(SCALAR, False, location)
        return unresolved(source, location, "no argument of try() could be evaluated")
    implementation = _FUNCTIONS.get(name)
    if implementation is None and name not in ("file", "templatefile"):
        return evaluator._unknown(
            tree, file, scope, location, f"function {name}() is not evaluated"
        )
    args = [evaluator._eval(argument, file, scope) for argument in argument_trees]
    if expands and args and args[-1].is_seq:
        args = [*args[:-1], *args[-1].items()]
    if name == "file":
        return _file(evaluator, args, location, source)
    if name == "templatefile":
        return _templatefile(evaluator, args, location, source)
    assert implementation is not None
    try:
        result = implementation(args, location)
    except (TypeError, ValueError, IndexError, KeyError, re.error) as error:
        raise EvaluationError(f"{name}(): {error}") from None
    if result is None:
        return unresolved(source, location, f"{name}() of an unknown value")
    if _oversized(result):
        return unresolved(source, location, f"{name}() gives a value larger than the limits")
    return result


def _oversized(value: Node) -> bool:
    """A collection longer than `limits.max_elements` or a string longer than
    `limits.max_file_bytes`: repeated concat(), range() or join() must not exhaust memory."""
    bounds = limits.current()
    if value.is_scalar:
        return isinstance(value.value, str) and len(value.value) > bounds.max_file_bytes
    return len(value.value) > bounds.max_elements


def _file(evaluator: Evaluator, args: list[Node], location: Location, source: str) -> Node:
    path = string_of(args[0]) if args else None
    content = evaluator.context.read_file(path) if path is not None else None
    if content is None:
        return unresolved(source, location, "file outside the scanned tree or unreadable")
    return _whole_file(content, location)


def _whole_file(content: SourceFile, location: Location) -> Text:
    text = content.text
    return Text(
        SCALAR,
        text,
        location,
        file=content,
        chars=text,
        offsets=list(range(len(text) + 1)),
        pieces=[],
    )


def _templatefile(evaluator: Evaluator, args: list[Node], location: Location, source: str) -> Node:
    path = string_of(args[0]) if args else None
    content = evaluator.context.read_file(path) if path is not None else None
    if content is None:
        return unresolved(source, location, "template outside the scanned tree or unreadable")
    variables: dict[str, Node] = {}
    if len(args) > 1 and args[1].is_map:
        variables = {str(k.value): v for k, v in args[1].pairs()}
    text = content.text
    return templates.template(
        text,
        list(range(len(text))),
        content,
        lambda tree, fragment, names: evaluator._eval(tree, fragment, {**variables, **names}),
        location,
        len(text),
    )


def index(value: Node, key: Node) -> Node:
    from iamlint.sources.terraform.expressions import EvaluationError

    if value.is_seq and isinstance(key.value, (int, float)) and not isinstance(key.value, bool):
        items = value.items()
        position = int(key.value)
        if not 0 <= position < len(items):
            raise EvaluationError(f"index {position} is out of range")
        return items[position]
    if value.is_map:
        text = string_of(key)
        found = value.get(text) if text is not None else None
        if found is None:
            raise EvaluationError(f"the object has no key {text!r}")
        return found
    raise EvaluationError("cannot index this value")


def operator(
    evaluator: Evaluator, tree: Tree, file: SourceFile, scope: dict[str, Node], location: Location
) -> Node:
    children = [
        c for c in tree.children if not (isinstance(c, Tree) and c.data == "new_line_or_comment")
    ]
    if tree.data == "unary_op":
        symbol = str(children[0]).strip()
        operand = evaluator._eval(children[1], file, scope).value
        if symbol == "!" and isinstance(operand, bool):
            return Node(SCALAR, not operand, location)
        if symbol == "-" and isinstance(operand, (int, float)) and not isinstance(operand, bool):
            return Node(SCALAR, -operand, location)
        return unresolved(file.source(tree), location, "operator on an unknown value")
    left = evaluator._eval(children[0], file, scope)
    term = [
        c for c in children[1].children if isinstance(c, Tree) and c.data != "new_line_or_comment"
    ]
    symbol = str(term[0].children[0]).strip()
    right = evaluator._eval(term[1], file, scope)
    result = _binary(symbol, left, right)
    if result is None:
        return unresolved(file.source(tree), location, "operator on an unknown value")
    return Node(SCALAR, result, location)


def _binary(symbol: str, left: Node, right: Node) -> object:
    if is_unresolved(left) or is_unresolved(right) or not (left.is_scalar and right.is_scalar):
        if symbol in ("==", "!=") and not is_unresolved(left) and not is_unresolved(right):
            equal = left.to_python() == right.to_python()
            return equal if symbol == "==" else not equal
        return None
    a, b = left.value, right.value
    if symbol == "==":
        return a == b
    if symbol == "!=":
        return a != b
    if symbol in ("&&", "||"):
        if isinstance(a, bool) and isinstance(b, bool):
            return (a and b) if symbol == "&&" else (a or b)
        return None
    numbers = (int, float)
    if not (isinstance(a, numbers) and isinstance(b, numbers)):
        return None
    operations: dict[str, Callable[[float, float], object]] = {
        "+": lambda x, y: x + y,
        "-": lambda x, y: x - y,
        "*": lambda x, y: x * y,
        "/": lambda x, y: x / y if y else None,
        "%": lambda x, y: x % y if y else None,
        "<": lambda x, y: x < y,
        ">": lambda x, y: x > y,
        "<=": lambda x, y: x <= y,
        ">=": lambda x, y: x >= y,
    }
    operation = operations.get(symbol)
    return operation(a, b) if operation else None


# -- the functions ------------------------------------------------------------------------


def _strings(args: list[Node]) -> list[str] | None:
    texts = [string_of(arg) for arg in args]
    return None if any(text is None for text in texts) else texts  # type: ignore[return-value]


def _jsonencode(args: list[Node], location: Location) -> Node:
    return encode(args[0], location)


def _jsondecode(args: list[Node], location: Location) -> Node | None:
    decoded = decode_document(args[0])
    if decoded is None or decoded is args[0]:
        return None
    return decoded


def _concat(args: list[Node], location: Location) -> Node:
    items: list[Node] = []
    for arg in args:
        items.extend(arg.items())
    return Node(SEQ, items, location)


def _merge(args: list[Node], location: Location) -> Node:
    merged: dict[object, tuple[Node, Node]] = {}
    for arg in args:
        for key, value in arg.pairs():
            merged[key.value] = (key, value)
    return Node(MAP, list(merged.values()), location)


def _flatten(args: list[Node], location: Location) -> Node:
    def walk(node: Node) -> list[Node]:
        if node.is_seq:
            return [leaf for item in node.items() for leaf in walk(item)]
        return [node]

    return Node(SEQ, walk(args[0]) if args[0].is_seq else [args[0]], location)


def _distinct(args: list[Node], location: Location) -> Node:
    seen: list[object] = []
    items = []
    for item in args[0].items():
        key = item.to_python()
        if key not in seen:
            seen.append(key)
            items.append(item)
    return Node(SEQ, items, location)


def _format(args: list[Node], location: Location) -> Node | None:
    texts = _strings(args)
    if texts is None:
        return None
    values = iter(texts[1:])

    def substitute(match: re.Match[str]) -> str:
        verb = match.group(1)
        if verb == "%":
            return "%"
        value = next(values)
        return f'"{value}"' if verb == "q" else value

    return Node(SCALAR, re.sub(r"%[-+# 0-9.]*([sdvqtf%])", substitute, texts[0]), location)


def _join(args: list[Node], location: Location) -> Node | None:
    separator = string_of(args[0])
    items = [item for arg in args[1:] for item in arg.items()]
    texts = _strings(items)
    if separator is None:
        return None
    if texts is None:
        return Node(SCALAR, Unresolved(separator.join(readable(i) for i in items)), location)
    return Node(SCALAR, separator.join(texts), location)


def _split(args: list[Node], location: Location) -> Node | None:
    texts = _strings(args[:2])
    if texts is None:
        return None
    return Node(
        SEQ, [Node(SCALAR, part, args[1].location) for part in texts[1].split(texts[0])], location
    )


def _string_function(function: Callable[..., str]) -> Callable[[list[Node], Location], Node | None]:
    def apply(args: list[Node], location: Location) -> Node | None:
        texts = _strings(args)
        if texts is None:
            return None
        return Node(SCALAR, function(*texts), args[0].location if args else location)

    return apply


def _replace(text: str, old: str, new: str) -> str:
    if len(old) > 1 and old.startswith("/") and old.endswith("/"):
        return re.sub(old[1:-1], re.sub(r"\$\{?(\w+)\}?", r"\\g<\1>", new), text)
    return text.replace(old, new)


def _identity(args: list[Node], location: Location) -> Node:
    return args[0]


def _coalesce(args: list[Node], location: Location) -> Node | None:
    for arg in args:
        if is_unresolved(arg):
            return None
        if arg.is_scalar and arg.value in (None, ""):
            continue
        return arg
    raise ValueError("no non-null argument")


def _coalescelist(args: list[Node], location: Location) -> Node | None:
    for arg in args:
        if is_unresolved(arg):
            return None
        if arg.is_seq and arg.items():
            return arg
    raise ValueError("no non-empty list")


def _length(args: list[Node], location: Location) -> Node | None:
    node = args[0]
    if node.is_seq or node.is_map:
        return Node(SCALAR, len(node.value), location)
    text = string_of(node)
    return Node(SCALAR, len(text), location) if text is not None else None


def _element(args: list[Node], location: Location) -> Node | None:
    if not args[0].is_seq or not isinstance(args[1].value, int) or not args[0].items():
        return None
    items = args[0].items()
    return items[args[1].value % len(items)]


def _lookup(args: list[Node], location: Location) -> Node | None:
    key = string_of(args[1])
    if not args[0].is_map or key is None:
        return None
    found = args[0].get(key)
    if found is None:
        if len(args) > 2:
            return args[2]
        raise KeyError(key)
    return found


def _keys(args: list[Node], location: Location) -> Node | None:
    if not args[0].is_map:
        return None
    return Node(SEQ, [Node(SCALAR, k.value, k.location) for k, _ in args[0].pairs()], location)


def _values(args: list[Node], location: Location) -> Node | None:
    if not args[0].is_map:
        return None
    return Node(SEQ, [v for _, v in args[0].pairs()], location)


def _compact(args: list[Node], location: Location) -> Node | None:
    if not args[0].is_seq:
        return None
    kept = [item for item in args[0].items() if not (item.is_scalar and item.value in ("", None))]
    return Node(SEQ, kept, location)


def _contains(args: list[Node], location: Location) -> Node | None:
    if (
        not args[0].is_seq
        or is_unresolved(args[1])
        or any(is_unresolved(i) for i in args[0].items())
    ):
        return None
    return Node(SCALAR, args[1].to_python() in [i.to_python() for i in args[0].items()], location)


def _toset(args: list[Node], location: Location) -> Node:
    return _distinct(args, location) if args[0].is_seq else args[0]


def _passthrough_text(args: list[Node], location: Location) -> Node:
    """base64encode/base64gzip: user data is inspected as written, before encoding."""
    return args[0]


_FUNCTIONS: dict[str, Callable[[list[Node], Location], Node | None]] = {
    "jsonencode": _jsonencode,
    "jsondecode": _jsondecode,
    "concat": _concat,
    "merge": _merge,
    "flatten": _flatten,
    "distinct": _distinct,
    "format": _format,
    "join": _join,
    "split": _split,
    "lower": _string_function(str.lower),
    "upper": _string_function(str.upper),
    "trimspace": _string_function(str.strip),
    "chomp": _string_function(lambda text: text.rstrip("\r\n")),
    "replace": _string_function(_replace),
    "tolist": _identity,
    "tomap": _identity,
    "tostring": _identity,
    "toset": _toset,
    "coalesce": _coalesce,
    "coalescelist": _coalescelist,
    "length": _length,
    "element": _element,
    "lookup": _lookup,
    "keys": _keys,
    "values": _values,
    "compact": _compact,
    "contains": _contains,
    "base64encode": _passthrough_text,
    "base64gzip": _passthrough_text,
}
