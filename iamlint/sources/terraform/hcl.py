"""Parse HCL files into blocks and attributes that keep their positions.

Expressions are kept as python-hcl2's Lark trees (every node carries its
line/column meta); `expressions` evaluates them. The raw Lark tree from
`hcl2.parses_to_tree` is used rather than the typed `hcl2.parses` tree: it
is the same grammar with the same positions, and skipping the typed
transformation makes parsing about 1.6 times faster.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from lark import Token, Tree
from lark.exceptions import LarkError, UnexpectedInput

from iamlint import limits
from iamlint.model import Location, ParseError
from iamlint.sources.nodes import Node

_HEREDOC_OPENER = re.compile(r"<<-?([A-Za-z][A-Za-z0-9._-]*)\r?\n")
_MARKER_LINE = re.compile(r"^([ \t]*([A-Za-z][A-Za-z0-9._-]*))[ \t]+(?=\r?$)", re.MULTILINE)
_HEADER = re.compile(r'^[ \t]*(resource|data)[ \t]+"([^"]+)"[ \t]+"([^"]+)"', re.MULTILINE)


class HCLError(ValueError):
    def __init__(self, message: str, line: int, column: int = 1) -> None:
        super().__init__(f"{message} (line {line})")
        self.message = message
        self.line = line
        self.column = column


@dataclass
class SourceFile:
    """One file's text, with offset-to-position conversion for sliced source text."""

    display: str
    path: str
    text: str
    line_starts: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", self.text)]

    def offset(self, line: int, column: int) -> int:
        return self.line_starts[line - 1] + column - 1

    def position(self, offset: int) -> tuple[int, int]:
        index = bisect.bisect_right(self.line_starts, offset) - 1
        return index + 1, offset - self.line_starts[index] + 1

    def location(self, item: Tree | Token | Node) -> Location:
        if isinstance(item, Node):
            return item.location
        if isinstance(item, Token):
            return Location(self.display, item.line, item.column, item.end_line, item.end_column)
        meta = item.meta
        return Location(self.display, meta.line, meta.column, meta.end_line, meta.end_column)

    def span(self, start: int, end: int) -> Location:
        line, column = self.position(start)
        end_line, end_column = self.position(end)
        return Location(self.display, line, column, end_line, end_column)

    def source(self, item: Tree | Token | Node) -> str:
        if isinstance(item, Node):
            start = self.offset(item.location.line, item.location.column)
            return self.text[start : self.offset(item.location.end_line, item.location.end_column)]
        if isinstance(item, Token):
            return self.text[item.start_pos : item.end_pos]
        return self.text[item.meta.start_pos : item.meta.end_pos]


@dataclass
class Attribute:
    name: str
    expression: Tree | Node  # a Node in Terraform JSON syntax and plan values
    file: SourceFile
    location: Location  # the whole `name = value`


@dataclass
class Block:
    type: str
    labels: tuple[str, ...]
    body: Body
    file: SourceFile
    location: Location  # the header line: `resource "aws_iam_role" "ci"`
    span: Location  # the whole block

    def attribute(self, name: str) -> Attribute | None:
        return self.body.attributes.get(name)

    def blocks(self, type_: str) -> list[Block]:
        return [block for block in self.body.blocks if block.type == type_]


@dataclass
class Body:
    attributes: dict[str, Attribute] = field(default_factory=dict)
    blocks: list[Block] = field(default_factory=list)


def normalise_heredoc_markers(text: str) -> str:
    """Strip trailing blanks after heredoc closing markers, which Terraform accepts and
    python-hcl2 8.1.4 does not (it fails, or lets the heredoc swallow the blocks that
    follow). Only line ends change, so every position stays the same."""
    markers = {match.group(1) for match in _HEREDOC_OPENER.finditer(text)}
    if not markers:
        return text
    # One pass over the text whatever the number of markers (a file of many distinct
    # markers must not cost a pass each).
    return _MARKER_LINE.sub(lambda m: m.group(1) if m.group(2) in markers else m.group(0), text)


