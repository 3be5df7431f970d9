"""One policy, every format: the same rule ids fire at the same element whatever
file holds the policy.

Each renderer writes the policy in one format and records the line of every
element (by its path in the policy, such as ("Statement", 0, "Action")). A
finding of the raw JSON policy names the element on its line; in every other
format the same rule must fire at that element's line there. A plan JSON holds
the policy as a string, so every finding sits at the resource's address token.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from iamlint.engine import run_rules
from iamlint.registry import all_rules
from iamlint.sources import terraform
from iamlint.sources.loader import load_file

PolicyPath = tuple  # ("Statement", 0, "Action", 1): where an element sits in the policy
Where = tuple[str, int]  # (file name, line)


@dataclass(frozen=True)
class Rendered:
    files: dict[str, str]
    at: Callable[[PolicyPath], Where]
    """The file and line of the element at a policy path."""


class _Writer:
    """Lines of text, and the line where each path's value starts."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.starts: dict[PolicyPath, int] = {}

    def add(self, text: str, path: PolicyPath | None = None) -> None:
        self.lines.append(text)
        if path is not None:
            self.starts.setdefault(path, len(self.lines))

    def under(self, base: PolicyPath) -> dict[PolicyPath, int]:
        """The recorded lines of the paths inside `base`, relative to it."""
        return {p[len(base) :]: n for p, n in self.starts.items() if p[: len(base)] == base}

    @property
    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


def _structure(w: _Writer, value, path: PolicyPath, depth: int, head: str, hcl: bool) -> None:
    """JSON (or, with `hcl`, a Terraform object expression), one scalar a line.
    `head` is what precedes the value on its first line (a key, or `policy = jsonencode(`)."""
    pad = "  " * depth
    if not isinstance(value, (dict, list)) or not value:
        w.add(f"{pad}{head}{json.dumps(value)}", path)
        return
    is_dict = isinstance(value, dict)
    w.add(f"{pad}{head}{'{' if is_dict else '['}", path)
    items = list(value.items() if is_dict else enumerate(value))
    for index, (key, item) in enumerate(items):
        lead = f"{json.dumps(key)}{' = ' if hcl else ': '}" if is_dict else ""
        _structure(w, item, (*path, key), depth + 1, lead, hcl)
        if index < len(items) - 1 or (hcl and not is_dict):
            w.lines[-1] += ","
    w.add(f"{pad}{'}' if is_dict else ']'}")


def _yaml(w: _Writer, value, path: PolicyPath, depth: int) -> None:
    """The entries of a YAML mapping or sequence in block style, one scalar a line."""
    pad = "  " * depth
    is_dict = isinstance(value, dict)
    for key, item in value.items() if is_dict else enumerate(value):
        lead = f"{json.dumps(key)}:" if is_dict else "-"
        if not isinstance(item, (dict, list)) or not item:
            w.add(f"{pad}{lead} {json.dumps(item)}", (*path, key))
        elif is_dict:
            w.add(f"{pad}{lead}")
            w.starts[(*path, key)] = len(w.lines) + 1  # a block node starts at its first entry
            _yaml(w, item, (*path, key), depth + 1)
        else:  # a sequence item that is a container starts on the line of its first entry
            first = len(w.lines)
            w.starts[(*path, key)] = first + 1
            _yaml(w, item, (*path, key), depth + 1)
            w.lines[first] = f"{pad}- {w.lines[first].lstrip()}"


def _located(files: dict[str, str], name: str, lines: dict[PolicyPath, int]) -> Rendered:
    return Rendered(files, lambda path: (name, lines[path]))


# Where a CloudFormation template keeps a policy of each kind.
_CFN_HOLDERS = {
    "identity": ("AWS::IAM::Policy", "PolicyDocument", {"PolicyName": "p", "Roles": ["r"]}),
    "trust": ("AWS::IAM::Role", "AssumeRolePolicyDocument", {}),
    "resource": ("AWS::S3::BucketPolicy", "PolicyDocument", {"Bucket": "b"}),
}
_CFN_AT = ("Resources", "Holder", "Properties")


