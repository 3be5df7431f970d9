"""`terraform show -json` plan output, read into the model by the same extractors as HCL.

Each resource's planned values become a block of its module, with every value
fully resolved (policy attributes are JSON strings, decoded like any other). A
value known only after apply is `Pending`: unknown, with the references the
plan's `configuration` gives for it. A plan does not say where a value was
written, so every element is located at the resource's `"address"` token.
"""

from __future__ import annotations

import os
import re

from iamlint.model import Inventory, Location, ParseError, Reference, Unresolved
from iamlint.sources.nodes import MAP, SCALAR, SEQ, Node
from iamlint.sources.terraform import build_inventory, jsonsyntax
from iamlint.sources.terraform.hcl import Attribute, Block, Body, SourceFile
from iamlint.sources.terraform.module import Module
from iamlint.sources.terraform.values import Pending

_NOT_TARGETS = ("each", "count", "path", "self", "terraform", "local")
# one step of a module instance address: module.NAME, with an optional [key]
_MODULE_STEP = re.compile(r'module\.([\w-]+)(?:\[(?:"(?:[^"\\]|\\.)*"|\d+)\])?\.')


def is_plan(root: Node) -> bool:
    return (
        root.is_map
        and root.get("format_version") is not None
        and (root.get("planned_values") is not None or root.get("resource_changes") is not None)
    )


_MODULE = "module"  # a map holding `resources` and `child_modules`
_KIND_NAMES = {MAP: "an object", SEQ: "a list", _MODULE: "an object"}


def load_plan(root: Node, display: str, text: str) -> Inventory:
    problem = _shape_problem(root)
    if problem is not None:
        where, kind, found = problem
        message = (
            "not a Terraform plan as `terraform show -json` writes it: "
            f"{where} must be {_KIND_NAMES[kind]}"
        )
        error = ParseError(display, found.location.line, message, found.location.column)
        return Inventory(files=(display,), errors=(error,))
    source = SourceFile(display, display, text)
    directory = os.path.dirname(os.path.abspath(display))
    top = Module(directory, directory)
    top.files.append(source)
    modules = {"": top}
    changes = {
        str(change.get("address").value): change
        for change in _items(root, "resource_changes")
        if change.get("address") is not None
    }
    planned = root.get("planned_values")
    if planned is not None and planned.get("root_module") is not None:
        resources = _planned(planned.get("root_module"), "")
    else:
        resources = [
            (change, _text(change, "module_address") or "")
            for change in changes.values()
            if _after(change) is not None
        ]
    configuration = root.get("configuration")
    for resource, module_address in resources:
        address_node = resource.get("address")
        if address_node is None or not isinstance(address_node.value, str):
            continue
        prefix = f"{module_address}." if module_address else ""
        if prefix not in modules:
            modules[prefix] = Module(directory, directory, prefix=prefix)
            top.children[module_address] = modules[prefix]
        block = _block(resource, address_node, changes, configuration, source, prefix)
        if block is not None:
            modules[prefix]._add_block(block)
    if planned is not None:
        for block in _outputs(planned, root, configuration, source):
            top._add_block(block)
    return build_inventory(top)


def _shape_problem(root: Node) -> tuple[str, str, Node] | None:
    """The first value (in the file) of those where a plan keeps what it plans that has
    the wrong kind: where, the kind it must be, and the value (null counts as absent)."""
    checks: list[tuple[str, Node | None, str]] = [
        ("resource_changes", _path(root, "resource_changes"), SEQ),
        ("planned_values", _path(root, "planned_values"), MAP),
        ("planned_values.root_module", _path(root, "planned_values", "root_module"), _MODULE),
    ]
    problems = []
    while checks:
        where, found, kind = checks.pop()
        if found is None or found.value is None:
            continue
        if found.kind != (MAP if kind == _MODULE else kind):
            problems.append((where, kind, found))
            continue
        if kind == _MODULE:
            checks.append((f"{where}.resources", found.get("resources"), SEQ))
            children = found.get("child_modules")
            checks.append((f"{where}.child_modules", children, SEQ))
            if children is not None and children.is_seq:
                checks.extend(
                    (f"{where}.child_modules[{i}]", child, _MODULE)
                    for i, child in enumerate(children.value)
                )
    return min(problems, key=lambda p: (p[2].location.line, p[2].location.column), default=None)


def _planned(module: Node, address: str) -> list[tuple[Node, str]]:
    """The resources of a planned module and of every module below it, each with
    the address of its module."""
    found = [(item, address) for item in _items(module, "resources") if item.is_map]
    for child in _items(module, "child_modules"):
        found.extend(_planned(child, _text(child, "address") or address))
    return found


def _block(
    resource: Node,
    address_node: Node,
    changes: dict[str, Node],
    configuration: Node | None,
    source: SourceFile,
    prefix: str,
) -> Block | None:
    address = str(address_node.value)
    mode, type_ = _text(resource, "mode"), _text(resource, "type")
    if type_ is None:
        return None
    local = address[len(prefix) :].removeprefix("data.")
    if not local.startswith(f"{type_}."):
        return None
    change = changes.get(address)
    values = resource.get("values") if resource.get("values") is not None else _after(resource)
    unknown = _change(change, "after_unknown")
    config_address = f"{'data.' if mode == 'data' else ''}{type_}.{_text(resource, 'name')}"
    expressions = _expressions(configuration, prefix, config_address)
    where = address_node.location
    merged = _with_unknowns(values, unknown, expressions, where, address, prefix)
    if merged is None or not merged.is_map:
        return None
    body = jsonsyntax.body(merged, source)
    kind = "data" if mode == "data" else "resource"
    return Block(kind, (type_, local[len(type_) + 1 :]), body, source, where, resource.location)


