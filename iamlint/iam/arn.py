"""ARN parsing and case-sensitive ARN wildcard matching."""

from __future__ import annotations

from dataclasses import dataclass

from iamlint.iam.wildcard import compile_wildcard


@dataclass(frozen=True)
class Arn:
    partition: str
    service: str
    region: str
    account: str
    resource: str  # everything after the fifth colon, colons included


def _split(text: str) -> list[str]:
    """Split on the first five colons that are not inside a `${...}` variable, so that
    `arn:${AWS::Partition}:s3:::bucket` keeps its partition in one piece."""
    parts: list[str] = []
    depth = 0
    start = 0
    for i, ch in enumerate(text):
        if ch == "{" and text[i - 1 : i] == "$":
            depth += 1
        elif ch == "}" and depth:
            depth -= 1
        elif ch == ":" and not depth and len(parts) < 5:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts


# Stand-ins for the deployment's own account and region in ARNs written with them
# (`${AWS::AccountId}`, `${AWS::Region}`): values no policy names literally, and that may
# be any real one.
OWN_ACCOUNT = "000000000000"
OWN_REGION = "own-region"


def parse_arn(text: str) -> Arn | None:
    """The parts of an ARN, or None when `text` is not "arn:" followed by at least five
    more colon-separated parts."""
    if not text.startswith("arn:"):
        return None
    parts = _split(text)
    if len(parts) < 6:
        return None
    return Arn(*parts[1:])


def is_valid_resource(text: str) -> bool:
    """ "*" or an ARN with a partition, a service and a resource (wildcards allowed)."""
    if text == "*":
        return True
    arn = parse_arn(text)
    return arn is not None and bool(arn.partition and arn.service and arn.resource)


def is_service_wide(text: str) -> bool:
    """ "*" or an ARN whose resource is only "*", e.g. "arn:aws:s3:::*"."""
    if text == "*":
        return True
    arn = parse_arn(text)
    return arn is not None and arn.resource == "*"


def _segment_matches(pattern: str, value: str) -> bool:
    if pattern == value:
        return True
    return compile_wildcard(pattern, ignore_case=False).fullmatch(value) is not None


def arn_matches(pattern: str, value: str) -> bool:
    """Case-sensitive IAM resource matching with `*` and `?`.

    Partition, service, region and account are matched each on its own (a wildcard
    does not cross a colon there); the resource part is matched as a whole. A `*` in
    `value` is an ordinary character, so asking whether one pattern matches another
    answers "does it cover it", conservatively.
    """
    if pattern == "*":
        return True
    pattern_parts = _split(pattern)
    value_parts = _split(value)
    if len(pattern_parts) == 6 and len(value_parts) == 6:
        return all(_segment_matches(p, v) for p, v in zip(pattern_parts, value_parts, strict=True))
    # A truncated ARN is invalid in AWS and matches nothing; any other text is one segment.
    return not pattern.startswith("arn:") and _segment_matches(pattern, value)