def _template(kind: str, policy: dict) -> dict:
    resource_type, prop, extra = _CFN_HOLDERS[kind]
    properties = {**extra, prop: policy}
    return {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Resources": {"Holder": {"Type": resource_type, "Properties": properties}},
    }


def raw_json(kind: str, policy: dict) -> Rendered:
    w = _Writer()
    _structure(w, policy, (), 0, "", hcl=False)
    return _located({"policy.json": w.text}, "policy.json", w.starts)


def cfn_yaml(kind: str, policy: dict) -> Rendered:
    w = _Writer()
    _yaml(w, _template(kind, policy), (), 0)
    base = (*_CFN_AT, _CFN_HOLDERS[kind][1])
    return _located({"template.cfn.yaml": w.text}, "template.cfn.yaml", w.under(base))


def cfn_json(kind: str, policy: dict) -> Rendered:
    w = _Writer()
    _structure(w, _template(kind, policy), (), 0, "", hcl=False)
    base = (*_CFN_AT, _CFN_HOLDERS[kind][1])
    return _located({"template.cfn.json": w.text}, "template.cfn.json", w.under(base))


# The Terraform resource that holds a policy of each kind, and its policy attribute.
_TF_HOLDERS = {
    "identity": ("aws_iam_policy", "policy", ['name = "p"']),
    "trust": ("aws_iam_role", "assume_role_policy", ['name = "r"']),
    "resource": ("aws_s3_bucket_policy", "policy", ['bucket = "b"']),
}


def _tf_holder(w: _Writer, kind: str) -> str:
    """Open the holding resource block; the name of its policy attribute."""
    resource_type, attribute, extra = _TF_HOLDERS[kind]
    w.add(f'resource "{resource_type}" "holder" {{')
    for line in extra:
        w.add(f"  {line}")
    return attribute


def tf_jsonencode(kind: str, policy: dict) -> Rendered:
    w = _Writer()
    attribute = _tf_holder(w, kind)
    _structure(w, policy, (), 1, f"{attribute} = jsonencode(", hcl=True)
    w.lines[-1] += ")"
    w.add("}")
    return _located({"main.tf": w.text}, "main.tf", w.starts)


def tf_heredoc(kind: str, policy: dict) -> Rendered:
    w = _Writer()
    attribute = _tf_holder(w, kind)
    w.add(f"  {attribute} = <<-EOT")
    _structure(w, policy, (), 2, "", hcl=False)
    w.add("  EOT")
    w.add("}")
    return _located({"main.tf": w.text}, "main.tf", w.starts)


def tf_file(kind: str, policy: dict) -> Rendered:
    w = _Writer()
    attribute = _tf_holder(w, kind)
    w.add(f'  {attribute} = file("${{path.module}}/policy.json")')
    w.add("}")
    document = raw_json(kind, policy)
    return Rendered({"main.tf": w.text, **document.files}, document.at)


def _hcl_list(w: _Writer, name: str, value, path: PolicyPath, depth: int) -> None:
    """`name = [...]`, one item a line; a single string stands for its one item."""
    pad = "  " * depth
    w.add(f"{pad}{name} = [", None if isinstance(value, str) else path)
    for index, item in enumerate([value] if isinstance(value, str) else value):
        w.add(f"{pad}  {json.dumps(item)},", path if isinstance(value, str) else (*path, index))
    w.add(f"{pad}]")


# Statement keys and the aws_iam_policy_document attribute that writes each.
_DOCUMENT_LISTS = {
    "Action": "actions",
    "NotAction": "not_actions",
    "Resource": "resources",
    "NotResource": "not_resources",
}


