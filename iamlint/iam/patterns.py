"""IAM action patterns: matching, expansion against the catalogue, syntax, suggestions."""

from __future__ import annotations

import difflib
import re
from functools import lru_cache

from iamlint.iam.catalogue import Action, service_actions, service_prefixes
from iamlint.iam.wildcard import compile_wildcard

# Action names are letters and digits, but one catalogue entry has a hyphen
# ("vpc-lattice:AssociateViaAWSService-EventsAndStates"); prefixes are case-insensitive in AWS.
ACTION_SYNTAX: re.Pattern[str] = re.compile(r"\*|[A-Za-z0-9*?-]+:[A-Za-z0-9*?-]+")


def is_valid_action_syntax(text: str) -> bool:
    return ACTION_SYNTAX.fullmatch(text) is not None


def is_wildcard(pattern: str) -> bool:
    return "*" in pattern or "?" in pattern


def action_matches(pattern: str, action: str) -> bool:
    """IAM action matching: case-insensitive, `*` any run of characters, `?` one character.
    A `*` or `?` inside `action` is an ordinary character, so a pattern "matches" another
    pattern only if it covers it literally."""
    if pattern == "*":
        return True
    return compile_wildcard(pattern, ignore_case=True).fullmatch(action) is not None


def _matching_prefixes(service_pattern: str) -> list[str]:
    if not is_wildcard(service_pattern):
        prefix = service_pattern.lower()
        return [prefix] if prefix in service_prefixes() else []
    return [p for p in service_prefixes() if action_matches(service_pattern, p)]


@lru_cache(maxsize=1024)
def expand(pattern: str) -> tuple[Action, ...]:
    """Every catalogue action the pattern matches, sorted by full name.

    Only services whose prefix matches are loaded; "*" (or "*:...") loads all 400+
    services, a few tenths of a second the first time.
    """
    if pattern == "*":
        pattern = "*:*"
    service_pattern, sep, name_pattern = pattern.partition(":")
    if not sep:
        return ()
    found = [
        action
        for prefix in _matching_prefixes(service_pattern)
        for key, action in service_actions(prefix).items()
        if action_matches(name_pattern, key)
    ]
    return tuple(sorted(found, key=lambda a: a.full_name))


def _closest_name(prefix: str, name: str) -> str | None:
    actions = service_actions(prefix)
    match = difflib.get_close_matches(name.lower(), list(actions), n=1)
    return actions[match[0]].full_name if match else None


def _shared_start(a: str, b: str) -> int:
    shared = 0
    while shared < min(len(a), len(b)) and a[shared] == b[shared]:
        shared += 1
    return shared


def _near_prefixes(prefix: str) -> list[str]:
    """Up to five known prefixes like `prefix`, best first; ties go to the one sharing
    the longest start ("s4" -> "s3" before "ts")."""
    matcher = difflib.SequenceMatcher(b=prefix)
    scored = []
    for candidate in service_prefixes():
        matcher.set_seq1(candidate)
        if matcher.quick_ratio() >= 0.5 and (ratio := matcher.ratio()) >= 0.5:
            shared = _shared_start(candidate, prefix)
            scored.append((-ratio, -shared, candidate))
    return [candidate for *_, candidate in sorted(scored)[:5]]


def closest_action(text: str) -> str | None:
    """The real action closest to an action that matches nothing, cased as AWS writes it:
    "s3:GetObjcet" -> "s3:GetObject"; "ec:DescribeInstances" -> "ec2:DescribeInstances".

    For an unknown prefix, the nearest prefixes are tried for an action of the same name,
    then for the closest name; failing both, the nearest prefix's "prefix:*" is suggested.
    None when nothing is close."""
    prefix, sep, name = text.partition(":")
    if not sep:
        return None
    prefix, name = prefix.lower(), name.replace("*", "").replace("?", "")
    if prefix in service_prefixes():
        return _closest_name(prefix, name)
    near = _near_prefixes(prefix)
    if not near:
        return None
    for candidate in near:
        same = service_actions(candidate).get(name.lower())
        if same is not None:
            return same.full_name
    return _closest_name(near[0], name) or f"{near[0]}:*"
