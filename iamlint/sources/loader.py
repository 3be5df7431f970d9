"""Read one file, decode it, and hand it to the source that understands its content."""

from __future__ import annotations

import re
from dataclasses import dataclass

from iamlint.model import Inventory, ParseError
from iamlint.sources import jsonpos, raw_policy, reading

# Text that shows a file is meant to be IaC or a policy, so failing to parse it
# is an error the user must see rather than an unrelated file to skip.
_LOOKS_LIKE_IAC = re.compile(
    r'"(?:Statement|PolicyDocument|AssumeRolePolicyDocument|Resources|'
    r'AWSTemplateFormatVersion|format_version|planned_values)"'
)


@dataclass(frozen=True)
class Loaded:
    """What a file gave: an inventory if a source understood it; `supported`
    False when no source recognised the content (the file is counted, not linted)."""

    inventory: Inventory
    supported: bool


def load_file(path: str, display: str) -> Loaded:
    try:
        text = reading.read_text(path)
    except reading.Unreadable as error:
        # An oversized or undecodable data file next to the templates is not ours to report.
        if error.skippable and not _looks_like_iac(error.head.decode("utf-8", "replace")):
            return Loaded(Inventory(), supported=False)
        return _failed(display, error.line, error.message)
    if not may_hold_iac(text):
        return Loaded(Inventory(), supported=False)
    if display.lower().endswith(".json"):
        return _load_json(text, display)
    if display.lower().endswith(_YAML_SUFFIXES) or ".cfn." in display.lower():
        return _load_yaml(text, display)
    return Loaded(Inventory(), supported=False)


_YAML_SUFFIXES = (".yaml", ".yml", ".template")
# A YAML file that fails to decode is reported only when it looks like a template.
_LOOKS_LIKE_TEMPLATE = re.compile(r"^(?:AWSTemplateFormatVersion|Resources)\s*:", re.M)


# The pre-filter: every key a source recognises a file by (a template's
# `AWSTemplateFormatVersion` or `Resources`, a policy's `Statement`, a plan's
# `format_version`) and every word that makes a decoding failure an error.
# Without one of them, decoding cannot change the outcome (not supported, no
# error), so the file is not decoded.
_MARKERS = (
    "AWSTemplateFormatVersion",
    "Resources",
    "Statement",
    "PolicyDocument",
    "format_version",
    "planned_values",
)


def may_hold_iac(text: str) -> bool:
    """False only for a file no source can read anything from, decoded or not."""
    return _may_be(text, *_MARKERS)


def _looks_like_iac(text: str) -> bool:
    return bool(_LOOKS_LIKE_IAC.search(text) or _LOOKS_LIKE_TEMPLATE.search(text))


def _load_yaml(text: str, display: str) -> Loaded:
    if text.lstrip().startswith("{"):
        return _load_json(text, display)
    from iamlint.sources import cloudformation

    try:
        root = cloudformation.loads_yaml(text, display)
    except cloudformation.DecodeError as error:
        if not _LOOKS_LIKE_TEMPLATE.search(text):
            return Loaded(Inventory(), supported=False)
        return _failed(display, error.line, error.message, error.column)
    if not cloudformation.is_template(root):
        return Loaded(Inventory(), supported=False)
    return Loaded(cloudformation.load_template(root, display, text), supported=True)


def _load_json(text: str, display: str) -> Loaded:
    try:
        root = jsonpos.loads(text, display)
    except jsonpos.JSONPositionError as error:
        if not _LOOKS_LIKE_IAC.search(text):
            return Loaded(Inventory(), supported=False)
        return _failed(display, error.line, f"invalid JSON: {error.message}", error.column)
    # The CloudFormation and Terraform sources are imported only for a file that may be
    # theirs, so a one-policy pre-commit run does not pay for them.
    if _may_be(text, "AWSTemplateFormatVersion", "Resources"):
        from iamlint.sources import cloudformation

        if cloudformation.is_template(root):
            return Loaded(cloudformation.load_template(root, display, text), supported=True)
    if _may_be(text, "format_version"):
        from iamlint.sources.terraform import plan

        if plan.is_plan(root):
            return Loaded(plan.load_plan(root, display, text), supported=True)
    policy = raw_policy.load_policy(root)
    if policy is None:
        return Loaded(Inventory(), supported=False)
    return Loaded(Inventory(files=(display,), policies=(policy,)), supported=True)


def _may_be(text: str, *keys: str) -> bool:
    """One of `keys` may be a key of the decoded JSON (a key may be spelled with escapes)."""
    return "\\" in text or any(key in text for key in keys)


def _failed(display: str, line: int, message: str, column: int = 1) -> Loaded:
    error = ParseError(display, line, message, column)
    return Loaded(Inventory(files=(display,), errors=(error,)), supported=True)
