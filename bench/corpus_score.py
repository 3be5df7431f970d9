"""Score iamlint on the labeled corpus (../shared/corpus) that nobody on the team wrote.

Usage: python bench/corpus_score.py [--corpus DIR] [--details] [--json]

KICS files are scanned each on its own (a copy in a folder of its own: KICS keeps a
query's positive and negative samples side by side, often with the same resource
names); a KICS positive is a true positive when a rule mapped to its category fires
in it, a negative is a false positive when one does. Checkov example folders are
scanned as units and scored per labeled resource: a failing resource is a true
positive when a mapped rule reports it (as the finding's resource, among the
principals and resources it affects, or at a position inside the resource's
declaration, as for a managed policy attached by an attachment resource), a passing
one is a false positive when one does.

Entries where the label is wrong by AWS semantics are listed, with the AWS
documentation that decides them, in `bench/corpus_disagreements.md`; they are
counted apart and never bend the score.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from iamlint.model import Finding, Location
from iamlint.registry import all_rules
from iamlint.scan import _load, plan, scan

HERE = Path(__file__).resolve().parent
DEFAULT_CORPUS = HERE.parent.parent / "shared" / "corpus"
DISAGREEMENTS = HERE / "corpus_disagreements.md"

# The one table from corpus categories to the rules that answer them. A category that
# is absent is not covered by iamlint (it is listed, but kept out of the overall score).
# A key "category: query" (a KICS query name or a Checkov check id) scores that query's
# entries on their own row, with the rules that answer its exact condition; the rest of
# the category keeps the category's row (or stays uncovered).
CATEGORY_RULES: dict[str, frozenset[str]] = {
    "full-admin-statement": frozenset({"IAM002"}),
    "admin-managed-policy": frozenset({"IAM001"}),
    # "*" as an action is IAM002 when it is also on Resource "*" (one root cause, one finding)
    "service-wildcard-action": frozenset({"IAM002", "IAM003"}),
    "resource-wildcard": frozenset({"IAM002", "IAM004", "IAM008", "IAM009", "IAM016"}),
    "not-action-or-not-resource": frozenset({"IAM008", "IAM009"}),
    "user-access-key": frozenset({"IAM005"}),
    "hardcoded-credentials": frozenset({"IAM006", "IAM007"}),
    "trust-policy-open": frozenset({"IAM010", "IAM012"}),
    "trust-policy-cross-account": frozenset({"IAM010", "IAM011"}),
    "resource-policy-public": frozenset({"IAM013"}),
    "privilege-escalation": frozenset({"IAM015"}),
    # PassRole on "*" alone is IAM016's exact condition; IAM015 needs a whole combination
    "privilege-escalation: IAM Role Policy passRole Allows All": frozenset({"IAM015", "IAM016"}),
    "policy-on-user": frozenset({"IAM017"}),
    # Policy Without Principal: a resource policy statement with no Principal is invalid
    "other-iam: Policy Without Principal": frozenset({"IAM019"}),
    # Ensure AWS Managed IAMFullAccess IAM policy is not used
    "other-iam: CKV2_AWS_56": frozenset({"IAM021"}),
    # Lambda function permissions delegated to AWS services limited by SourceArn/SourceAccount
    "other-iam: CKV_AWS_364": frozenset({"IAM014"}),
}


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    disagreements: int = 0
    misses: list[str] = field(default_factory=list)
    false_alarms: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0


def read_disagreements(path: Path = DISAGREEMENTS) -> set[tuple[str, str]]:
    """(file, resource or "-") pairs from the table rows of the disagreements file."""
    pairs = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip().strip("`") for cell in line.strip().strip("|").split("|")]
        if len(cells) >= 2 and cells[0].startswith(("kics/", "checkov/")):
            pairs.add((cells[0], cells[1]))
    return pairs


def score(corpus: Path) -> dict[str, Tally]:
    rules = all_rules()
    disagreements = read_disagreements()
    tallies: dict[str, Tally] = defaultdict(Tally)
    kics = json.loads((corpus / "kics" / "manifest.json").read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as scratch:
        for index, entry in enumerate(kics):
            copy = Path(scratch) / str(index) / Path(entry["file"]).name
            copy.parent.mkdir()
            shutil.copyfile(corpus / entry["file"], copy)
            fired = {f.rule_id for f in scan([str(copy)], rules).findings}
            key = _table_key(entry["category"], entry["query"])
            _count(
                tallies[key],
                key,
                entry["expect"] == "positive",
                fired,
                entry["file"],
                (entry["file"], "-") in disagreements,
            )
    checkov = json.loads((corpus / "checkov" / "manifest.json").read_text(encoding="utf-8"))
    folders: dict[Path, tuple[list[Finding], dict[str, Location]]] = {}
    for entry in checkov:
        folder = (corpus / entry["file"]).parent
        if folder not in folders:
            folders[folder] = (scan([str(folder)], rules).findings, _declarations(folder))
        findings, declarations = folders[folder]
        in_file = [f for f in findings if f.location.file.endswith(entry["file"])]
        key = _table_key(entry["category"], entry["check_id"])
        for resources, positive in ((entry["failing"], True), (entry["passing"], False)):
            for resource in resources:
                declared = declarations.get(_normalise(resource))
                fired = {f.rule_id for f in in_file if _reports(f, resource, declared)}
                _count(
                    tallies[key],
                    key,
                    positive,
                    fired,
                    f"{entry['file']} {resource}",
                    (entry["file"], resource) in disagreements,
                )
    return dict(tallies)


def _table_key(category: str, query: str) -> str:
    """The CATEGORY_RULES key an entry is scored under: its own query's, when listed."""
    own = f"{category}: {query}"
    return own if own in CATEGORY_RULES else category


