"""Run the fuzz properties of tests/test_fuzz.py for longer than CI does, with fresh
randomness and, optionally, more seed files (such as a corpus of real templates).

    python fuzz/run.py --examples 20000 --seeds /path/to/corpus

A failure prints hypothesis's shrunk example and exits non-zero. Hypothesis keeps
failing examples in `.hypothesis/` (here, not in the repository's tests), so a rerun
tries them first.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis.database import DirectoryBasedExampleDatabase

HERE = Path(__file__).resolve().parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=5000, help="examples per property")
    parser.add_argument(
        "--seeds",
        action="append",
        default=[],
        help="a folder of extra files to mutate (repeatable)",
    )
    args = parser.parse_args(argv)
    sys.path.insert(0, str(HERE.parent / "tests"))
    import test_fuzz

    seeds = list(test_fuzz.SEEDS)
    for folder in args.seeds:
        seeds += sorted(
            p
            for p in Path(folder).rglob("*")
            if p.is_file() and p.name.endswith(test_fuzz.SUFFIXES)
        )
    long_run = settings(
        max_examples=args.examples,
        derandomize=False,
        deadline=None,
        database=DirectoryBasedExampleDatabase(str(HERE / ".hypothesis")),
        suppress_health_check=list(HealthCheck),
    )

    strategies = {
        "mutated files": test_fuzz.mutated_files(seeds),
        "malformed policies": test_fuzz.malformed_policy_files(),
    }
    print(f"{len(seeds)} seed files, {args.examples} examples per property")
    for name, files in strategies.items():
        print(f"fuzzing {name}...", flush=True)
        long_run(given(files)(test_fuzz.check_scan))()
    print("nothing found")
    return 0


if __name__ == "__main__":
    sys.exit(main())