def _outputs(planned: Node, root: Node, configuration: Node | None, source: SourceFile):
    """Root outputs as `output` blocks, so values traced into them are seen."""
    outputs = planned.get("outputs")
    changes = root.get("output_changes")
    declared = _path(configuration, "root_module", "outputs")
    for key, output in outputs.pairs() if outputs is not None else []:
        name = str(key.value)
        change = changes.get(name) if changes is not None else None
        expression = _path(declared, name, "expression")
        value = _with_unknowns(
            output.get("value"),
            _change(change, "after_unknown") if change is not None else None,
            expression,
            key.location,
            f"output.{name}",
            "",
        )
        if value is None:
            continue
        attribute = Attribute("value", value, source, key.location)
        yield Block(
            "output", (name,), Body({"value": attribute}), source, key.location, key.location
        )


def _with_unknowns(
    value: Node | None,
    unknown: Node | None,
    expressions: Node | None,
    where: Location,
    path: str,
    prefix: str,
) -> Node | None:
    """Planned values, all at `where`, with each value known only after apply `Pending`."""
    if unknown is not None and unknown.is_scalar and unknown.value is True:
        return _pending(expressions, where, path, prefix)
    leaf = _is_expression(expressions)
    if value is None:
        if unknown is None or not unknown.is_map:
            return None
        value = Node(MAP, [], where)
    if value.is_map:
        flags = unknown if unknown is not None and unknown.is_map else Node(MAP, [], where)
        names = [k for k, _ in value.pairs()]
        names += [k for k, v in flags.pairs() if v.value is True and value.get(k.value) is None]
        pairs = []
        for key in names:
            merged = _with_unknowns(
                value.get(key.value),
                flags.get(key.value),
                expressions if leaf else _path(expressions, key.value),
                where,
                f"{path}.{key.value}",
                prefix,
            )
            if merged is not None:
                pairs.append((Node(SCALAR, key.value, where), merged))
        return Node(MAP, pairs, where)
    if value.is_seq:
        items = []
        marks = unknown.items() if unknown is not None and unknown.is_seq else []
        blocks = expressions.items() if expressions is not None and expressions.is_seq else []
        for index, item in enumerate(value.items()):
            merged = _with_unknowns(
                item,
                marks[index] if index < len(marks) else None,
                expressions if leaf else (blocks[index] if index < len(blocks) else None),
                where,
                f"{path}[{index}]",
                prefix,
            )
            if merged is not None:
                items.append(merged)
        return Node(SEQ, items, where)
    return Node(SCALAR, value.value, where)


def _pending(expressions: Node | None, where: Location, path: str, prefix: str) -> Node:
    written = [str(item.value) for item in _items(expressions, "references") if item.is_scalar]
    references = _references(written, prefix)
    text = written[0] if written else path
    return Pending(SCALAR, Unresolved(text, "known only after apply"), where, references=references)


def _references(written: list[str], prefix: str) -> tuple[Reference, ...]:
    """Terraform lists `aws_iam_access_key.k.secret` and then `aws_iam_access_key.k`:
    keep the most specific of each."""
    found: dict[str, Reference] = {}
    for text in written:
        parts = text.split(".")
        root = parts[0]
        if root in _NOT_TARGETS or len(parts) < 2:
            continue
        if root == "var":
            reference = Reference(f"var.{parts[1].split('[')[0]}", "", is_input=True)
        else:
            size = 3 if root == "data" else 2
            target = ".".join(parts[:size]).split("[")[0]
            attribute = parts[size].split("[")[0] if len(parts) > size else ""
            reference = Reference(f"{prefix}{target}", attribute)
        if reference.target not in found or not found[reference.target].attribute:
            found[reference.target] = reference
    return tuple(found.values())


def _expressions(configuration: Node | None, prefix: str, config_address: str) -> Node | None:
    """The configuration expressions of a resource (`aws_iam_role.r` inside the
    module instance `module.m["a"].`)."""
    module = _path(configuration, "root_module")
    for name in _MODULE_STEP.findall(prefix):
        module = _path(module, "module_calls", name, "module")
    for resource in _items(module, "resources"):
        if _text(resource, "address") == config_address:
            return resource.get("expressions")
    return None


def _is_expression(node: Node | None) -> bool:
    return node is not None and node.is_map and set(node.keys()) <= {"references", "constant_value"}


def _after(change: Node) -> Node | None:
    return _change(change, "after")


def _change(change: Node | None, name: str) -> Node | None:
    return _path(change, "change", name)


def _path(node: Node | None, *names: str) -> Node | None:
    for name in names:
        if node is None or not node.is_map:
            return None
        node = node.get(name)
    return node


def _items(node: Node | None, name: str) -> list[Node]:
    found = _path(node, name)
    return found.items() if found is not None and found.is_seq else []


def _text(node: Node, name: str) -> str | None:
    found = node.get(name)
    return found.value if found is not None and isinstance(found.value, str) else None
