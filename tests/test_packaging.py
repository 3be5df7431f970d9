"""The wheel ships the top-level rules/ folder as iamlint.rules."""

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_wheel_contains_every_rule_module(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "-w", str(tmp_path), "-q"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    (wheel,) = tmp_path.glob("iamlint-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    rule_modules = sorted(p.name for p in (ROOT / "rules").glob("*.py"))
    assert "__init__.py" in rule_modules and len(rule_modules) > 10
    for module in rule_modules:
        assert f"iamlint/rules/{module}" in names
    assert "iamlint/cli.py" in names
    assert not any(name.startswith("rules/") for name in names)
