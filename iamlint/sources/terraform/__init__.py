"""Terraform HCL modules and plan JSON, read into the model.

`load_module` reads one module directory (all its `.tf` files together, its
tfvars, the local modules it calls); `plan.load_plan` reads `terraform show
-json` output.
"""

from __future__ import annotations

import glob
import os
import re
from collections.abc import Iterable, Sequence

from iamlint.discover import TERRAFORM_SUFFIXES, display_path
from iamlint.model import Block, Inventory, UnresolvedNote
from iamlint.sources import raw_policy
from iamlint.sources.terraform import compute, identity, resource_policies
from iamlint.sources.terraform.collect import Collector
from iamlint.sources.terraform.module import Module
from iamlint.sources.terraform.values import Document


def load_module(
    files: Sequence[tuple[str, str]],
    root: str | None = None,
    var_files: Iterable[str] = (),
) -> Inventory:
    """Read the `.tf` and `.tf.json` files of one directory, given as (path, display) pairs, as one
    module. Files outside `root` (default: the directory) are never read."""
    directory = os.path.dirname(os.path.abspath(files[0][0])) if files else os.getcwd()
    module = Module(directory, os.path.abspath(root) if root else directory)
    for path, display in files:
        module.add_file(path, display)
    for pattern in (
        "terraform.tfvars",
        "terraform.tfvars.json",
        "*.auto.tfvars",
        "*.auto.tfvars.json",
    ):
        for path in sorted(glob.glob(os.path.join(glob.escape(directory), pattern))):
            module.add_values(path, display_path(path))
    for path in var_files:
        module.add_values(path, display_path(path))
    module.load_calls()
    return build_inventory(module)


def build_inventory(root: Module) -> Inventory:
    modules = root.walk()
    collector = Collector()
    identity.declare(modules, collector)
    identity.link(modules, collector)
    resource_policies.extract(modules, collector)
    _unused_documents(modules, collector)
    compute.extract(modules, collector)
    for module in modules:
        for block, reason in module.unresolved_calls:
            collector.notes.append(UnresolvedNote(block.location, module.address(block), reason))
    policies, principals = collector.build()
    files = [source.display for module in modules for source in module.files]
    files += [source.display for module in modules for source in module.read_files.values()]
    errors = [error for module in modules for error in module.errors]
    files += [error.file for error in errors]
    blocks = [
        Block(module.address(block), block.labels[0], block.span)
        for module in modules
        for block in [*module.resources, *module.data.values()]
    ]
    return Inventory(
        files=tuple(dict.fromkeys(files)),
        policies=tuple(policies),
        principals=tuple(principals),
        access_keys=tuple(collector.access_keys),
        compute=tuple(collector.compute),
        literals=tuple(collector.literals),
        unresolved=tuple(collector.notes),
        blocks=tuple(blocks),
        errors=tuple(errors),
    )


def _unused_documents(modules: list[Module], collector: Collector) -> None:
    """Policy documents no resource uses are still linted, read as what they look like."""
    used = {draft.resource for draft in collector.drafts.values()}
    for module in modules:
        for (type_, name), block in module.data.items():
            if type_ != "aws_iam_policy_document":
                continue
            document = module.data_json(type_, name, block.location)
            if not isinstance(document, Document) or document.origin in used:
                continue
            assert document.document is not None
            kind = raw_policy.classify(document.document)
            collector.policy(module, None, kind, module.address(block), type_, value=document)


# `source = "./x"` in HCL, `"source": "./x"` in JSON syntax
_LOCAL_SOURCE = re.compile(r'(?:^\s*source\s*=|"source"\s*:)\s*"(\.\.?/[^"$]*)"', re.MULTILINE)


def called_directories(directories: Iterable[str]) -> set[str]:
    """Module directories that another of `directories` calls as a local module
    (`source = "./x"`): they are read through their callers, not on their own."""
    directories = set(directories)
    called: set[str] = set()
    for directory in directories:
        for path in glob.glob(os.path.join(glob.escape(directory), "*.tf*")):
            if not path.endswith(TERRAFORM_SUFFIXES):
                continue
            try:
                with open(path, encoding="utf-8", errors="replace") as handle:
                    text = handle.read()
            except OSError:
                continue
            for match in _LOCAL_SOURCE.finditer(text):
                target = os.path.normpath(os.path.join(directory, match.group(1)))
                if target in directories and target != directory:
                    called.add(target)
    return called
