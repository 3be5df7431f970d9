"""CloudFormation, SAM and CDK output templates, in JSON or YAML."""

from __future__ import annotations

from iamlint.model import (
    Block,
    Inventory,
    ParseError,
    Policy,
    Suppression,
    Unresolved,
    UnresolvedNote,
)
from iamlint.sources.cloudformation.compute import extract_compute, extract_literals
from iamlint.sources.cloudformation.decode import DecodeError, loads_yaml
from iamlint.sources.cloudformation.identity import extract_identity
from iamlint.sources.cloudformation.resource_side import extract_resource_policies
from iamlint.sources.cloudformation.sam import extract_sam, is_sam
from iamlint.sources.cloudformation.sam_globals import apply_globals
from iamlint.sources.cloudformation.template import Template, is_template
from iamlint.sources.nodes import Node

__all__ = ["DecodeError", "is_template", "load_template", "loads_yaml"]


def load_template(root: Node, file: str, text: str) -> Inventory:
    """The model of one decoded template."""
    resources = root.get("Resources")
    if resources is not None and not resources.is_map:
        at = resources.location
        message = "Resources must map logical ids to resources: the template is not read"
        return Inventory(files=(file,), errors=(ParseError(file, at.line, message, at.column),))
    try:
        return _load(root, file, text)
    except RecursionError:
        error = ParseError(file, 1, "the template is nested too deeply to read")
        return Inventory(files=(file,), errors=(error,))


def _load(root: Node, file: str, text: str) -> Inventory:
    template = Template(root, file, text.splitlines())
    sam = is_sam(template)
    if sam:
        apply_globals(template)
    identity = extract_identity(template)
    policies = identity.policies + extract_resource_policies(template)
    principals = list(identity.principals)
    notes: list[UnresolvedNote] = []
    if sam:
        serverless = extract_sam(template)
        policies += serverless.policies
        principals += serverless.principals
        notes += serverless.unresolved
    notes += _unresolved_elements(policies)
    return Inventory(
        files=(file,),
        policies=tuple(policies),
        principals=tuple(principals),
        access_keys=tuple(identity.access_keys),
        compute=tuple(extract_compute(template)),
        literals=tuple(extract_literals(template)),
        unresolved=tuple(notes),
        blocks=tuple(Block(r.logical_id, r.type, r.span) for r in template.resources),
        suppressions=tuple(_suppressions(template)),
    )


def _unresolved_elements(policies: list[Policy]) -> list[UnresolvedNote]:
    notes = []
    for policy in policies:
        for statement in policy.statements:
            elements = [
                *(statement.actions or ()),
                *(statement.not_actions or ()),
                *(statement.resources or ()),
                *(statement.not_resources or ()),
                *(p.value for p in statement.principals or ()),
                *(p.value for p in statement.not_principals or ()),
                *(value for condition in statement.conditions for value in condition.values),
            ]
            for element in elements:
                if isinstance(element.value, Unresolved):
                    notes.append(
                        UnresolvedNote(element.location, element.text, element.value.reason)
                    )
    return notes


def _suppressions(template: Template) -> list[Suppression]:
    """`Metadata: {iamlint: {ignore: [{id: IAM004, reason: ...}]}}` on a resource."""
    found = []
    for resource in template.resources:
        metadata = resource.node.get("Metadata")
        iamlint = metadata.get("iamlint") if metadata is not None and metadata.is_map else None
        ignore = iamlint.get("ignore") if iamlint is not None and iamlint.is_map else None
        for entry in ignore.items() if ignore is not None else ():
            rule = entry.get("id") if entry.is_map else entry
            if rule is None or not isinstance(rule.value, str):
                continue
            reason = entry.get("reason") if entry.is_map else None
            text = str(reason.value) if reason is not None and reason.value is not None else ""
            found.append(Suppression((rule.value,), text, resource.span))
    return found
