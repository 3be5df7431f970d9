"""Stable finding fingerprints, computed from content and never from line numbers."""

from __future__ import annotations

from collections.abc import Iterable

from iamlint.model import Finding


def fingerprints(findings: Iterable[Finding]) -> list[str]:
    """One fingerprint per finding, in order. The same rule, file, resource and
    offending element text give the same hash; repeats of that combination are
    told apart by their order of appearance, so moving unrelated lines changes nothing."""
    from hashlib import sha256  # OpenSSL's start-up cost, paid only when fingerprints are needed

    seen: dict[str, int] = {}
    result = []
    for finding in findings:
        basis = "\x1f".join(
            (finding.rule_id, finding.location.file, finding.resource or "", finding.element)
        )
        occurrence = seen.get(basis, 0)
        seen[basis] = occurrence + 1
        digest = sha256(f"{basis}\x1f{occurrence}".encode()).hexdigest()
        result.append(digest[:32])
    return result
