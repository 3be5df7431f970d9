"""Evaluate the literal subset of HCL expressions into position-keeping `Node`s.

What cannot be known statically becomes an `Unresolved` scalar carrying its
source text; it is never `*`. While evaluating, every resource attribute and
variable a value is built from is recorded as a `Reference` (with the locals
and module inputs it passed through), so compute values can be traced to
access keys and attachments to the resources they name.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Protocol

from lark import Token, Tree

from iamlint.model import Location, Reference
from iamlint.sources.nodes import MAP, SCALAR, SEQ, Choice, Node
from iamlint.sources.terraform import functions, jsonsyntax, templates
from iamlint.sources.terraform.hcl import Attribute, SourceFile
from iamlint.sources.terraform.values import (
    flatten_choices,
    is_unresolved,
    iterate,
    string_of,
    unresolved,
)

_SKIP = ("new_line_or_comment",)
_SYMBOLIC_ROOTS = ("self", "terraform")


class EvaluationError(Exception):
    """An operation on known values that Terraform would reject (caught by `try`/`can`)."""


class Context(Protocol):
    """What the evaluator needs from the module it evaluates in."""

    prefix: str  # "" for the root module, "module.m." inside a called module

    def variable(self, name: str) -> Node | None: ...

    def local(self, name: str) -> Attribute | None: ...

    def data_json(self, type_: str, name: str, location: Location) -> Node | None: ...

    def module_output(self, module: str, output: str, location: Location) -> Node | None: ...

    def module_path(self) -> str: ...

    def read_file(self, path: str) -> SourceFile | None: ...


class Evaluator:
    def __init__(self, context: Context) -> None:
        self.context = context
        self._locals: dict[str, tuple[Node, list[Reference]]] = {}
        self._active: set[str] = set()
        self._collectors: list[list[Reference]] = []
        self._via: tuple[str, ...] = ()

    # -- entry points -----------------------------------------------------------------

    def evaluate(
        self, tree: Tree | Node, file: SourceFile, scope: dict[str, Node] | None = None
    ) -> Node:
        if isinstance(tree, Node):
            return jsonsyntax.evaluate(self, tree, file, scope or {})
        try:
            return self._eval(tree, file, scope or {})
        except EvaluationError as error:
            return unresolved(file.source(tree), file.location(tree), str(error))
        except RecursionError:
            return unresolved(file.source(tree), file.location(tree), "nested too deeply")

    def attribute(self, attribute: Attribute, scope: dict[str, Node] | None = None) -> Node:
        return self.evaluate(attribute.expression, attribute.file, scope)

    @contextmanager
    def collecting(self, propagate: bool = True) -> Iterator[list[Reference]]:
        """Collect the references met while evaluating inside the block; they also
        reach the enclosing collector unless `propagate` is False (the caller then
        replays them itself, e.g. with the local they passed through)."""
        found: list[Reference] = []
        self._collectors.append(found)
        try:
            yield found
        finally:
            self._collectors.pop()
            if propagate and self._collectors:
                self._collectors[-1].extend(found)

    def record(self, reference: Reference) -> None:
        if self._via:
            reference = Reference(
                reference.target,
                reference.attribute,
                reference.is_input,
                self._via + reference.via,
            )
        if self._collectors:
            self._collectors[-1].append(reference)

    # -- expressions ------------------------------------------------------------------

    def _eval(self, tree: Tree | Token, file: SourceFile, scope: dict[str, Node]) -> Node:
        if isinstance(tree, Token):
            raise EvaluationError(f"unexpected token {tree!s}")
        kind = tree.data
        if kind == "expr_term":
            return self._eval(_inner(tree), file, scope)
        location = file.location(tree)
        if kind == "string":
            return templates.quoted(tree, file, self.in_template(scope))
        if kind in ("heredoc_template", "heredoc_template_trim"):
            return templates.heredoc(tree.children[0], file, self.in_template(scope), location)
        if kind == "int_lit":
            return Node(SCALAR, int(str(tree.children[0])), location)
        if kind == "float_lit":
            return Node(SCALAR, float(str(tree.children[0])), location)
        if kind == "literal_value":
            text = str(tree.children[0])
            return Node(SCALAR, {"true": True, "false": False}.get(text), location)
        if kind == "tuple":
            items = [self._eval(child, file, scope) for child in _trees(tree)]
            return Node(SEQ, flatten_choices(items), location)
        if kind == "object":
            return self._object(tree, file, scope, location)
        if kind == "conditional":
            return self._conditional(tree, file, scope, location)
        if kind == "function_call":
            return functions.call(self, tree, file, scope, location)
        if kind in ("identifier", "get_attr_expr_term", "index_expr_term"):
            return self._traversal(tree, file, scope, location)
        if kind in ("attr_splat_expr_term", "full_splat_expr_term"):
            return self._splat(tree, file, scope, location)
        if kind == "for_tuple_expr" or kind == "for_object_expr":
            return self._for(tree, file, scope, location)
        if kind in ("binary_op", "unary_op"):
            return functions.operator(self, tree, file, scope, location)
        return self._unknown(tree, file, scope, location, f"unsupported expression {kind}")

    def in_template(self, scope: dict[str, Node]) -> templates.Evaluate:
        """How a template evaluates its interpolations: in `scope`, plus the names its
        `%{ for }` directives bind."""
        return lambda tree, file, names: self._eval(tree, file, {**scope, **names})

    def _unknown(
        self, tree: Tree, file: SourceFile, scope: dict[str, Node], location: Location, why: str
    ) -> Node:
        """Unresolved, after evaluating the parts so their references are still recorded."""
        for child in tree.iter_subtrees_topdown():
            if child.data in ("get_attr_expr_term", "identifier") and child is not tree:
                with suppress(EvaluationError):
                    self._traversal(child, file, scope, file.location(child))
        return unresolved(file.source(tree), location, why)

    def _object(
        self, tree: Tree, file: SourceFile, scope: dict[str, Node], location: Location
    ) -> Node:
        pairs = []
        for element in _trees(tree):
            key_tree, value_tree = (c for c in element.children if isinstance(c, Tree))
            key_expression = _inner(key_tree)
            key_location = file.location(key_tree)
            name = _bare_name(key_expression)
            if name is not None:
                key = Node(SCALAR, name, key_location)
            else:
                key = self._eval(key_expression, file, scope)
                text = string_of(key)
                key = Node(SCALAR, text if text is not None else key.value, key_location)
            pairs.append((key, self._eval(value_tree, file, scope)))
        return Node(MAP, pairs, location)

    def _conditional(
        self, tree: Tree, file: SourceFile, scope: dict[str, Node], location: Location
    ) -> Node:
        condition, when_true, when_false = _trees(tree)
        test = self._eval(condition, file, scope)
        if test.is_scalar and isinstance(test.value, bool):
            return self._eval(when_true if test.value else when_false, file, scope)
        first = self._eval(when_true, file, scope)
        second = self._eval(when_false, file, scope)
        if first.is_scalar and second.is_scalar and first.value == second.value:
            return first
        if first.is_seq and second.is_seq:
            return Node(SEQ, flatten_choices([*first.items(), *second.items()]), location)
        return Choice(SEQ, flatten_choices([first, second]), location, file.source(tree))

    def _for(
        self, tree: Tree, file: SourceFile, scope: dict[str, Node], location: Location
    ) -> Node:
        intro = next(child for child in _trees(tree) if child.data == "for_intro")
        names = [
            str(c.children[0])
            for c in intro.children
            if isinstance(c, Tree) and c.data == "identifier"
        ]
        collection_tree = next(c for c in _trees(intro) if c.data != "identifier")
        rest = [c for c in _trees(tree) if c.data != "for_intro"]
        condition = rest.pop().children if rest and rest[-1].data == "for_cond" else None
        collection = self._eval(collection_tree, file, scope)
        if not (collection.is_seq or collection.is_map):
            return self._unknown(tree, file, scope, location, "for over an unknown collection")
        grouping = any(isinstance(c, Token) and c.type == "ELLIPSIS" for c in tree.children)
        results: list[tuple[Node | None, Node]] = []
        for key, value in iterate(collection):
            inner = dict(scope)
            if len(names) == 2:
                inner[names[0]], inner[names[1]] = key, value
            else:
                inner[names[0]] = value
            if condition is not None:
                test = self._eval(next(c for c in condition if isinstance(c, Tree)), file, inner)
                if test.is_scalar and test.value is False:
                    continue
            if tree.data == "for_tuple_expr":
                results.append((None, self._eval(rest[0], file, inner)))
            else:
                results.append((self._eval(rest[0], file, inner), self._eval(rest[1], file, inner)))
        if tree.data == "for_tuple_expr":
            return Node(SEQ, flatten_choices([value for _, value in results]), location)
        pairs: list[tuple[Node, Node]] = []
        for key, value in results:
            assert key is not None
            text = string_of(key)
            key = Node(SCALAR, text if text is not None else key.value, key.location)
            existing = next((v for k, v in pairs if k.value == key.value), None)
            if grouping and existing is not None:
                existing.value.append(value)
            elif grouping:
                pairs.append((key, Node(SEQ, [value], value.location)))
            else:
                pairs.append((key, value))
        return Node(MAP, pairs, location)

    def _splat(
        self, tree: Tree, file: SourceFile, scope: dict[str, Node], location: Location
    ) -> Node:
        base_tree, splat = _trees(tree)
        base = self._eval(base_tree, file, scope)
        if is_unresolved(base):
            return unresolved(file.source(tree), location, "splat over an unknown value")
        items = base.items() if base.is_seq else [base]
        results = []
        for item in items:
            for step in _trees(splat):
                item = self._step(item, step, file, scope, location)
            results.append(item)
        return Node(SEQ, results, location)

    # -- references -------------------------------------------------------------------

    def _traversal(
        self, tree: Tree, file: SourceFile, scope: dict[str, Node], location: Location
    ) -> Node:
        base, root, steps = _flatten(tree)
        if root is None:
            return self._apply(self._eval(base, file, scope), steps, file, scope, location)
        if root in scope:
            return self._apply(scope[root], steps, file, scope, location)
        names = [_step_name(step) for step in steps]
        source = file.source(tree)
        if root == "var" and names and names[0]:
            return self._variable(names[0], steps[1:], file, scope, location, source)
        if root == "local" and names and names[0]:
            value = self._local(names[0], location)
            return self._apply(value, steps[1:], file, scope, location)
        if root == "path" and names and names[0] in ("module", "root", "cwd"):
            path = self.context.module_path() if names[0] == "module" else "."
            return Node(SCALAR, path, location)
        if root == "data" and len(names) >= 3 and names[0] and names[1]:
            return self._data(names, steps, file, scope, location, source)
        if root == "module" and len(names) >= 2 and names[0] and names[1]:
            output = self.context.module_output(names[0], names[1], location)
            self.record(Reference(f"{self.context.prefix}module.{names[0]}", names[1]))
            if output is None:
                return unresolved(source, location, "output of a module that is not read")
            return self._apply(output, steps[2:], file, scope, location)
        if root in ("each", "count", *_SYMBOLIC_ROOTS) or not names or not names[0]:
            return unresolved(source, location, f"{root} is only known when Terraform runs")
        attribute = next((name for name in names[1:] if name), "")
        self.record(Reference(f"{self.context.prefix}{root}.{names[0]}", attribute))
        return unresolved(source, location, "attribute of a resource")

    def _variable(
        self,
        name: str,
        steps: list[Tree],
        file: SourceFile,
        scope: dict[str, Node],
        location: Location,
        source: str,
    ) -> Node:
        self.record(Reference(f"var.{name}", "", is_input=True))
        previous = self._via
        self._via = (*previous, f"{self.context.prefix}var.{name}")
        try:
            value = self.context.variable(name)
        finally:
            self._via = previous
        if value is None:
            return unresolved(source, location, "variable without a default or value")
        return self._apply(value, steps, file, scope, location)

    def _local(self, name: str, location: Location) -> Node:
        key = f"local.{name}"
        if key not in self._locals:
            attribute = self.context.local(name)
            if attribute is None:
                return unresolved(key, location, "undefined local value")
            if key in self._active:
                return unresolved(key, location, "local value defined in terms of itself")
            self._active.add(key)
            previous, self._via = self._via, ()
            try:
                with self.collecting(propagate=False) as found:
                    value = self.attribute(attribute)
            finally:
                self._via = previous
                self._active.discard(key)
            # each use replays these: kept once each, or a chain of locals that each use
            # the previous one ten times would replay 10**n references
            self._locals[key] = (value, list(dict.fromkeys(found)))
        value, found = self._locals[key]
        for reference in found:
            self.record(
                Reference(
                    reference.target,
                    reference.attribute,
                    reference.is_input,
                    (f"{self.context.prefix}{key}", *reference.via),
                )
            )
        return value

    def _data(
        self,
        names: list[str | None],
        steps: list[Tree],
        file: SourceFile,
        scope: dict[str, Node],
        location: Location,
        source: str,
    ) -> Node:
        type_, name = names[0], names[1]
        assert type_ is not None and name is not None
        rest = steps[2:]
        while rest and _step_name(rest[0]) is None:
            rest = rest[1:]  # an instance index: every instance reads the same
        attribute = _step_name(rest[0]) if rest else None
        self.record(Reference(f"{self.context.prefix}data.{type_}.{name}", attribute or ""))
        if type_ == "aws_iam_policy_document" and attribute in ("json", "minified_json"):
            document = self.context.data_json(type_, name, location)
            if document is not None:
                return document
        return unresolved(source, location, "attribute of a data source")

    def _apply(
        self,
        value: Node,
        steps: list[Tree],
        file: SourceFile,
        scope: dict[str, Node],
        location: Location,
    ) -> Node:
        for step in steps:
            value = self._step(value, step, file, scope, location)
        return value

    def _step(
        self, value: Node, step: Tree, file: SourceFile, scope: dict[str, Node], location: Location
    ) -> Node:
        if is_unresolved(value):
            return value
        name = _step_name(step)
        if name is not None:
            if value.is_map:
                found = value.get(name)
                if found is None:
                    raise EvaluationError(f"the object has no attribute {name!r}")
                return found
            raise EvaluationError(f"cannot read attribute {name!r} of a non-object")
        index_tree = _index_expression(step)
        if isinstance(index_tree, Token):
            index: Node = Node(SCALAR, int(str(index_tree)), location)
        else:
            index = self._eval(index_tree, file, scope)
        if is_unresolved(index):
            if value.is_seq and len({repr(item.to_python()) for item in value.items()}) == 1:
                return value.items()[0]
            return unresolved(f"{readable_source(value)}[{index.value}]", location, "unknown index")
        return functions.index(value, index)


def readable_source(node: Node) -> str:
    return "..." if not node.is_scalar else str(node.value)


def _trees(tree: Tree) -> list[Tree]:
    return [c for c in tree.children if isinstance(c, Tree) and c.data not in _SKIP]


def _inner(tree: Tree) -> Tree:
    if isinstance(tree, Tree) and tree.data in ("expr_term", "object_elem_key"):
        children = _trees(tree)
        if len(children) == 1:
            return _inner(children[0]) if children[0].data == "expr_term" else children[0]
    return tree


def _bare_name(tree: Tree) -> str | None:
    """An object key written as a bare word (`Version = ...`) is that word, not a reference."""
    if tree.data in ("identifier", "keyword"):
        return str(tree.children[0])
    return None


def _flatten(tree: Tree) -> tuple[Tree, str | None, list[Tree]]:
    """A traversal `root.a[0].b` as its base, the base's name if it is a bare
    identifier, and the steps (get_attr / index trees)."""
    steps: list[Tree] = []
    while tree.data in ("get_attr_expr_term", "index_expr_term"):
        base, step = _trees(tree)
        steps.insert(0, step)
        tree = _inner(base)
    if tree.data == "identifier":
        return tree, str(tree.children[0]), steps
    return tree, None, steps


def _step_name(step: Tree) -> str | None:
    if step.data == "get_attr":
        return str(_trees(step)[0].children[0])
    return None


def _index_expression(step: Tree) -> Tree | Token:
    if step.data == "short_index":
        return next(c for c in step.children if isinstance(c, Token) and c.type == "INT_LITERAL")
    return _trees(step)[0]
