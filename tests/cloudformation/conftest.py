import textwrap

import pytest

from iamlint.model import Inventory
from iamlint.sources.loader import load_file


@pytest.fixture
def load(tmp_path):
    """Write a template (dedented) to a file and read it into the model."""

    def _load(text: str, name: str = "template.yaml") -> Inventory:
        path = tmp_path / name
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        loaded = load_file(str(path), name)
        assert loaded.supported
        return loaded.inventory

    return _load
