"""One decoded template: its resources, with their raw and resolved properties,
and the helpers every extractor shares (names of targets, embedded JSON documents)."""

from __future__ import annotations

from dataclasses import dataclass, field

from iamlint.model import Location, Unresolved
from iamlint.sources import jsonpos
from iamlint.sources.cloudformation.intrinsics import Resolver, deployed_under
from iamlint.sources.nodes import MAP, SCALAR, SEQ, Conditional, Node

_TYPE_PREFIXES = ("AWS::", "Custom::", "Alexa::")
_NAME_PROPERTIES = {
    "AWS::IAM::Role": "RoleName",
    "AWS::IAM::User": "UserName",
    "AWS::IAM::Group": "GroupName",
    "AWS::IAM::ManagedPolicy": "ManagedPolicyName",
    "AWS::IAM::InstanceProfile": "InstanceProfileName",
}


def is_template(root: Node) -> bool:
    """A CloudFormation template: `AWSTemplateFormatVersion`, or a `Resources`
    map whose resources have AWS/custom types."""
    if not root.is_map:
        return False
    if root.get("AWSTemplateFormatVersion") is not None:
        return True
    resources = root.get("Resources")
    if resources is None or not resources.is_map:
        return False
    for _, resource in resources.pairs():
        kind = resource.get("Type") if resource.is_map else None
        if (
            kind is not None
            and isinstance(kind.value, str)
            and kind.value.startswith(_TYPE_PREFIXES)
        ):
            return True
    return False


@dataclass
class Resource:
    logical_id: str
    type: str
    key: Node  # the logical id token
    node: Node  # the resource's map
    raw_properties: Node | None
    template: Template = field(repr=False)
    _resolved: Node | None = field(default=None, repr=False)

    @property
    def location(self) -> Location:
        return self.key.location

    @property
    def span(self) -> Location:
        start, end = self.key.location, self.node.location
        return Location(start.file, start.line, start.column, end.end_line, end.end_column)

    @property
    def properties(self) -> Node:
        """The properties with intrinsics resolved (an empty map if there are none)."""
        if self._resolved is None:
            resolved = None
            if self.raw_properties is not None:
                resolved = self.template.resolver.resolve(self.raw_properties)
            self._resolved = resolved if resolved is not None else Node(MAP, [], self.node.location)
        return self._resolved

    def get(self, name: str) -> Node | None:
        return self.properties.get(name)


class Template:
    def __init__(self, root: Node, file: str, lines: list[str]) -> None:
        self.root = root
        self.file = file
        self.lines = lines
        self.resolver = Resolver(root)
        self.resources: list[Resource] = []
        resources = root.get("Resources")
        for key, node in resources.pairs() if resources is not None else ():
            kind = node.get("Type") if node.is_map else None
            if not isinstance(key.value, str) or kind is None or not isinstance(kind.value, str):
                continue
            self.resources.append(
                Resource(str(key.value), kind.value, key, node, node.get("Properties"), self)
            )
        self.by_id = {resource.logical_id: resource for resource in self.resources}
        self._by_name: dict[tuple[str, str], str] | None = None

    def of_type(self, *types: str) -> list[Resource]:
        return [resource for resource in self.resources if resource.type in types]

    def target(self, node: Node, resource_type: str) -> str | None:
        """The logical id a value designates (`!Ref X`, `!GetAtt X.Arn`, or the name
        a resource of `resource_type` declares), else the value's own text."""
        value = node.value if node.is_scalar else None
        if isinstance(value, Unresolved):
            source = value.source
            inner = source[2:-1]
            if source.startswith("${") and source.endswith("}") and "${" not in inner:
                logical_id = inner.split(".", 1)[0]
                if logical_id in self.by_id or "::" not in logical_id:
                    return logical_id
            return source
        if isinstance(value, str):
            return self._names().get((resource_type, value), value)
        return None

    def targets(self, node: Node | None, resource_type: str) -> tuple[str, ...]:
        if node is None:
            return ()
        found = (self.target(item, resource_type) for item in node.items())
        return tuple(dict.fromkeys(name for name in found if name))

    def _names(self) -> dict[tuple[str, str], str]:
        if self._by_name is None:
            self._by_name = {}
            for resource in self.resources:
                prop = _NAME_PROPERTIES.get(resource.type)
                name = resource.get(prop) if prop else None
                if name is not None and isinstance(name.value, str):
                    self._by_name[(resource.type, name.value)] = resource.logical_id
        return self._by_name

    def document(self, node: Node | None) -> Node | None:
        """A policy document: an object, or a JSON string (also one built with
        `Fn::Sub`, whose unknown parts stay `Unresolved`)."""
        if node is None or node.is_map:
            return node
        if not node.is_scalar:
            return node  # build_policy reports the wrong shape
        value = node.value
        text = value.source if isinstance(value, Unresolved) else value
        if not isinstance(text, str) or not text.lstrip().startswith("{"):
            return node
        try:
            parsed = jsonpos.loads(text, self.file)
        except jsonpos.JSONPositionError:
            return node
        relocated = self._relocate(parsed, node, isinstance(value, Unresolved))
        if isinstance(node, Conditional):  # a JSON document written in an Fn::If branch
            return deployed_under(relocated, node.requires)
        return relocated

    def _relocate(self, parsed: Node, token: Node, unresolved: bool) -> Node:
        """Give the elements of a JSON string their places in the template: line by
        line for a YAML literal block (`|`), the string's own token otherwise."""
        start = token.location
        line_text = self.lines[start.line - 1] if start.line <= len(self.lines) else ""
        block = line_text[start.column - 1 : start.column].startswith("|")
        indent = 0
        if block and start.line < len(self.lines):
            following = self.lines[start.line]
            indent = len(following) - len(following.lstrip(" "))

        def place(location: Location) -> Location:
            if not block:
                return start
            return Location(
                self.file,
                start.line + location.line,
                indent + location.column,
                start.line + location.end_line,
                indent + location.end_column,
            )

        def convert(node: Node) -> Node:
            if node.kind == MAP:
                return Node(
                    MAP, [(convert(k), convert(v)) for k, v in node.value], place(node.location)
                )
            if node.kind == SEQ:
                return Node(SEQ, [convert(item) for item in node.value], place(node.location))
            value = node.value
            if unresolved and isinstance(value, str) and "${" in value:
                value = Unresolved(value, "built from values known only at deployment")
            return Node(SCALAR, value, place(node.location))

        return convert(parsed)
