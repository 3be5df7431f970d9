from iamlint.engine import drop_superseded, run_rules
from iamlint.model import Finding, Inventory, Location
from iamlint.rule import Rule

STATEMENT = Location("p.json", 3, 5, 8, 6)
OTHER_STATEMENT = Location("p.json", 9, 5, 12, 6)


def _finding(rule_id: str, statement: Location | None) -> Finding:
    return Finding(
        rule_id, rule_id.lower(), "high", "m", Location("p.json", 4, 1, 4, 2), statement=statement
    )


class Broad(Rule):
    id, slug, severity, title = "IAM902", "broad", "critical", "broad"
    supersedes = ("IAM903",)

    def check(self, inventory, settings):
        return []


class Narrow(Rule):
    id, slug, severity, title = "IAM903", "narrow", "medium", "narrow"

    def check(self, inventory, settings):
        return []


class Crashing(Rule):
    id, slug, severity, title = "IAM904", "crash", "low", "crash"

    def check(self, inventory, settings):
        raise KeyError("boom")


def test_a_more_specific_rule_replaces_the_ones_it_supersedes_on_the_same_statement():
    findings = [
        _finding("IAM902", STATEMENT),
        _finding("IAM903", STATEMENT),
        _finding("IAM903", OTHER_STATEMENT),
        _finding("IAM903", None),
    ]
    kept = drop_superseded(findings, [Broad(), Narrow()])
    assert [(f.rule_id, f.statement) for f in kept] == [
        ("IAM902", STATEMENT),
        ("IAM903", OTHER_STATEMENT),
        ("IAM903", None),
    ]


def test_a_crashing_rule_becomes_an_error_and_the_others_still_run():
    class Reporting(Narrow):
        def check(self, inventory, settings):
            yield _finding("IAM903", None)

    findings, errors = run_rules(Inventory(files=("p.json",)), [Crashing(), Reporting()])
    assert [f.rule_id for f in findings] == ["IAM903"]
    assert [(e.file, e.message) for e in errors] == [
        ("p.json", "internal error in rule IAM904: KeyError: 'boom'")
    ]


def test_findings_inside_a_terraform_module_name_the_module_call():
    from iamlint.model import Policy, PolicyKind
    from iamlint.rule import module_call

    assert module_call("module.a.module.b.aws_iam_role.r") == "module.a.module.b"
    assert module_call("aws_iam_role.r") is None
    assert module_call("DeployRole") is None
    policy = Policy(
        PolicyKind.MANAGED,
        Location("m/main.tf", 1, 1, 1, 2),
        (),
        resource="module.deploy.aws_iam_policy.this",
    )
    finding = Narrow().finding("too broad", Location("m/main.tf", 3, 1, 3, 2), policy=policy)
    assert finding.message == "too broad (through module.deploy)"
    assert finding.resource == "module.deploy.aws_iam_policy.this"