def _document_statement(w: _Writer, statement: dict, path: PolicyPath) -> None:
    w.add("  statement {", path)
    for key, value in statement.items():
        at = (*path, key)
        if key in _DOCUMENT_LISTS:
            _hcl_list(w, _DOCUMENT_LISTS[key], value, at, 2)
        elif key in ("Principal", "NotPrincipal"):
            block = "principals" if key == "Principal" else "not_principals"
            if value == "*":
                w.add(f"    {block} {{", None)
                w.add('      type = "*"')
                _hcl_list(w, "identifiers", value, at, 3)
                w.add("    }")
                continue
            for kind_, identifiers in value.items():
                w.add(f"    {block} {{", at)
                w.add(f"      type = {json.dumps(kind_)}")
                _hcl_list(w, "identifiers", identifiers, (*at, kind_), 3)
                w.add("    }")
        elif key == "Condition":
            for operator, tests in value.items():
                for variable, values in tests.items():
                    w.add("    condition {", at)
                    w.add(f"      test = {json.dumps(operator)}", (*at, operator))
                    w.add(f"      variable = {json.dumps(variable)}")
                    _hcl_list(w, "values", values, (*at, operator, variable), 3)
                    w.add("    }")
        else:
            w.add(f"    {key.lower()} = {json.dumps(value)}", at)
    w.add("  }")


def tf_policy_document(kind: str, policy: dict) -> Rendered:
    w = _Writer()
    w.add('data "aws_iam_policy_document" "holder" {', ())
    if "Version" in policy:
        w.add(f"  version = {json.dumps(policy['Version'])}", ("Version",))
    for index, statement in enumerate(policy["Statement"]):
        _document_statement(w, statement, ("Statement", index))
    w.add("}")
    attribute = _tf_holder(w, kind)
    w.add(f"  {attribute} = data.aws_iam_policy_document.holder.json")
    w.add("}")
    return _located({"main.tf": w.text}, "main.tf", w.starts)


def tf_plan(kind: str, policy: dict) -> Rendered:
    resource_type, attribute, _ = _TF_HOLDERS[kind]
    address = f"{resource_type}.holder"
    resource = {
        "address": address,
        "mode": "managed",
        "type": resource_type,
        "name": "holder",
        "values": {attribute: json.dumps(policy)},
    }
    plan = {"format_version": "1.2", "planned_values": {"root_module": {"resources": [resource]}}}
    text = json.dumps(plan, indent=2)
    line = next(n for n, t in enumerate(text.splitlines(), 1) if '"address": ' in t)
    return Rendered({"plan.json": text}, lambda path: ("plan.json", line))


FORMATS = {
    "raw-json": raw_json,
    "cfn-yaml": cfn_yaml,
    "cfn-json": cfn_json,
    "tf-jsonencode": tf_jsonencode,
    "tf-heredoc": tf_heredoc,
    "tf-policy-document": tf_policy_document,
    "tf-file": tf_file,
    "tf-plan": tf_plan,
}

V = "2012-10-17"
CASES = {
    "full-admin": (
        "identity",
        {"Version": V, "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]},
    ),
    "service-wildcard": (
        "identity",
        {"Version": V, "Statement": [{"Effect": "Allow", "Action": "iam:*", "Resource": "*"}]},
    ),
    "unscoped-write": (
        "identity",
        {
            "Version": V,
            "Statement": [
                {"Effect": "Allow", "Action": ["s3:PutObject", "s3:GetObject"], "Resource": "*"}
            ],
        },
    ),
    "not-action": (
        "identity",
        {"Version": V, "Statement": [{"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}]},
    ),
    "not-resource": (
        "identity",
        {
            "Version": V,
            "Statement": [
                {
                    "Effect": "Allow",
                    "Action": "s3:GetObject",
                    "NotResource": "arn:aws:s3:::secret/*",
                }
            ],
        },
    ),
    "passrole": (
        "identity",
        {
            "Version": V,
            "Statement": [{"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"}],
        },
    ),
    "unknown-action": (
        "identity",
        {
            "Version": V,
            "Statement": [
                {"Effect": "Allow", "Action": "s3:GetObjekt", "Resource": "arn:aws:s3:::b/*"}
            ],
        },
    ),
    "no-version": (
        "identity",
        {
            "Statement": [
                {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}
            ]
        },
    ),
    "scoped": (
        "identity",
        {
            "Version": V,
            "Statement": [
                {
                    "Effect": "Allow",
                    "Action": "s3:GetObject",
                    "Resource": "arn:aws:s3:::b/*",
                    "Condition": {"Bool": {"aws:SecureTransport": "true"}},
                }
            ],
        },
    ),
    "trust-anyone": (
        "trust",
        {
            "Version": V,
            "Statement": [
                {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}
            ],
        },
    ),
    "trust-account": (
        "trust",
        {
            "Version": V,
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"AWS": "arn:aws:iam::123456789012:root"},
                    "Action": "sts:AssumeRole",
                }
            ],
        },
    ),
    "public-bucket": (
        "resource",
        {
            "Version": V,
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": "*",
                    "Action": "s3:GetObject",
                    "Resource": "arn:aws:s3:::b/*",
                }
            ],
        },
    ),
    "service-principal": (
        "resource",
        {
            "Version": V,
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"Service": "cloudtrail.amazonaws.com"},
                    "Action": "s3:PutObject",
                    "Resource": "arn:aws:s3:::b/*",
                }
            ],
        },
    ),
}


