"""A position-keeping document tree shared by every decoder.

JSON, YAML and HCL decoders all produce `Node`s, so turning a policy document
into the model is written once (`sources.document`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from iamlint.model import Location, Scalar

MAP = "map"
SEQ = "seq"
SCALAR = "scalar"


@dataclass(slots=True)
class Node:
    """`value` is a list of (key node, value node) pairs for a map (duplicate
    keys kept, in order), a list of nodes for a sequence, or a `Scalar`."""

    kind: str
    value: Any
    location: Location

    @property
    def is_map(self) -> bool:
        return self.kind == MAP

    @property
    def is_seq(self) -> bool:
        return self.kind == SEQ

    @property
    def is_scalar(self) -> bool:
        return self.kind == SCALAR

    def pairs(self) -> list[tuple[Node, Node]]:
        return self.value if self.kind == MAP else []

    def get(self, key: str) -> Node | None:
        """The value of `key` in a map (the last one when a key is repeated, as JSON parsers do)."""
        found = None
        for k, v in self.pairs():
            if k.value == key:
                found = v
        return found

    def keys(self) -> Iterator[str]:
        for k, _ in self.pairs():
            if isinstance(k.value, str):
                yield k.value

    def key_node(self, key: str) -> Node | None:
        found = None
        for k, _ in self.pairs():
            if k.value == key:
                found = k
        return found

    def items(self) -> list[Node]:
        """A sequence's items; a single non-sequence node as a one-item list."""
        return self.value if self.kind == SEQ else [self]

    def to_python(self) -> Any:
        """Plain Python data (last key wins), for code that does not need positions."""
        if self.kind == MAP:
            return {k.value: v.to_python() for k, v in self.value}
        if self.kind == SEQ:
            return [item.to_python() for item in self.value]
        return self.value


@dataclass(slots=True)
class Choice(Node):
    """The options of a value a condition picks at deployment (Terraform's `c ? a : b`
    with an unknown `c`, CloudFormation's `Fn::If`). It is a sequence of the options, so
    list positions take every option; a place that takes one value reads it as unknown."""

    source: str = ""  # the conditional as written


@dataclass(slots=True)
class Conditional(Node):
    """A map deployed only when template conditions have the given values (it is in a
    branch of `Fn::If`): (condition name, value) pairs."""

    requires: frozenset[tuple[str, bool]] = frozenset()


def scalar(value: Scalar, location: Location) -> Node:
    return Node(SCALAR, value, location)
