"""Evaluated Terraform values: position-keeping `Node` trees, plus strings that
remember where each character was written so JSON inside them (jsonencode'd
text, heredocs, files) can be decoded with positions in the right file."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from iamlint.model import Location, Reference, Unresolved
from iamlint.sources import jsonpos
from iamlint.sources.nodes import MAP, SCALAR, SEQ, Choice, Node
from iamlint.sources.terraform.hcl import SourceFile

MARK_OPEN = "\ue000"
MARK_CLOSE = "\ue001"
_MARKER = re.compile(f"{MARK_OPEN}(\\d+){MARK_CLOSE}")


@dataclass(slots=True)
class Text(Node):
    """A string built from a template. `chars` is its text with each unknown
    interpolation replaced by a marker, `offsets` the offset in `file` of each
    character (plus one past the end), `pieces` the source text of each marker."""

    file: SourceFile | None = None
    chars: str = ""
    offsets: list[int] = field(default_factory=list)
    pieces: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Document(Node):
    """The JSON text of a structured value (`jsonencode(...)`, a policy document data
    source's `.json`): `document` is the structure with the positions it was written at."""

    document: Node | None = None
    origin: str | None = None  # "data.aws_iam_policy_document.x" when it comes from one
    origin_type: str | None = None


@dataclass(slots=True)
class Pending(Node):
    """A plan value known only after apply, with the references the plan's
    configuration gives for it (recorded when it is evaluated)."""

    references: tuple[Reference, ...] = ()


def unresolved(source: str, location: Location, reason: str = "") -> Node:
    return Node(SCALAR, Unresolved(" ".join(source.split()) or source, reason), location)


def is_unresolved(node: Node) -> bool:
    return node.is_scalar and isinstance(node.value, Unresolved)


def string_of(node: Node) -> str | None:
    """A known scalar as Terraform converts it to a string, else None."""
    if not node.is_scalar or isinstance(node.value, Unresolved) or node.value is None:
        return None
    if isinstance(node.value, bool):
        return "true" if node.value else "false"
    if isinstance(node.value, float) and node.value.is_integer():
        return str(int(node.value))
    return str(node.value)


def readable(node: Node) -> str:
    """The value as a person reads it: known text, or the source of what is unknown."""
    if node.is_scalar:
        text = string_of(node)
        if text is not None:
            return text
        return str(node.value) if node.value is not None else "null"
    return json.dumps(plain(node))


def plain(node: Node) -> object:
    if node.is_map:
        return {str(k.value): plain(v) for k, v in node.pairs()}
    if node.is_seq:
        return [plain(item) for item in node.items()]
    if isinstance(node.value, Unresolved):
        return "${" + node.value.source + "}"
    return node.value


def has_unresolved(node: Node) -> bool:
    if node.is_map:
        return any(has_unresolved(v) for _, v in node.pairs())
    if node.is_seq:
        return any(has_unresolved(item) for item in node.items())
    return isinstance(node.value, Unresolved)


def encode(node: Node, location: Location) -> Document:
    """`jsonencode(node)`."""
    text = json.dumps(plain(node), separators=(",", ":"))
    value = Unresolved(f"jsonencode({text})") if has_unresolved(node) else text
    return Document(SCALAR, value, location, document=node)


def iterate(collection: Node) -> list[tuple[Node, Node]]:
    """(key, value) pairs of a known collection: index or key, and the item."""
    if collection.is_map:
        return [(Node(SCALAR, k.value, k.location), v) for k, v in collection.pairs()]
    return [(Node(SCALAR, i, item.location), item) for i, item in enumerate(collection.items())]


def flatten_choices(items: list[Node]) -> list[Node]:
    out: list[Node] = []
    for item in items:
        if isinstance(item, Choice):
            out.extend(flatten_choices(item.value))
        else:
            out.append(item)
    return out


def decode_document(node: Node) -> Node | None:
    """The JSON structure held by a string value, with positions where its tokens are
    written; None when the text is unknown. Text that is not JSON comes back as the
    scalar itself, which the policy builder reports as not a document."""
    if isinstance(node, Document):
        return node.document
    if not node.is_scalar:
        return node
    if isinstance(node, Text) and node.file is not None and MARK_OPEN in node.chars:
        if _MARKER.fullmatch(node.chars.strip()):
            return None
        return _decode_text(node) or node
    if isinstance(node.value, Unresolved):
        return None
    if isinstance(node, Text) and node.file is not None:
        return _decode_text(node) or node
    if isinstance(node.value, str):
        try:
            decoded = jsonpos.loads(node.value, node.location.file)
        except jsonpos.JSONPositionError:
            return node
        return _relocate(decoded, lambda _: node.location)
    return node


def _decode_text(node: Text) -> Node | None:
    synthetic = _quote_bare_markers(node.chars)
    try:
        decoded = jsonpos.loads(synthetic.text, node.location.file)
    except jsonpos.JSONPositionError:
        return None
    lines = SourceFile("", "", synthetic.text)
    file = node.file
    assert file is not None

    def move(location: Location) -> Location:
        start_index = lines.offset(location.line, location.column)
        end_index = lines.offset(location.end_line, location.end_column)
        start = node.offsets[synthetic.source_offset(start_index)]
        end = node.offsets[synthetic.source_offset(max(end_index - 1, start_index))] + 1
        return file.span(start, max(end, start + 1))

    relocated = _relocate(decoded, move)
    return _restore_markers(relocated, node.pieces)


@dataclass
class _Synthetic:
    text: str
    origin: list[int]  # index in the original chars of each synthetic character

    def source_offset(self, index: int) -> int:
        return self.origin[min(index, len(self.origin) - 1)]


def _quote_bare_markers(chars: str) -> _Synthetic:
    """Wrap markers that stand where a JSON value goes (`"Resource": ${var.arns}`) in
    quotes, so the text decodes and the unknown value becomes one unknown string."""
    out: list[str] = []
    origin: list[int] = []
    in_string = escaped = False
    index = 0
    while index < len(chars):
        char = chars[index]
        if char == MARK_OPEN and not in_string:
            end = chars.index(MARK_CLOSE, index) + 1
            marker = '"' + chars[index:end] + '"'
            out.append(marker)
            origin.extend([index] * len(marker))
            index = end
            continue
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        out.append(char)
        origin.append(index)
        index += 1
    origin.append(len(chars))
    return _Synthetic("".join(out), origin)


def _relocate(node: Node, move) -> Node:
    location = move(node.location)
    if node.is_map:
        pairs = [(_relocate(k, move), _relocate(v, move)) for k, v in node.pairs()]
        return Node(MAP, pairs, location)
    if node.is_seq:
        return Node(SEQ, [_relocate(item, move) for item in node.items()], location)
    return Node(SCALAR, node.value, location)


def _restore_markers(node: Node, pieces: list[str]) -> Node:
    if node.is_map:
        node.value = [(k, _restore_markers(v, pieces)) for k, v in node.pairs()]
        return node
    if node.is_seq:
        node.value = [_restore_markers(item, pieces) for item in node.items()]
        return node
    if isinstance(node.value, str) and MARK_OPEN in node.value:
        text = _MARKER.sub(lambda m: "${" + pieces[int(m.group(1))] + "}", node.value)
        if _MARKER.fullmatch(node.value):
            text = pieces[int(_MARKER.fullmatch(node.value).group(1))]
        node.value = Unresolved(text)
    return node
