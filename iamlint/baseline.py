"""Baselines: record today's findings so that only new ones are reported.

A baseline is JSON listing fingerprints (content hashes, never line numbers),
sorted, so it is stable across runs and machines and moving a finding's
lines does not make it new.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from iamlint.fingerprint import fingerprints
from iamlint.model import Finding

FORMAT_VERSION = 1


class BaselineError(ValueError):
    pass


def write_baseline(path: str, findings: list[Finding]) -> None:
    entries = sorted(
        (
            {"fingerprint": fingerprint, "rule_id": f.rule_id, "file": f.location.file}
            for f, fingerprint in zip(findings, fingerprints(findings), strict=True)
        ),
        key=lambda entry: (entry["file"], entry["rule_id"], entry["fingerprint"]),
    )
    with open(path, "w", encoding="utf-8") as handle:
        json.dump({"version": FORMAT_VERSION, "findings": entries}, handle, indent=2)
        handle.write("\n")


def read_baseline(path: str) -> frozenset[str]:
    try:
        with open(path, encoding="utf-8") as handle:
            document = json.load(handle)
    except OSError as error:
        raise BaselineError(f"{path}: cannot read the baseline: {error.strerror}") from error
    except json.JSONDecodeError as error:
        raise BaselineError(f"{path}: the baseline is not valid JSON: {error}") from error
    if not isinstance(document, dict) or document.get("version") != FORMAT_VERSION:
        raise BaselineError(f"{path}: not an iamlint baseline (version {FORMAT_VERSION})")
    entries = document.get("findings")
    if not isinstance(entries, list) or not all(
        isinstance(entry, dict) and isinstance(entry.get("fingerprint"), str) for entry in entries
    ):
        raise BaselineError(f"{path}: 'findings' must be a list of entries with a fingerprint")
    return frozenset(entry["fingerprint"] for entry in entries)


def new_findings(findings: list[Finding], known: Iterable[str]) -> list[Finding]:
    """The findings whose fingerprint is not in the baseline."""
    known = set(known)
    return [
        finding
        for finding, fingerprint in zip(findings, fingerprints(findings), strict=True)
        if fingerprint not in known
    ]
