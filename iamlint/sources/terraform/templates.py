"""String templates: quoted strings, heredocs (incl. `<<-`) and template files.

Each literal character keeps the offset it was written at, and each unknown
interpolation becomes a marker, so a JSON document inside the string can be
decoded with positions in the file (see `values.Text`).
"""

from __future__ import annotations

from collections.abc import Callable

from lark import Token, Tree

from iamlint.model import Location, Unresolved
from iamlint.sources.nodes import SCALAR, Node
from iamlint.sources.terraform.hcl import ESCAPE, SourceFile, unescape_one
from iamlint.sources.terraform.values import MARK_CLOSE, MARK_OPEN, Text, string_of

Evaluate = Callable[[Tree, SourceFile], Node]


class _Builder:
    def __init__(self, file: SourceFile) -> None:
        self.file = file
        self.chars: list[str] = []
        self.offsets: list[int] = []
        self.pieces: list[str] = []
        self.readable: list[str] = []
        self.unknown = False

    def literal(self, text: str, offsets: list[int]) -> None:
        self.chars.append(text)
        self.offsets.extend(offsets)
        self.readable.append(text)

    def value(self, node: Node, source: str, start: int, end: int) -> None:
        text = string_of(node)
        if text is None:
            self.unknown = True
            marker = f"{MARK_OPEN}{len(self.pieces)}{MARK_CLOSE}"
            self.pieces.append(str(node.value) if node.is_scalar and node.value else source)
            self.chars.append(marker)
            self.offsets.extend([start] * len(marker))
            self.readable.append("${" + self.pieces[-1] + "}")
            return
        self.chars.append(text)
        self.offsets.extend([start] * len(text))
        self.readable.append(text)

    def result(self, location: Location, end: int) -> Text:
        readable = "".join(self.readable)
        value = Unresolved(readable) if self.unknown else readable
        return Text(
            SCALAR,
            value,
            location,
            file=self.file,
            chars="".join(self.chars),
            offsets=[*self.offsets, end],
            pieces=self.pieces,
        )


def quoted(tree: Tree, file: SourceFile, evaluate: Evaluate) -> Node:
    """A `"..."` string: literal text, `${}` interpolations; directives make it unknown."""
    parts = [child.children[0] for child in tree.children if isinstance(child, Tree)]
    location = file.location(tree)
    if len(parts) == 1 and isinstance(parts[0], Tree) and parts[0].data == "interpolation":
        # "${expr}" alone is the value of expr itself, whatever its type
        return evaluate(_interpolated(parts[0]), file)
    builder = _Builder(file)
    for part in parts:
        if isinstance(part, Token):
            if part.type == "STRING_CHARS":
                _escaped_literal(builder, str(part), part.start_pos)
            else:  # $${ or %%{: the escape stands for the literal text without one $/%
                builder.literal(str(part)[1:], list(range(part.start_pos + 1, part.end_pos)))
        elif part.data == "interpolation":
            inner = _interpolated(part)
            builder.value(
                evaluate(inner, file), file.source(inner), part.meta.start_pos, part.meta.end_pos
            )
        else:
            return Node(SCALAR, Unresolved(file.source(tree)[1:-1], "template directive"), location)
    return builder.result(location, tree.meta.end_pos)


def _interpolated(tree: Tree) -> Tree:
    return next(child for child in tree.children if isinstance(child, Tree))


def _escaped_literal(builder: _Builder, text: str, start: int) -> None:
    position = 0
    for match in ESCAPE.finditer(text):
        chunk = text[position : match.start()]
        builder.literal(chunk, list(range(start + position, start + match.start())))
        char = unescape_one(match.group(1))
        builder.literal(char, [start + match.start()] * len(char))
        position = match.end()
    builder.literal(text[position:], list(range(start + position, start + len(text))))