def parse(source: SourceFile) -> Body:
    """Parse a file; raise `HCLError` with the line of the problem. The file's text is
    replaced by its normalised form, so offsets in the tree index `source.text`."""
    import hcl2

    max_depth = limits.current().max_depth
    too_deep = limits.too_deep(source.text, max_depth)
    if too_deep is not None:
        line, column = source.position(too_deep)
        raise HCLError(f"nested deeper than {max_depth} levels (limits.max_depth)", line, column)
    text = normalise_heredoc_markers(source.text)
    if text != source.text:
        source.text = text
        source.__post_init__()
    try:
        tree = hcl2.parses_to_tree(text)
    except UnexpectedInput as error:
        raise HCLError(
            _describe(error), error.line if error.line > 0 else 1, error.column
        ) from None
    except (LarkError, RecursionError) as error:
        raise HCLError(f"cannot parse HCL: {type(error).__name__}", 1) from None
    body = _body(tree.children[0], source)
    _check_headers(text, body)
    return body


def _describe(error: UnexpectedInput) -> str:
    token = getattr(error, "token", None)
    if token is not None and str(token):
        shown = str(token).split("\n")[0][:40]
        return f"invalid HCL: unexpected {shown!r}"
    return "invalid HCL: unexpected character"


def _check_headers(text: str, body: Body) -> None:
    """Guard against python-hcl2 silently dropping blocks: every `resource`/`data`
    header line written at the top level must have become a block."""
    found = {block.location.line for block in body.blocks}
    masked = _mask_heredocs(text)
    for match in _HEADER.finditer(masked):
        line = masked.count("\n", 0, match.start()) + 1
        if line not in found:
            raise HCLError(
                f'the {match.group(1)} "{match.group(2)}" "{match.group(3)}" block was not '
                "read (an unterminated string or heredoc above it?)",
                line,
            )


def _mask_heredocs(text: str) -> str:
    """Blank out heredoc bodies (keeping newlines) so headers quoted inside them are not counted."""
    out = []
    position = 0
    for opener in _HEREDOC_OPENER.finditer(text):
        if opener.start() < position:
            continue
        closer = re.compile(rf"^[ \t]*{re.escape(opener.group(1))}[ \t]*\r?$", re.MULTILINE)
        end = closer.search(text, opener.end())
        stop = end.end() if end else len(text)
        out.append(text[position : opener.end()])
        out.append(re.sub(r"[^\n]", " ", text[opener.end() : stop]))
        position = stop
    out.append(text[position:])
    return "".join(out)


def _body(tree: Tree, source: SourceFile) -> Body:
    body = Body()
    for child in tree.children:
        if not isinstance(child, Tree):
            continue
        if child.data == "attribute":
            name = _name(child.children[0])
            body.attributes[name] = Attribute(
                name, child.children[-1], source, source.location(child)
            )
        elif child.data == "block":
            body.blocks.append(_block(child, source))
    return body


def _block(tree: Tree, source: SourceFile) -> Block:
    labels: list[str] = []
    inner: Body | None = None
    open_brace: Token | None = None
    for child in tree.children:
        if isinstance(child, Token):
            if child.type == "LBRACE":
                open_brace = child
            continue
        if child.data == "body":
            inner = _body(child, source)
        elif child.data == "string":
            labels.append(string_literal(child) or "")
        elif child.data in ("identifier", "keyword", "literal_value"):
            labels.append(_name(child))
    header_end = open_brace or tree
    location = Location(
        source.display,
        tree.meta.line,
        tree.meta.column,
        header_end.line if isinstance(header_end, Token) else tree.meta.line,
        header_end.end_column if isinstance(header_end, Token) else tree.meta.end_column,
    )
    return Block(
        labels[0], tuple(labels[1:]), inner or Body(), source, location, source.location(tree)
    )


def _name(tree: Tree) -> str:
    token = tree.children[0] if isinstance(tree, Tree) else tree
    return str(token)


def string_literal(tree: Tree) -> str | None:
    """The text of a quoted string without interpolation, else None."""
    parts = []
    for child in tree.children:
        if isinstance(child, Token):
            continue
        inner = child.children[0]
        if not isinstance(inner, Token) or inner.type != "STRING_CHARS":
            return None
        parts.append(unescape(str(inner)))
    return "".join(parts)


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}
ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)")


def unescape_one(code: str) -> str:
    if len(code) > 1:
        return chr(int(code[1:], 16))
    return _ESCAPES.get(code, "\\" + code)


def unescape(text: str) -> str:
    if "\\" not in text:
        return text
    return ESCAPE.sub(lambda match: unescape_one(match.group(1)), text)


def parse_error(source: SourceFile, error: HCLError) -> ParseError:
    return ParseError(source.display, error.line, error.message, error.column)
