"""Fuzzing: mutated fixture files and generated malformed policies always give findings or
errors, never an exception, an internal error or a hang.

CI runs a fixed, derandomized sequence with bounded example counts; `fuzz/run.py` runs
the same properties for longer with fresh randomness (and the corpus as extra seeds).
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_cross_format import cfn_json, cfn_yaml, raw_json, tf_jsonencode

from iamlint.registry import all_rules
from iamlint.scan import scan

RULES = tuple(all_rules())
TESTS = Path(__file__).parent
SUFFIXES = (".json", ".yaml", ".yml", ".template", ".tf")
SEEDS = sorted(
    path
    for folder in (TESTS / "fixtures", TESTS / "hostile" / "cases")
    for path in folder.rglob("*")
    if path.is_file() and path.name.endswith(SUFFIXES) and not path.name.endswith(".expect.yaml")
)
CI = settings(
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
HANG = 10.0  # seconds for one small file: far above any honest scan of it, below the budget


def check_scan(files: dict[str, bytes]) -> None:
    """Scan `files` (name -> bytes) in a fresh folder; the report must account for every
    problem as a finding or an error in those files, with no internal error, quickly."""
    with tempfile.TemporaryDirectory() as directory:
        root = Path(directory)
        for name, data in files.items():
            (root / name).write_bytes(data)
        started = time.monotonic()
        report = scan([directory], RULES)
        elapsed = time.monotonic() - started
    assert elapsed < HANG, f"{elapsed:.1f} s"
    written = {Path(name).name for name in files}
    for error in report.errors:
        assert "internal error" not in error.message, error
        assert error.message and error.line >= 1, error
        assert Path(error.file).name in written, error
    for finding in report.findings:
        assert Path(finding.location.file).name in written, finding
        assert finding.location.line >= 1, finding


# -- mutations of real files -------------------------------------------------------------

_TOKENS = [
    b"{",
    b"}",
    b"[",
    b"]",
    b'"',
    b"\x00",
    b"\xff\xfe",
    b"\r",
    b"\xef\xbb\xbf",
    b"${",
    b"%{",
    b"<<EOT\n",
    b"&a [*a, *a]",
    b"*a",
    b"!Ref",
    b"!!python/object/apply:os.system [id]",
    b'file("/etc/passwd")',
    b"42",
    b"null",
    b"- ",
    b": ",
    b"\\u0000",
    b"\t",
]
_BRACKETS = b"{}[]()"


@st.composite
def _mutated(draw, data: bytes) -> bytes:
    for _ in range(draw(st.integers(1, 3))):
        operation = draw(st.sampled_from(["truncate", "flip", "bracket", "insert", "duplicate"]))
        at = draw(st.integers(0, len(data)))
        if operation == "truncate":
            data = data[:at]
        elif operation == "flip" and at < len(data):
            bit = 1 << draw(st.integers(0, 7))
            data = data[:at] + bytes([data[at] ^ bit]) + data[at + 1 :]
        elif operation == "bracket":
            positions = [i for i, byte in enumerate(data) if byte in _BRACKETS]
            if positions:
                drop = draw(st.sampled_from(positions))
                data = data[:drop] + data[drop + 1 :]
        elif operation == "insert":
            data = data[:at] + draw(st.sampled_from(_TOKENS)) + data[at:]
        else:
            end = draw(st.integers(at, min(len(data), at + 200)))
            data = data[:at] + data[at:end] * draw(st.integers(2, 4)) + data[at:]
    return data


@st.composite
def mutated_files(draw, seeds: list[Path] = SEEDS) -> dict[str, bytes]:
    seed = draw(st.sampled_from(seeds))
    return {seed.name: draw(_mutated(seed.read_bytes()))}


@settings(CI, max_examples=1000)
@given(mutated_files())
def test_mutated_files_never_crash_or_hang(files):
    check_scan(files)


# -- generated policies of the wrong shape -----------------------------------------------

_KEYS = ["Effect", "Action", "NotAction", "Resource", "NotResource", "Principal"]
_KEYS += ["NotPrincipal", "Condition", "Sid", "Version", "Statement", "Id"]
_json = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**63), 2**63)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.sampled_from(["*", "s3:GetObject", "iam:*", "arn:aws:s3:::b/*", "Allow", "Deny", ""])
    | st.text(max_size=12),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.sampled_from(_KEYS) | st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)
_statement = st.dictionaries(st.sampled_from(_KEYS), _json, max_size=6)
_malformed_policy = st.fixed_dictionaries(
    {"Statement": st.lists(_statement | _json, max_size=3) | _statement | _json},
    optional={"Version": _json, "Id": _json},
)
_FORMATS = {"raw-json": raw_json, "cfn-yaml": cfn_yaml, "cfn-json": cfn_json}
_FORMATS["tf-jsonencode"] = tf_jsonencode


@st.composite
def malformed_policy_files(draw) -> dict[str, bytes]:
    """A policy of the wrong shape (swapped types, unknown keys) in one of the formats."""
    fmt = draw(st.sampled_from(sorted(_FORMATS)))
    kind = draw(st.sampled_from(["identity", "trust", "resource"]))
    rendered = _FORMATS[fmt](kind, draw(_malformed_policy))
    return {name: text.encode("utf-8", "surrogatepass") for name, text in rendered.files.items()}


@settings(CI, max_examples=400)
@given(malformed_policy_files())
def test_malformed_policies_in_every_format_never_crash(files):
    check_scan(files)
