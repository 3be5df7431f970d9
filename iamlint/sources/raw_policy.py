"""Raw IAM policy JSON files: a bare policy document or a common wrapper of one."""

from __future__ import annotations

from iamlint.model import Policy, PolicyKind
from iamlint.sources.document import build_policy
from iamlint.sources.nodes import Node

# Wrappers as AWS tools print them: `aws iam get-policy-version` gives
# {"PolicyVersion": {"Document": ...}}; `get-role` and CloudFormation-style
# snippets carry AssumeRolePolicyDocument or PolicyDocument.
_WRAPPER_PATHS = (
    ("PolicyVersion", "Document"),
    ("PolicyDocument",),
    ("AssumeRolePolicyDocument",),
    ("Role", "AssumeRolePolicyDocument"),
)


def find_document(root: Node) -> Node | None:
    """The policy document inside a decoded JSON file, or None if the file is not one."""
    if root.is_map and root.get("Statement") is not None:
        return root
    for path in _WRAPPER_PATHS:
        node: Node | None = root
        for key in path:
            node = node.get(key) if node is not None and node.is_map else None
        if node is not None and node.is_map and node.get("Statement") is not None:
            return node
    return None


def classify(document: Node) -> PolicyKind:
    """Trust policy if every statement names a Principal and only assumes roles;
    resource policy if any statement names a Principal; identity policy otherwise."""
    statements = _statement_maps(document)
    with_principal = [
        s for s in statements if s.get("Principal") is not None or s.get("NotPrincipal") is not None
    ]
    if not with_principal:
        return PolicyKind.IDENTITY
    if len(with_principal) == len(statements) and all(_only_assumes_role(s) for s in statements):
        return PolicyKind.TRUST
    return PolicyKind.RESOURCE


def load_policy(root: Node) -> Policy | None:
    document = find_document(root)
    if document is None:
        return None
    return build_policy(document, classify(document))


def _statement_maps(document: Node) -> list[Node]:
    statement = document.get("Statement")
    if statement is None:
        return []
    return [item for item in statement.items() if item.is_map]


def _only_assumes_role(statement: Node) -> bool:
    action = statement.get("Action")
    if action is None:
        return False
    values = [item.value for item in action.items()]
    return bool(values) and all(
        isinstance(value, str) and value.lower().startswith(_TRUST_ACTIONS) for value in values
    )


# What a role trust policy may allow: assuming it, and the session tags, source identity
# and context that come with the assumption.
_TRUST_ACTIONS = ("sts:assumerole", "sts:tagsession", "sts:setsourceidentity", "sts:setcontext")
