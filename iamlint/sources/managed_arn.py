"""Recognise AWS-managed policy attachments in every spelling sources produce."""

from __future__ import annotations

import re

from iamlint.model import Element, Unresolved

# arn:<partition>:iam::aws:policy/[path/]Name, where the partition may be literal
# (aws, aws-us-gov, aws-cn, aws-iso...) or symbolic (${AWS::Partition},
# ${data.aws_partition.current.partition}, ...).
_MANAGED_ARN = re.compile(
    r"arn:(?:aws(?:-[a-z-]+)?|\$\{[^}]+\}):iam::aws:policy/(?:[\w+=,.@-]+/)*(?P<name>[\w+=,.@-]+)\Z"
)
# SAM accepts the bare name of an AWS-managed policy.
_BARE_NAME = re.compile(r"[A-Za-z][\w+=,.@-]*\Z")


def managed_policy_name(element: Element) -> str | None:
    """The name of the AWS-managed policy an attachment designates
    ("AdministratorAccess"), or None when it is not an AWS-managed policy
    (a customer-managed ARN, a reference known only at deployment...)."""
    value = element.value
    text = value.source if isinstance(value, Unresolved) else value
    if not isinstance(text, str):
        return None
    text = text.strip()
    match = _MANAGED_ARN.match(text)
    if match:
        return match.group("name")
    if isinstance(value, str) and _BARE_NAME.match(text):
        return text
    return None
