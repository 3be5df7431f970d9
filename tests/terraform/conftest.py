from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from iamlint.model import Inventory
from iamlint.sources.terraform import load_module


@pytest.fixture
def module(tmp_path: Path):
    """Write files (name -> text) below tmp_path and read the root module `main.tf` is in."""

    def load(files: dict[str, str], var_files: tuple[str, ...] = ()) -> Inventory:
        for name, text in files.items():
            path = tmp_path / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(text).lstrip("\n"))
        root_files = sorted([*tmp_path.glob("*.tf"), *tmp_path.glob("*.tf.json")])
        return load_module(
            [(str(p), p.name) for p in root_files],
            root=str(tmp_path),
            var_files=[str(tmp_path / v) for v in var_files],
        )

    return load
