"""Compare iamlint's CloudFormation decoder with cfn-lint's on the shared corpus.

Decodes every CloudFormation file listed in the corpus manifests ROUNDS times with
each decoder and prints the import time, the decoding time per round and the
number of files each decoder could not decode.

Run: python tools/cfn_decode_benchmark.py /work/shared/corpus
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

ROUNDS = 5


def main(corpus: Path) -> None:
    files = [
        corpus / entry["file"]
        for manifest in sorted(corpus.glob("*/manifest.json"))
        for entry in json.loads(manifest.read_text())
        if entry["format"] == "cloudformation"
    ]
    texts = [(str(path), path.read_text(encoding="utf-8-sig")) for path in files]
    size = sum(len(text) for _, text in texts)
    print(f"{len(texts)} files, {size} characters, best of {ROUNDS} rounds")

    start = time.perf_counter()
    from iamlint.sources import jsonpos
    from iamlint.sources.cloudformation import DecodeError, loads_yaml

    own_import = time.perf_counter() - start

    def own(name: str, text: str) -> bool:
        try:
            if text.lstrip().startswith("{"):
                jsonpos.loads(text, name)
            else:
                loads_yaml(text, name)
        except (DecodeError, jsonpos.JSONPositionError):
            return False
        return True

    start = time.perf_counter()
    from cfnlint.decode import decode_str

    cfnlint_import = time.perf_counter() - start

    def cfnlint(name: str, text: str) -> bool:
        _, matches = decode_str(text)
        return not matches

    for label, decode, imported in (
        ("iamlint (PyYAML C composer + jsonpos)", own, own_import),
        ("cfn-lint decode_str", cfnlint, cfnlint_import),
    ):
        best = float("inf")
        for _ in range(ROUNDS):
            start = time.perf_counter()
            failures = sum(not decode(name, text) for name, text in texts)
            best = min(best, time.perf_counter() - start)
        print(
            f"{label}: import {imported * 1000:.0f} ms, "
            f"decode {best * 1000:.0f} ms, failures {failures}"
        )


if __name__ == "__main__":
    main(Path(sys.argv[1]))
