"""SAM `Globals`: the properties every serverless resource of a kind inherits.

The merge follows aws-sam-translator (`samtranslator/plugins/globals/globals.py`,
and the SAM developer guide's "Globals section"): maps merge key by key, lists
are concatenated (global items first), and for a scalar, an intrinsic function
or values of different shapes the resource's own value wins. A function's
`Role`, `Policies`, `FunctionName` and `Events` are never global, and a state
machine inherits only `PropagateTags`, so Globals never add policies; they do
add `Environment` (read as compute values), `AssumeRolePolicyDocument` and
`PermissionsBoundary` (the generated role's), and an API's `Auth` (its
resource policy).

Inherited values keep the positions they have under `Globals`, so a finding
about one points at the line that wrote it.
"""

from __future__ import annotations

from iamlint.sources.cloudformation.intrinsics import intrinsic
from iamlint.sources.cloudformation.template import Template
from iamlint.sources.nodes import MAP, SEQ, Node

_PREFIX = "AWS::Serverless::"
_NEVER_GLOBAL = {
    "Function": frozenset({"Role", "Policies", "FunctionName", "Events"}),
    "Api": frozenset({"DefinitionBody", "StageName"}),
}
_ONLY_GLOBAL = {"StateMachine": frozenset({"PropagateTags"})}


def apply_globals(template: Template) -> None:
    """Give every serverless resource the properties `Globals` declares for its kind."""
    section = template.root.get("Globals")
    if section is None or not section.is_map:
        return
    for kind_key, properties in section.pairs():
        if not properties.is_map or not isinstance(kind_key.value, str):
            continue
        kind = kind_key.value
        inherited = [
            (key, value) for key, value in properties.pairs() if _is_global(kind, key.value)
        ]
        if not inherited:
            continue
        for resource in template.of_type(_PREFIX + kind):
            own = resource.raw_properties
            if own is None or not own.is_map:
                own = Node(MAP, [], resource.node.location)
            resource.raw_properties = merge(Node(MAP, inherited, properties.location), own)


def _is_global(kind: str, name: object) -> bool:
    if kind in _ONLY_GLOBAL:
        return name in _ONLY_GLOBAL[kind]
    return name not in _NEVER_GLOBAL.get(kind, ())


def merge(inherited: Node, own: Node) -> Node:
    """`own` over `inherited`, as SAM merges a resource's properties over Globals."""
    if _is_map(inherited) and _is_map(own):
        own_keys = {key.value for key, _ in own.value}
        merged = [(key, value) for key, value in inherited.value if key.value not in own_keys]
        for key, value in own.value:
            common = inherited.get(key.value)
            merged.append((key, value if common is None else merge(common, value)))
        return Node(MAP, merged, own.location)
    if inherited.is_seq and own.is_seq:
        return Node(SEQ, [*inherited.value, *own.value], own.location)
    return own


def _is_map(node: Node) -> bool:
    """A map that is not an intrinsic function call (SAM merges those like scalars)."""
    return node.is_map and intrinsic(node) is None
