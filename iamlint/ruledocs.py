"""The README's rule table, generated from the rule metadata.

`python -m iamlint.ruledocs README.md` rewrites the table between its markers.
"""

from __future__ import annotations

import sys

from iamlint.registry import all_rules

START = "<!-- rules:start -->"
END = "<!-- rules:end -->"


def rule_table() -> str:
    rows = ["| id | slug | severity | what it flags |", "|---|---|---|---|"]
    rows += [f"| {r.id} | `{r.slug}` | {r.severity} | {r.title} |" for r in all_rules()]
    return "\n".join(rows)


def with_table(readme: str) -> str:
    """`readme` with the text between the markers replaced by the current table."""
    before, rest = readme.split(START, 1)
    _, after = rest.split(END, 1)
    return f"{before}{START}\n{rule_table()}\n{END}{after}"


if __name__ == "__main__":
    path = sys.argv[1]
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(with_table(text))