def heredoc(token: Token, file: SourceFile, evaluate: Evaluate, location: Location) -> Node:
    raw = str(token)
    body_start = raw.index("\n") + 1
    body_end = raw.rstrip("\r\n").rfind("\n") + 1
    lines = raw[body_start:body_end].splitlines(keepends=True) if body_end > body_start else []
    indent = 0
    if raw.startswith("<<-"):
        widths = [len(line) - len(line.lstrip(" \t")) for line in lines if line.strip()]
        indent = min(widths, default=0)
    text: list[str] = []
    offsets: list[int] = []
    offset = token.start_pos + body_start
    for line in lines:
        cut = min(indent, len(line) - len(line.lstrip(" \t")))
        text.append(line[cut:])
        offsets.extend(range(offset + cut, offset + len(line)))
        offset += len(line)
    return template("".join(text), offsets, file, evaluate, location, token.end_pos)


def template(
    text: str,
    offsets: list[int],
    file: SourceFile,
    evaluate: Evaluate,
    location: Location,
    end: int,
) -> Node:
    """Evaluate template text whose characters sit at `offsets` in `file`."""
    builder = _Builder(file)
    position = 0
    literal_start = 0
    while position < len(text):
        two = text[position : position + 2]
        if two in ("$$", "%%") and text[position + 2 : position + 3] == "{":
            builder.literal(text[literal_start:position], offsets[literal_start:position])
            builder.literal(two[0] + "{", [offsets[position + 1], offsets[position + 2]])
            position += 3
            literal_start = position
            continue
        if two == "%{":
            return Node(SCALAR, Unresolved(_shorten(text), "template directive"), location)
        if two != "${":
            position += 1
            continue
        close = _matching_brace(text, position + 2)
        if close is None:
            return Node(SCALAR, Unresolved(_shorten(text), "unterminated interpolation"), location)
        builder.literal(text[literal_start:position], offsets[literal_start:position])
        inner = text[position + 2 : close]
        start = offsets[position + 2]
        try:
            tree, fragment = parse_fragment(inner, file, start)
        except Exception:
            node = Node(SCALAR, Unresolved(inner.strip(), "unreadable interpolation"), location)
            builder.value(node, inner.strip(), offsets[position], offsets[close] + 1)
        else:
            builder.value(
                evaluate(tree, fragment), inner.strip(), offsets[position], offsets[close] + 1
            )
        position = close + 1
        literal_start = position
    builder.literal(text[literal_start:], offsets[literal_start:])
    return builder.result(location, end)


def _shorten(text: str) -> str:
    first = text.strip().split("\n")[0]
    return first if len(first) < 80 else first[:77] + "..."


def _matching_brace(text: str, start: int) -> int | None:
    depth = 0
    quote = False
    index = start
    while index < len(text):
        char = text[index]
        if quote:
            if char == "\\":
                index += 1
            elif char == '"':
                quote = False
        elif char == '"':
            quote = True
        elif char == "{":
            depth += 1
        elif char == "}":
            if depth == 0:
                return index
            depth -= 1
        index += 1
    return None


def parse_fragment(inner: str, file: SourceFile, offset: int) -> tuple[Tree, SourceFile]:
    """Parse the expression of an interpolation found in text python-hcl2 does not
    parse itself (heredoc bodies, template files), with positions moved to where the
    expression is written in `file`."""
    import hcl2

    prefix = "x=("
    synthetic = SourceFile(file.display, file.path, prefix + inner + "\n)")
    tree = hcl2.parses_to_tree(synthetic.text)
    attribute = next(tree.find_data("attribute"))
    expression = next(
        child
        for child in attribute.children[-1].children
        if isinstance(child, Tree) and child.data != "new_line_or_comment"
    )
    line, column = file.position(offset)
    shift = column - 1 - len(prefix)
    for node in expression.iter_subtrees():
        meta = node.meta
        if not getattr(meta, "empty", True):
            if meta.line == 1:
                meta.column += shift
            if meta.end_line == 1:
                meta.end_column += shift
            meta.line += line - 1
            meta.end_line += line - 1
        for child in node.children:
            if isinstance(child, Token) and child.line is not None:
                if child.line == 1:
                    child.column += shift
                if child.end_line == 1:
                    child.end_column += shift
                child.line += line - 1
                child.end_line += line - 1
    return expression, synthetic
