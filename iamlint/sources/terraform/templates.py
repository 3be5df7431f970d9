"""String templates: quoted strings, heredocs (incl. `<<-`) and template files.

Each literal character keeps the offset it was written at, and each unknown
interpolation becomes a marker, so a JSON document inside the string can be
decoded with positions in the file (see `values.Text`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from lark import Token, Tree

from iamlint import limits
from iamlint.model import Location, Unresolved
from iamlint.sources.nodes import SCALAR, Node
from iamlint.sources.terraform.hcl import ESCAPE, SourceFile, unescape_one
from iamlint.sources.terraform.values import MARK_CLOSE, MARK_OPEN, Text, iterate, string_of

# evaluate(tree, file, names bound by enclosing `%{ for }` directives)
Evaluate = Callable[[Tree, SourceFile, dict[str, Node]], Node]


class _Builder:
    def __init__(self, file: SourceFile) -> None:
        self.file = file
        self.chars: list[str] = []
        self.offsets: list[int] = []
        self.pieces: list[str] = []
        self.readable: list[str] = []
        self.unknown = False
        # No honest policy string is longer than the largest file read; a template that
        # doubles a local again and again stops here instead of exhausting memory.
        self.room = limits.current().max_file_bytes

    def _grow(self, length: int) -> None:
        self.room -= length
        if self.room < 0:
            raise _Unknown("the string is longer than limits.max_file_bytes")

    def literal(self, text: str, offsets: list[int]) -> None:
        self._grow(len(text))
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
        self._grow(len(text))
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


# -- template parts: literal text, interpolations and directives ------------------------


@dataclass
class _Literal:
    text: str
    offsets: list[int]


@dataclass
class _Interpolation:
    tree: Tree | None  # None when the expression could not be parsed
    file: SourceFile
    source: str
    start: int
    end: int
    strip_before: bool = False  # `~` markers: strip the blanks before / after it
    strip_after: bool = False


@dataclass
class _Directive:
    keyword: str  # if, else, endif, for, endfor
    tree: Tree | None  # the condition or the collection
    file: SourceFile
    names: tuple[str, ...] = ()  # the `for` variables
    strip_before: bool = False
    strip_after: bool = False


@dataclass
class _If:
    condition: _Directive
    then: list
    otherwise: list


@dataclass
class _For:
    head: _Directive
    body: list


_KEYWORD = re.compile(r"\s*([a-z]+)\s*")


class _Unknown(Exception):
    """A directive over a value that is not known statically."""


def quoted(tree: Tree, file: SourceFile, evaluate: Evaluate) -> Node:
    """A `"..."` string: literal text, `${}` interpolations and `%{}` directives."""
    parts = [child.children[0] for child in tree.children if isinstance(child, Tree)]
    location = file.location(tree)
    if len(parts) == 1 and isinstance(parts[0], Tree) and parts[0].data == "interpolation":
        # "${expr}" alone is the value of expr itself, whatever its type
        return evaluate(_interpolated(parts[0]), file, {})
    segments: list = []
    for part in parts:
        if isinstance(part, Token):
            if part.type == "STRING_CHARS":
                segments.extend(_escaped_literal(str(part), part.start_pos))
            else:  # $${ or %%{: the escape stands for the literal text without one $/%
                segments.append(
                    _Literal(str(part)[1:], list(range(part.start_pos + 1, part.end_pos)))
                )
        elif part.data == "interpolation":
            inner = _interpolated(part)
            segments.append(
                _Interpolation(
                    inner, file, file.source(inner), part.meta.start_pos, part.meta.end_pos
                )
            )
        else:
            segments.append(_parsed_directive(part, file))
    return _result(segments, file, evaluate, location, tree.meta.end_pos, file.source(tree)[1:-1])


def _interpolated(tree: Tree) -> Tree:
    return next(child for child in tree.children if isinstance(child, Tree))


def _parsed_directive(tree: Tree, file: SourceFile) -> _Directive:
    keyword = tree.data.removeprefix("template_").removesuffix("_start")
    tokens = [c for c in tree.children if isinstance(c, Token)]
    expressions = [c for c in tree.children if isinstance(c, Tree) and c.data != "identifier"]
    names = tuple(
        str(c.children[0]) for c in tree.children if isinstance(c, Tree) and c.data == "identifier"
    )
    return _Directive(
        keyword,
        expressions[0] if expressions else None,
        file,
        names,
        strip_before=len(tokens) > 1 and str(tokens[1]) == "~",
        strip_after=len(tokens) > 1 and str(tokens[-2]) == "~",
    )


def _escaped_literal(text: str, start: int) -> list[_Literal]:
    out = []
    position = 0
    for match in ESCAPE.finditer(text):
        chunk = text[position : match.start()]
        out.append(_Literal(chunk, list(range(start + position, start + match.start()))))
        char = unescape_one(match.group(1))
        out.append(_Literal(char, [start + match.start()] * len(char)))
        position = match.end()
    out.append(_Literal(text[position:], list(range(start + position, start + len(text)))))
    return out


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
    segments: list = []
    position = 0
    literal_start = 0
    while position < len(text):
        two = text[position : position + 2]
        if two in ("$$", "%%") and text[position + 2 : position + 3] == "{":
            segments.append(_Literal(text[literal_start:position], offsets[literal_start:position]))
            segments.append(_Literal(two[0] + "{", [offsets[position + 1], offsets[position + 2]]))
            position += 3
            literal_start = position
            continue
        if two not in ("${", "%{"):
            position += 1
            continue
        close = matching_brace(text, position + 2)
        if close is None:
            return Node(SCALAR, Unresolved(_shorten(text), "unterminated interpolation"), location)
        segments.append(_Literal(text[literal_start:position], offsets[literal_start:position]))
        if two == "${":
            segments.append(_text_interpolation(text, offsets, file, position, close))
        else:
            segments.append(_text_directive(text, offsets, file, position, close))
        position = close + 1
        literal_start = position
    segments.append(_Literal(text[literal_start:], offsets[literal_start:]))
    return _result(segments, file, evaluate, location, end, text)


def _text_interpolation(
    text: str, offsets: list[int], file: SourceFile, open_at: int, close: int
) -> _Interpolation:
    start, stop = _strip_marks(text, open_at + 2, close)
    inner = text[start:stop]
    try:
        tree, fragment = parse_fragment(inner, file, offsets[start])
    except Exception:
        tree, fragment = None, file
    return _Interpolation(
        tree,
        fragment,
        inner.strip(),
        offsets[open_at],
        offsets[close] + 1,
        strip_before=start > open_at + 2,
        strip_after=stop < close,
    )


def _text_directive(
    text: str, offsets: list[int], file: SourceFile, open_at: int, close: int
) -> _Directive:
    start, stop = _strip_marks(text, open_at + 2, close)
    head = _KEYWORD.match(text, start, stop)
    keyword = head.group(1) if head else ""
    rest_start = head.end() if head else start
    expression, names = text[rest_start:stop], ()
    if keyword == "for":
        head, separator, collection = expression.partition(" in ")
        names = tuple(name.strip() for name in head.split(","))
        rest_start += len(head) + len(separator)
        expression = collection
    tree = None
    if keyword in ("if", "for") and expression.strip():
        try:
            tree, file = parse_fragment(expression, file, offsets[rest_start])
        except Exception:
            tree = None
    return _Directive(keyword, tree, file, names, start > open_at + 2, stop < close)


def _strip_marks(text: str, start: int, stop: int) -> tuple[int, int]:
    """The span of a `${ }`/`%{ }` body without its `~` strip markers."""
    if text[start : start + 1] == "~":
        start += 1
    if stop > start and text[stop - 1] == "~":
        stop -= 1
    return start, stop


def _result(
    segments: list,
    file: SourceFile,
    evaluate: Evaluate,
    location: Location,
    end: int,
    text: str,
) -> Node:
    try:
        items = _nest(_stripped(segments))
        builder = _Builder(file)
        _render(items, builder, evaluate, {})
    except _Unknown as error:
        return Node(SCALAR, Unresolved(_shorten(text), str(error)), location)
    return builder.result(location, end)


def _stripped(segments: list) -> list:
    """Apply `~` strip markers to the literal text next to them; drop the markers."""
    out: list = []
    strip_next = False
    for segment in segments:
        if isinstance(segment, _Literal):
            if strip_next:
                kept = segment.text.lstrip()
                segment = _Literal(kept, segment.offsets[len(segment.text) - len(kept) :])
            out.append(segment)
            strip_next = False
            continue
        if segment.strip_before:
            for index in range(len(out) - 1, -1, -1):
                if not isinstance(out[index], _Literal):
                    break
                kept = out[index].text.rstrip()
                out[index] = _Literal(kept, out[index].offsets[: len(kept)])
                if kept:
                    break
        strip_next = segment.strip_after
        out.append(segment)
    return out


def _nest(segments: list) -> list:
    """Group directives into `_If`/`_For` items; raise `_Unknown` when they do not pair up."""
    stack: list[tuple[object, list]] = [(None, [])]
    for segment in segments:
        if not isinstance(segment, _Directive):
            stack[-1][1].append(segment)
            continue
        if segment.keyword == "if":
            stack.append((_If(segment, [], []), []))
        elif segment.keyword == "for":
            stack.append((_For(segment, []), []))
        elif segment.keyword == "else" and isinstance(stack[-1][0], _If):
            stack[-1][0].then = stack[-1][1]
            stack[-1] = (stack[-1][0], stack[-1][0].otherwise)
        elif segment.keyword == "endif" and isinstance(stack[-1][0], _If):
            item, parts = stack.pop()
            if parts is not item.otherwise:
                item.then = parts
            stack[-1][1].append(item)
        elif segment.keyword == "endfor" and isinstance(stack[-1][0], _For):
            item, parts = stack.pop()
            item.body = parts
            stack[-1][1].append(item)
        else:
            raise _Unknown(f"template directive {segment.keyword!r} out of place")
    if len(stack) != 1:
        raise _Unknown("unterminated template directive")
    return stack[0][1]


def _render(items: list, builder: _Builder, evaluate: Evaluate, names: dict[str, Node]) -> None:
    for item in items:
        if isinstance(item, _Literal):
            builder.literal(item.text, item.offsets)
        elif isinstance(item, _Interpolation):
            if item.tree is None:
                where = builder.file.span(item.start, item.end)
                node = Node(SCALAR, Unresolved(item.source, "unreadable interpolation"), where)
            else:
                node = evaluate(item.tree, item.file, names)
            builder.value(node, item.source, item.start, item.end)
        elif isinstance(item, _If):
            test = _known(item.condition, evaluate, names)
            if not (test.is_scalar and isinstance(test.value, bool)):
                raise _Unknown("template directive over an unknown value")
            _render(item.then if test.value else item.otherwise, builder, evaluate, names)
        else:
            collection = _known(item.head, evaluate, names)
            if not (collection.is_seq or collection.is_map):
                raise _Unknown("template directive over an unknown value")
            for key, value in iterate(collection):
                bound = dict(names)
                if len(item.head.names) == 2:
                    bound[item.head.names[0]], bound[item.head.names[1]] = key, value
                else:
                    bound[item.head.names[0]] = value
                _render(item.body, builder, evaluate, bound)


def _known(directive: _Directive, evaluate: Evaluate, names: dict[str, Node]) -> Node:
    if directive.tree is None:
        raise _Unknown("unreadable template directive")
    return evaluate(directive.tree, directive.file, names)


def _shorten(text: str) -> str:
    first = text.strip().split("\n")[0]
    return first if len(first) < 80 else first[:77] + "..."


def matching_brace(text: str, start: int) -> int | None:
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
