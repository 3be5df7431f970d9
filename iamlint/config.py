"""The configuration file: `.iamlint.yaml` or `[tool.iamlint]` in `pyproject.toml`.

Searched upward from the first scanned path unless given with `--config`.
An unknown key or a bad value is a `ConfigError` naming the file and the key
(the CLI turns it into a usage error, exit code 2).
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from typing import Any

from iamlint.limits import DEFAULT, Limits, parse_limits
from iamlint.model import SEVERITIES

CONFIG_FILE = ".iamlint.yaml"


class ConfigError(ValueError):
    pass


@dataclass(frozen=True)
class IgnoreEntry:
    """A rule ignored everywhere (`path` None) or for files matching a glob."""

    rule: str
    path: str | None = None
    reason: str = ""


@dataclass(frozen=True)
class Config:
    source: str | None = None  # the file it was read from
    select: tuple[str, ...] | None = None
    ignore: tuple[IgnoreEntry, ...] = ()
    fail_on: str | None = None
    accounts: tuple[str, ...] = ()
    oidc_owners: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    severity: dict[str, str] = field(default_factory=dict)
    var_files: tuple[str, ...] = ()
    limits: Limits = DEFAULT


def find_config(start: str) -> str | None:
    """The nearest `.iamlint.yaml`, or `pyproject.toml` with a `[tool.iamlint]` table,
    in `start` (or its directory) or any parent."""
    directory = os.path.abspath(start if os.path.isdir(start) else os.path.dirname(start) or ".")
    while True:
        candidate = os.path.join(directory, CONFIG_FILE)
        if os.path.isfile(candidate):
            return candidate
        pyproject = os.path.join(directory, "pyproject.toml")
        if os.path.isfile(pyproject) and _pyproject_table(pyproject) is not None:
            return pyproject
        parent = os.path.dirname(directory)
        if parent == directory:
            return None
        directory = parent


def load_config(path: str) -> Config:
    if os.path.basename(path) == "pyproject.toml":
        data = _pyproject_table(path) or {}
    else:
        import yaml  # only a YAML configuration needs it: spared on most runs

        try:
            with open(path, encoding="utf-8") as handle:
                data = yaml.safe_load(handle)
        except OSError as error:
            raise ConfigError(f"{path}: cannot read the configuration: {error.strerror}") from error
        except yaml.YAMLError as error:
            raise ConfigError(f"{path}: invalid YAML: {_one_line(error)}") from error
        except RecursionError:
            raise ConfigError(f"{path}: invalid YAML: nested too deeply") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: the configuration must be a mapping of keys to values")
    return _parse(data, path)


def _pyproject_table(path: str) -> dict | None:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on Python 3.10 only
        import tomli as tomllib

    try:
        with open(path, "rb") as handle:
            document = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"{path}: invalid TOML: {_one_line(error)}") from error
    table = document.get("tool", {}).get("iamlint")
    return table if isinstance(table, dict) else None


def _parse(data: dict[str, Any], path: str) -> Config:
    values: dict[str, Any] = {"source": path}
    for key, value in data.items():
        parser = _PARSERS.get(key)
        if parser is None:
            known = ", ".join(sorted(_PARSERS))
            raise ConfigError(f"{path}: unknown key {key!r} (known keys: {known})")
        values[key] = parser(value, f"{path}: {key}")
    return Config(**values)


def _strings(value: Any, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ConfigError(f"{where} must be a list of strings")
    return tuple(value)


def _accounts(value: Any, where: str) -> tuple[str, ...]:
    if isinstance(value, (str, int)):
        value = [value]
    if not isinstance(value, list):
        raise ConfigError(f"{where} must be a list of 12-digit account ids")
    accounts = tuple(str(item) for item in value)
    for account in accounts:
        if not (len(account) == 12 and account.isdigit()):
            raise ConfigError(f"{where}: {account!r} is not a 12-digit account id")
    return accounts


def _severity_name(value: Any, where: str) -> str:
    if not isinstance(value, str) or value.lower() not in SEVERITIES:
        raise ConfigError(f"{where} must be one of {', '.join(SEVERITIES)}")
    return value.lower()


def _ignore(value: Any, where: str) -> tuple[IgnoreEntry, ...]:
    if not isinstance(value, list):
        raise ConfigError(f"{where} must be a list of rule ids or {{id, path, reason}} entries")
    entries = []
    for item in value:
        if isinstance(item, str):
            entries.append(IgnoreEntry(item))
            continue
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            raise ConfigError(f"{where}: each entry needs an 'id' (a rule id or slug)")
        unknown = set(item) - {"id", "path", "reason"}
        if unknown:
            raise ConfigError(f"{where}: unknown entry key {sorted(unknown)[0]!r}")
        path, reason = item.get("path"), item.get("reason", "")
        if path is not None and not isinstance(path, str):
            raise ConfigError(f"{where}: 'path' must be a glob string")
        if not isinstance(reason, str):
            raise ConfigError(f"{where}: 'reason' must be a string")
        entries.append(IgnoreEntry(item["id"], path, reason))
    return tuple(entries)


def _severity_overrides(value: Any, where: str) -> dict[str, str]:
    if not isinstance(value, dict):
        raise ConfigError(f"{where} must map rule ids to severities")
    return {str(rule): _severity_name(level, f"{where}.{rule}") for rule, level in value.items()}


def _limits(value: Any, where: str) -> Limits:
    try:
        return parse_limits(value, where)
    except ValueError as error:
        raise ConfigError(str(error)) from error


_PARSERS = {
    "select": _strings,
    "ignore": _ignore,
    "fail_on": _severity_name,
    "accounts": _accounts,
    "oidc_owners": _strings,
    "exclude": _strings,
    "severity": _severity_overrides,
    "var_files": _strings,
    "limits": _limits,
}


def _one_line(error: Exception) -> str:
    return " ".join(str(error).split())
