"""Find the files to lint below the paths a user gave."""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

SKIPPED_DIRECTORIES = frozenset({".git", ".terraform", "node_modules", ".hg", ".svn"})
CANDIDATE_SUFFIXES = (".json", ".yaml", ".yml", ".template", ".tf")
TERRAFORM_SUFFIXES = (".tf", ".tf.json")  # read together, one module per directory


@dataclass(frozen=True)
class Candidate:
    path: str  # as opened
    display: str  # as reported: relative to the working directory when below it
    explicit: bool  # named on the command line


def display_path(path: str) -> str:
    absolute = os.path.abspath(path)
    relative = os.path.relpath(absolute)
    shown = absolute if relative.startswith("..") else relative
    return shown.replace(os.sep, "/")


def discover(paths: Iterable[str], exclude: Iterable[str] = ()) -> Iterator[Candidate]:
    """Yield candidate files in a stable order. A file named explicitly is always
    yielded; files found by walking skip vendored and generated folders and the
    `exclude` globs (matched against the displayed path)."""
    patterns = tuple(exclude)
    seen: set[str] = set()
    for path in paths:
        if os.path.isfile(path):
            candidate = Candidate(path, display_path(path), explicit=True)
            if candidate.display not in seen:
                seen.add(candidate.display)
                yield candidate
            continue
        for found in _walk(path):
            display = display_path(found)
            if display in seen or _excluded(display, patterns):
                continue
            seen.add(display)
            yield Candidate(found, display, explicit=False)


def _walk(root: str) -> Iterator[str]:
    """Symbolic links to directories are not followed (no loops); a linked file is
    read only when it resolves to a regular file inside `root`."""
    inside = os.path.realpath(root).rstrip(os.sep) + os.sep
    for directory, subdirectories, files in os.walk(root):
        subdirectories[:] = sorted(
            d for d in subdirectories if not _skipped_directory(directory, d)
        )
        for name in sorted(files):
            path = os.path.join(directory, name)
            if name.lower().endswith(CANDIDATE_SUFFIXES) and _readable(path, inside):
                yield path


def _readable(path: str, inside: str) -> bool:
    """Not a symbolic link, or one to a regular file below the folder `inside`."""
    if not os.path.islink(path):
        return True
    return os.path.realpath(path).startswith(inside) and os.path.isfile(path)


def _skipped_directory(parent: str, name: str) -> bool:
    if name in SKIPPED_DIRECTORIES:
        return True
    # CDK asset folders hold bundled application code, not templates.
    return os.path.basename(parent) == "cdk.out" and name.startswith("asset.")


def _excluded(display: str, patterns: tuple[str, ...]) -> bool:
    return any(fnmatch.fnmatch(display, pattern) for pattern in patterns)


@dataclass(frozen=True)
class Unit:
    """Files read together: a Terraform module directory's `.tf`/`.tf.json` files, or one file."""

    candidates: tuple[Candidate, ...]
    terraform: bool
    directory: str  # absolute
    root: str  # the scanned path it was found below: files outside it are never read


def scan_units(candidates: Iterable[Candidate], paths: Iterable[str]) -> list[Unit]:
    """Group the `.tf` and `.tf.json` files of one directory into one unit (references across the
    files of a module must resolve); every other file is a unit of its own."""
    roots = [os.path.abspath(p if os.path.isdir(p) else os.path.dirname(p) or ".") for p in paths]
    modules: dict[str, list[Candidate]] = {}
    units: list[Unit] = []
    for candidate in candidates:
        directory = os.path.dirname(os.path.abspath(candidate.path))
        if candidate.path.lower().endswith(TERRAFORM_SUFFIXES):
            if directory not in modules:
                modules[directory] = []
                units.append(Unit((), True, directory, _root_of(directory, roots)))
            modules[directory].append(candidate)
        else:
            units.append(Unit((candidate,), False, directory, _root_of(directory, roots)))
    return [
        Unit(tuple(modules[unit.directory]), True, unit.directory, unit.root)
        if unit.terraform
        else unit
        for unit in units
    ]


def module_files(directory: str, root: str | None = None) -> list[tuple[str, str]]:
    """Every `.tf`/`.tf.json` file of a module directory, as (path, displayed path); a
    symbolic link only to a file below `root` (default: the directory)."""
    inside = os.path.realpath(root or directory).rstrip(os.sep) + os.sep
    names = sorted(
        n
        for n in os.listdir(directory)
        if n.lower().endswith(TERRAFORM_SUFFIXES) and _readable(os.path.join(directory, n), inside)
    )
    return [(os.path.join(directory, n), display_path(os.path.join(directory, n))) for n in names]


def _root_of(directory: str, roots: list[str]) -> str:
    for root in sorted(roots, key=len):
        if directory == root or directory.startswith(root.rstrip(os.sep) + os.sep):
            return root
    return directory