def _declarations(folder: Path) -> dict[str, Location]:
    """Where each resource of a Checkov folder is declared (its whole span), by address."""
    return {
        _normalise(block.name): block.location
        for job in plan([str(folder)], ())
        for block in _load(job, ())[0].blocks
    }


def _reports(finding: Finding, address: str, declared: Location | None) -> bool:
    """Whether a finding is about a labeled Checkov resource address: it names the resource,
    or sits inside its declaration (an attachment resource reports the principal it
    attaches to, at the attaching token)."""
    wanted = _normalise(address)
    names = {finding.resource or "", *finding.affected}
    if any(_normalise(name) == wanted for name in names):
        return True
    at = finding.location
    return declared is not None and (
        declared.file == at.file and declared.line <= at.line <= declared.end_line
    )


def _normalise(address: str) -> str:
    # Checkov writes data sources without "data." and CloudFormation resources as
    # "AWS::Type.LogicalId"; iamlint reports "data.type.name" and the logical id.
    if address.startswith("AWS::"):
        return address.rsplit(".", 1)[1]
    return address.removeprefix("data.")


def _count(
    tally: Tally, category: str, positive: bool, fired: set[str], what: str, disputed: bool
) -> None:
    if disputed:
        tally.disagreements += 1
        return
    hit = bool(fired & CATEGORY_RULES.get(category, frozenset()))
    if positive and hit:
        tally.tp += 1
    elif positive:
        tally.fn += 1
        tally.misses.append(what)
    elif hit:
        tally.fp += 1
        tally.false_alarms.append(f"{what} ({', '.join(sorted(fired))})")
    else:
        tally.tn += 1


def overall(tallies: dict[str, Tally]) -> Tally:
    total = Tally()
    for category, tally in tallies.items():
        if category in CATEGORY_RULES:
            total.tp += tally.tp
            total.fp += tally.fp
            total.fn += tally.fn
            total.tn += tally.tn
            total.disagreements += tally.disagreements
    return total


def table(tallies: dict[str, Tally]) -> str:
    rows = [
        "| category | rules | TP | FP | FN | TN | disputed | recall | precision |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for category in sorted(tallies):
        t = tallies[category]
        rules = ", ".join(sorted(CATEGORY_RULES.get(category, ()))) or "not covered"
        rows.append(
            f"| {category} | {rules} | {t.tp} | {t.fp} | {t.fn} | {t.tn} | {t.disagreements}"
            f" | {t.recall:.3f} | {t.precision:.3f} |"
        )
    t = overall(tallies)
    rows.append(
        f"| **overall (covered)** | | {t.tp} | {t.fp} | {t.fn} | {t.tn} | {t.disagreements}"
        f" | {t.recall:.3f} | {t.precision:.3f} |"
    )
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--details", action="store_true", help="list every miss and false alarm")
    parser.add_argument("--json", action="store_true", help="print the overall figures as JSON")
    args = parser.parse_args(argv)
    tallies = score(args.corpus)
    total = overall(tallies)
    if args.json:
        print(json.dumps({"recall": total.recall, "precision": total.precision}))
        return 0
    print(table(tallies))
    if args.details:
        for category in sorted(tallies):
            for miss in tallies[category].misses:
                print(f"miss        {category}: {miss}")
            for alarm in tallies[category].false_alarms:
                print(f"false alarm {category}: {alarm}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