def _findings(directory: Path, rendered: Rendered) -> list[tuple[str, str, int]]:
    """(rule id, file name, line) of every finding, sorted."""
    directory.mkdir()
    for name, text in rendered.files.items():
        (directory / name).write_text(text, encoding="utf-8")
    tf_files = [(str(directory / n), n) for n in rendered.files if n.endswith(".tf")]
    if tf_files:
        inventory = terraform.load_module(tf_files)
    else:
        ((name, _),) = rendered.files.items()
        loaded = load_file(str(directory / name), name)
        assert loaded.supported
        inventory = loaded.inventory
    assert inventory.errors == ()
    findings, errors = run_rules(inventory, all_rules())
    assert errors == []
    return sorted((f.rule_id, Path(f.location.file).name, f.location.line) for f in findings)


# The deepest path that starts on each line of the raw JSON policy.
def _paths_by_line(rendered_paths: dict[PolicyPath, int]) -> dict[int, PolicyPath]:
    by_line: dict[int, PolicyPath] = {}
    for path, line in rendered_paths.items():
        if len(path) >= len(by_line.get(line, ())):
            by_line[line] = path
    return by_line


# aws_iam_policy_document always writes a Version (2012-10-17 unless told otherwise).
INEXPRESSIBLE = {("tf-policy-document", "no-version")}


@pytest.mark.parametrize(
    ("fmt", "case"),
    [
        (fmt, case)
        for fmt in FORMATS
        if fmt != "raw-json"
        for case in sorted(CASES)
        if (fmt, case) not in INEXPRESSIBLE
    ],
)
def test_same_findings_at_the_same_element_in_every_format(tmp_path, fmt, case):
    kind, policy = CASES[case]
    raw = raw_json(kind, policy)
    lines = _paths_by_line({path: raw.at(path)[1] for path in _all_paths(policy)})
    rendered = FORMATS[fmt](kind, policy)
    expected = sorted(
        (rule, *rendered.at(lines[line])) for rule, _, line in _findings(tmp_path / "raw", raw)
    )
    assert _findings(tmp_path / fmt, rendered) == expected


def _all_paths(value, path: PolicyPath = ()) -> list[PolicyPath]:
    items = value.items() if isinstance(value, dict) else enumerate(value)
    found = [path]
    if isinstance(value, (dict, list)):
        for key, item in items:
            found += _all_paths(item, (*path, key))
    return found


@pytest.mark.parametrize("case", sorted(CASES))
def test_raw_json_findings_name_an_element(tmp_path, case):
    """Every raw JSON finding sits on a line where an element of the policy starts."""
    kind, policy = CASES[case]
    raw = raw_json(kind, policy)
    starts = {raw.at(path)[1] for path in _all_paths(policy)}
    assert {line for _, _, line in _findings(tmp_path / "raw", raw)} <= starts
