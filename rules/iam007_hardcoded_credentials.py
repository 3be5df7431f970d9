import base64
import binascii
import dataclasses
import re
from collections.abc import Iterator

from iamlint.model import Finding, Inventory, KeyedLiteral
from iamlint.rule import Rule
from iamlint.settings import RuleSettings

# Long-term (AKIA) and temporary (ASIA) access key ids.
_KEY_ID = re.compile(r"(?<![A-Z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])")
_SECRET = r"[A-Za-z0-9/+]{40}"
_SECRET_VALUE = re.compile(rf"\s*['\"]?(?P<secret>{_SECRET})['\"]?\s*\Z")
# A secret assigned inside a script or config text: `AWS_SECRET_ACCESS_KEY=...`,
# `aws_secret_access_key = ...`, `"secretAccessKey": "..."`.
_SECRET_ASSIGNMENT = re.compile(
    rf"(?i)(?:secret_?access_?key|secret_?key)['\"]?\s*[=:]\s*['\"]?(?P<secret>{_SECRET})"
    r"(?![A-Za-z0-9/+=])"
)
# Key names that say their value is a secret access key, lower case without separators.
_SECRET_KEY_NAMES = ("secretaccesskey", "secretkey")
# User data is often written base64-encoded.
_BASE64 = re.compile(r"(?:[A-Za-z0-9+/]{4}){6,}(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?\Z")


class HardcodedCredentials(Rule):
    """
    ## What it does
    Flags a literal AWS access key id (`AKIA` or `ASIA` followed by 16
    upper-case letters or digits) anywhere in a template (compute
    configuration, user data, outputs, parameter and variable defaults,
    tags, provider blocks), also inside base64-encoded user data, and a
    literal 40-character secret assigned to a key such as
    `aws_secret_access_key`, `secretAccessKey` or `secret_key`. Every output
    masks the credential: its first four characters, then `*`.

    ## Why is this bad?
    A key written into code is readable by everyone who can read the
    repository, its history, the deployed configuration and every copy of it.
    AWS evaluates a request signed with it as the IAM user that owns it, from
    anywhere, until the key is deactivated; a leaked `ASIA` key works until
    its session expires.

    ## Example
    ```yaml
    Function:
      Type: AWS::Lambda::Function
      Properties:
        Environment:
          Variables:
            AWS_ACCESS_KEY_ID: AKIAIOSFODNN7EXAMPLE
    ```

    ## Use instead
    Remove the key, deactivate and rotate it, and give the function an
    execution role; read other secrets from Secrets Manager at run time:
    ```yaml
    Function:
      Type: AWS::Lambda::Function
      Properties:
        Role: !GetAtt FunctionRole.Arn
    ```

    ## References
    - [Manage access keys for IAM users](https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html)
    - [Unique identifier prefixes (AKIA, ASIA)](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-unique-ids)
    - [What to do if you inadvertently expose an AWS access key](https://aws.amazon.com/blogs/security/what-to-do-if-you-inadvertently-expose-an-aws-access-key/)
    """

    id = "IAM007"
    slug = "hardcoded-credentials"
    severity = "critical"
    title = "A literal AWS access key id or secret is written in the code"

    def check(self, inventory: Inventory, settings: RuleSettings) -> Iterator[Finding]:
        for literal in inventory.literals:
            found, encoded = _credentials(literal)
            if not found:
                continue
            masked = [mask(credential) for _, credential in found]
            what = " and ".join(
                f"{kind} {text}" for (kind, _), text in zip(found, masked, strict=True)
            )
            owner = f" of {literal.resource}" if literal.resource else ""
            owner += " (base64-encoded)" if encoded else ""
            finding = self.finding(
                f"Hard-coded AWS {what} in {literal.key}{owner}: remove it and deactivate the key",
                literal.value.location,
            )
            yield dataclasses.replace(finding, resource=literal.resource, element=", ".join(masked))


def mask(secret: str) -> str:
    """`AKIA****************`: the first four characters, then one `*` per character."""
    return secret[:4] + "*" * (len(secret) - 4)


def _credentials(literal: KeyedLiteral) -> tuple[list[tuple[str, str]], bool]:
    """(kind, credential) of each distinct credential in a literal, in order, and whether
    they were found by decoding the literal as base64."""
    text = literal.value.literal or ""
    found = _in_text(text)
    key = re.sub(r"[^a-z0-9]", "", literal.key.lower())
    whole = _SECRET_VALUE.match(text)
    if whole and any(name in key for name in _SECRET_KEY_NAMES):
        found.append(("secret access key", whole.group("secret")))
    if not found and _BASE64.match(text.strip()):
        return list(dict.fromkeys(_in_text(_decoded(text)))), True
    return list(dict.fromkeys(found)), False


def _in_text(text: str) -> list[tuple[str, str]]:
    found = [("access key id", match.group()) for match in _KEY_ID.finditer(text)]
    found += [
        ("secret access key", match.group("secret")) for match in _SECRET_ASSIGNMENT.finditer(text)
    ]
    return found


def _decoded(text: str) -> str:
    try:
        return base64.b64decode(text.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return ""
