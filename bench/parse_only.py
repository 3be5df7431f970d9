"""The pure-parse baseline: decode the files iamlint would read, with iamlint's own
decoders, and nothing else (no model, no rules, no report).

    python bench/parse_only.py PATH ...

Finds files as `iamlint scan` does (same walk, same suffixes) and decodes each
one in this process: `.tf` with the HCL parser (python-hcl2's tree turned into
positioned blocks), `.tf.json` with the Terraform JSON reader, `.json` with
`jsonpos`, YAML with the CloudFormation YAML decoder. Prints the number of
files decoded and the number that failed.
"""

from __future__ import annotations

import sys


def decode(path: str, display: str) -> bool:
    """Decode one file; False if it could not be read or decoded."""
    try:
        with open(path, encoding="utf-8-sig") as handle:
            text = handle.read()
    except (OSError, UnicodeDecodeError):
        return False
    lowered = path.lower()
    if lowered.endswith(".tf") or lowered.endswith(".tf.json"):
        from iamlint.sources.terraform import hcl, jsonsyntax

        source = hcl.SourceFile(display, path, text)
        parser = jsonsyntax.parse if lowered.endswith(".json") else hcl.parse
        try:
            parser(source)
        except hcl.HCLError:
            return False
        return True
    from iamlint.sources import cloudformation, jsonpos

    try:
        if lowered.endswith(".json") or text.lstrip().startswith("{"):
            jsonpos.loads(text, display)
        else:
            cloudformation.loads_yaml(text, display)
    except (jsonpos.JSONPositionError, cloudformation.DecodeError):
        return False
    return True


def main(paths: list[str]) -> None:
    from iamlint.discover import discover

    results = [decode(c.path, c.display) for c in discover(paths or ["."])]
    print(f"{len(results)} files decoded, {results.count(False)} failed")


if __name__ == "__main__":
    main(sys.argv[1:])
