"""A Terraform module directory: its files read together, its variables bound
(tfvars, `--var-file`, a caller's arguments), and the local modules it calls."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from iamlint.discover import display_path, module_files
from iamlint.model import Location, ParseError, Reference
from iamlint.sources import jsonpos, reading
from iamlint.sources.nodes import MAP, SCALAR, Node
from iamlint.sources.terraform import hcl, jsonsyntax
from iamlint.sources.terraform.expressions import Evaluator
from iamlint.sources.terraform.hcl import Attribute, Block, SourceFile
from iamlint.sources.terraform.values import string_of, unresolved

_MODULE_META_ARGUMENTS = frozenset(
    {"source", "version", "count", "for_each", "providers", "depends_on"}
)
MAX_MODULE_DEPTH = 8


@dataclass
class ModuleCall:
    """How a called module was reached: `module.m` in the caller, for messages."""

    address: str
    location: Location


@dataclass
class Module:
    directory: str
    root: str  # files outside this folder are never read
    prefix: str = ""
    call: ModuleCall | None = None
    files: list[SourceFile] = field(default_factory=list)
    errors: list[ParseError] = field(default_factory=list)
    variables: dict[str, Block] = field(default_factory=dict)
    locals: dict[str, Attribute] = field(default_factory=dict)
    resources: list[Block] = field(default_factory=list)
    data: dict[tuple[str, str], Block] = field(default_factory=dict)
    calls: dict[str, Block] = field(default_factory=dict)
    outputs: dict[str, Block] = field(default_factory=dict)
    other_blocks: list[Block] = field(default_factory=list)
    values: dict[str, Node] = field(default_factory=dict)  # tfvars and --var-file
    inputs: dict[str, tuple[Attribute, Evaluator]] = field(default_factory=dict)
    children: dict[str, Module] = field(default_factory=dict)
    read_files: dict[str, SourceFile] = field(default_factory=dict)
    unresolved_calls: list[tuple[Block, str]] = field(default_factory=list)
    root_directory: str = ""  # the root module's folder: relative file() paths start there
    evaluator: Evaluator = field(init=False)
    _variables: dict[str, tuple[Node | None, list[Reference]]] = field(default_factory=dict)
    _documents: dict[str, Node | None] = field(default_factory=dict)
    _building: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.evaluator = Evaluator(self)
        self.root_directory = self.root_directory or self.directory

    # -- reading ----------------------------------------------------------------------

    def add_file(self, path: str, display: str) -> None:
        text = self._read(path, display)
        if text is None:
            return
        source = SourceFile(display, path, text)
        try:
            body = jsonsyntax.parse(source) if path.endswith(".json") else hcl.parse(source)
        except hcl.HCLError as error:
            self.errors.append(hcl.parse_error(source, error))
            return
        self.files.append(source)
        for block in body.blocks:
            self._add_block(block)

    def _add_block(self, block: Block) -> None:
        labels = block.labels
        if block.type == "variable" and labels:
            self.variables[labels[0]] = block
        elif block.type == "locals":
            self.locals.update(block.body.attributes)
        elif block.type == "resource" and len(labels) == 2:
            self.resources.append(block)
        elif block.type == "data" and len(labels) == 2:
            self.data[(labels[0], labels[1])] = block
        elif block.type == "module" and labels:
            self.calls[labels[0]] = block
        elif block.type == "output" and labels:
            self.outputs[labels[0]] = block
        else:
            self.other_blocks.append(block)

    def add_values(self, path: str, display: str) -> None:
        """A tfvars file (HCL or JSON): its values override variable defaults."""
        text = self._read(path, display)
        if text is None:
            return
        if path.endswith(".json"):
            try:
                root = jsonpos.loads(text, display)
            except jsonpos.JSONPositionError as error:
                self.errors.append(ParseError(display, error.line, error.message, error.column))
                return
            self.values.update({str(k.value): v for k, v in root.pairs()})
            return
        source = SourceFile(display, path, text)
        try:
            body = hcl.parse(source)
        except hcl.HCLError as error:
            self.errors.append(hcl.parse_error(source, error))
            return
        for name, attribute in body.attributes.items():
            self.values[name] = self.evaluator.attribute(attribute)

    def _read(self, path: str, display: str) -> str | None:
        try:
            return reading.read_text(path)
        except reading.Unreadable as error:
            self.errors.append(ParseError(display, error.line, error.message))
            return None

    def load_calls(self, depth: int = 0) -> None:
        """Read the local modules this module calls, binding their variables."""
        for name, block in self.calls.items():
            source_attribute = block.attribute("source")
            source = (
                string_of(self.evaluator.attribute(source_attribute)) if source_attribute else None
            )
            if source is None or not source.startswith(("./", "../")):
                self.unresolved_calls.append((block, "module source is not a local path"))
                continue
            directory = os.path.normpath(os.path.join(self.directory, source))
            if depth >= MAX_MODULE_DEPTH or not self._inside_root(directory):
                self.unresolved_calls.append((block, "module outside the scanned tree"))
                continue
            child = Module(
                directory,
                self.root,
                prefix=f"{self.prefix}module.{name}.",
                call=ModuleCall(f"{self.prefix}module.{name}", block.location),
                root_directory=self.root_directory,
            )
            for path, display in (
                module_files(directory, self.root) if os.path.isdir(directory) else []
            ):
                child.add_file(path, display)
            child.inputs = {
                key: (attribute, self.evaluator)
                for key, attribute in block.body.attributes.items()
                if key not in _MODULE_META_ARGUMENTS
            }
            self.children[name] = child
            child.load_calls(depth + 1)

    def all_blocks(self) -> list[Block]:
        return [
            *self.variables.values(),
            *self.resources,
            *self.data.values(),
            *self.outputs.values(),
            *self.other_blocks,
        ]

    def walk(self) -> list[Module]:
        """This module and every module it calls, callers first."""
        found = [self]
        for child in self.children.values():
            found.extend(child.walk())
        return found

    # -- the evaluation context -------------------------------------------------------

    def variable(self, name: str) -> Node | None:
        if name not in self._variables:
            self._variables[name] = (None, [])  # a variable defined through itself stays unknown
            self._variables[name] = self._variable(name)
        value, references = self._variables[name]
        for reference in references:
            self.evaluator.record(reference)
        return value

    def _variable(self, name: str) -> tuple[Node | None, list[Reference]]:
        if name in self.inputs:
            attribute, caller = self.inputs[name]
            with caller.collecting(propagate=False) as found:
                value = caller.attribute(attribute)
            return value, found
        if name in self.values:
            return self.values[name], []
        block = self.variables.get(name)
        default = block.attribute("default") if block else None
        if default is None:
            return None, []
        with self.evaluator.collecting(propagate=False) as found:
            value = self.evaluator.attribute(default)
        return value, found

    def local(self, name: str) -> Attribute | None:
        return self.locals.get(name)

    def data_json(self, type_: str, name: str, location: Location) -> Node | None:
        from iamlint.sources.terraform.policy_document import build_document

        key = f"{type_}.{name}"
        if key not in self._documents:
            block = self.data.get((type_, name))
            if block is None or key in self._building:
                return None
            self._building.add(key)
            try:
                self._documents[key] = build_document(block, self, f"{self.prefix}data.{key}")
            finally:
                self._building.discard(key)
        return self._documents[key]

    def module_output(self, module: str, output: str, location: Location) -> Node | None:
        child = self.children.get(module)
        block = child.outputs.get(output) if child else None
        value = block.attribute("value") if block else None
        if child is None or value is None:
            return None
        with child.evaluator.collecting(propagate=False) as found:
            result = child.evaluator.attribute(value)
        through = f"{self.prefix}module.{module}.{output}"
        for reference in found:
            self.evaluator.record(
                Reference(
                    reference.target,
                    reference.attribute,
                    reference.is_input,
                    (through, *reference.via),
                )
            )
        return result

    def module_path(self) -> str:
        relative = os.path.relpath(self.directory, self.root_directory)
        return relative.replace(os.sep, "/")

    def read_file(self, path: str) -> SourceFile | None:
        if os.path.isabs(path) or "\x00" in path:
            return None
        full = os.path.normpath(os.path.join(self.root_directory, path))
        if not self._inside_root(full) or not os.path.isfile(full):
            return None
        real = os.path.realpath(full)
        if real not in self.read_files:
            try:
                text = reading.read_text(real)
            except reading.Unreadable:
                return None
            self.read_files[real] = SourceFile(display_path(full), full, text)
        return self.read_files[real]

    def _inside_root(self, path: str) -> bool:
        root = os.path.realpath(self.root)
        real = os.path.realpath(path)
        return real == root or real.startswith(root.rstrip(os.sep) + os.sep)

    # -- helpers for the extractors ---------------------------------------------------

    def address(self, block: Block) -> str:
        if block.type == "data":
            return f"{self.prefix}data.{block.labels[0]}.{block.labels[1]}"
        if block.type == "module":
            return f"{self.prefix}module.{block.labels[0]}"
        return f"{self.prefix}{block.labels[0]}.{block.labels[1]}"

    def instances(self, block: Block) -> list[tuple[str, dict[str, Node]]]:
        """The instances of a resource: one per element of a literal `count`/`for_each`,
        else one whose `count.index`/`each.*` stay unknown."""
        address = self.address(block)
        count = block.attribute("count")
        for_each = block.attribute("for_each")
        if count is not None:
            value = self.evaluator.attribute(count)
            if (
                isinstance(value.value, int)
                and not isinstance(value.value, bool)
                and value.is_scalar
            ):
                return [
                    (
                        f"{address}[{i}]",
                        {"count": _object({"index": Node(SCALAR, i, value.location)})},
                    )
                    for i in range(min(value.value, 20))
                ]
        elif for_each is not None:
            value = self.evaluator.attribute(for_each)
            if value.is_map or value.is_seq:
                instances = []
                for key, item in _each(value)[:20]:
                    each = _object({"key": key, "value": item})
                    instances.append((f'{address}["{key.value}"]', {"each": each}))
                return instances
        return [(address, {})]


def _each(value: Node) -> list[tuple[Node, Node]]:
    if value.is_map:
        return [(Node(SCALAR, k.value, k.location), v) for k, v in value.pairs()]
    return [(item, item) for item in value.items()]


def _object(entries: dict[str, Node]) -> Node:
    first = next(iter(entries.values()))
    return Node(MAP, [(Node(SCALAR, k, v.location), v) for k, v in entries.items()], first.location)


def unknown_iterator(name: str, location: Location) -> Node:
    """A dynamic block's iterator over an unknown collection."""
    return _object(
        {
            "key": unresolved(f"{name}.key", location),
            "value": unresolved(f"{name}.value", location),
        }
    )
