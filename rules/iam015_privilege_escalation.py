from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass

from iamlint.iam.arn import arn_matches, parse_arn
from iamlint.iam.evaluate import evaluate
from iamlint.iam.patterns import action_matches
from iamlint.model import (
    GRANTING_KINDS,
    Element,
    Finding,
    Inventory,
    Location,
    Policy,
    PolicyKind,
    Principal,
    PrincipalKind,
    Statement,
)
from iamlint.queries import grants_all_actions, literal_elements, scoped_statement, summarize
from iamlint.rule import Rule
from iamlint.settings import RuleSettings


@dataclass(frozen=True)
class Permission:
    """An action on every resource of its kind. `kind` is the ARN service and resource
    part that covers every such resource ("iam", "role/*"); None for an action that only
    accepts Resource "*"."""

    action: str
    kind: tuple[str, str] | None


@dataclass(frozen=True)
class Combination:
    parts: tuple[tuple[Permission, ...], ...]  # each part: any one of its permissions
    outcome: str  # what the principal can then do, after "lets <principal>"


def _perm(action: str, kind: str | None = None) -> Permission:
    if kind is None:
        return Permission(action, None)
    service, _, resource = kind.partition(":")
    return Permission(action, (service, resource))


def _one(action: str, kind: str | None = None) -> tuple[Permission, ...]:
    return (_perm(action, kind),)


PASS_ROLE = _one("iam:PassRole", "iam:role/*")

# The known escalation paths (Rhino Security Labs' list, as rules.md names them).
COMBINATIONS: tuple[Combination, ...] = (
    Combination(
        (_one("iam:CreatePolicyVersion", "iam:policy/*"),),
        "rewrite any customer-managed policy, its own included, as a new default version",
    ),
    Combination(
        (_one("iam:SetDefaultPolicyVersion", "iam:policy/*"),),
        "switch any customer-managed policy back to a broader earlier version",
    ),
    Combination(
        (_one("iam:AttachUserPolicy", "iam:user/*"),),
        "attach any managed policy, AdministratorAccess included, to any user",
    ),
    Combination(
        (_one("iam:AttachGroupPolicy", "iam:group/*"),),
        "attach any managed policy, AdministratorAccess included, to any group",
    ),
    Combination(
        (_one("iam:AttachRolePolicy", "iam:role/*"),),
        "attach any managed policy, AdministratorAccess included, to any role",
    ),
    Combination(
        (_one("iam:PutUserPolicy", "iam:user/*"),),
        "write an inline policy granting anything to any user",
    ),
    Combination(
        (_one("iam:PutGroupPolicy", "iam:group/*"),),
        "write an inline policy granting anything to any group",
    ),
    Combination(
        (_one("iam:PutRolePolicy", "iam:role/*"),),
        "write an inline policy granting anything to any role",
    ),
    Combination(
        (_one("iam:CreateAccessKey", "iam:user/*"),),
        "create access keys for any user and act as that user",
    ),
    Combination(
        (_one("iam:CreateLoginProfile", "iam:user/*"),),
        "set a console password for any user that has none and sign in as that user",
    ),
    Combination(
        (_one("iam:UpdateLoginProfile", "iam:user/*"),),
        "change any user's console password and sign in as that user",
    ),
    Combination(
        (_one("iam:UpdateAssumeRolePolicy", "iam:role/*"), _one("sts:AssumeRole", "iam:role/*")),
        "rewrite any role's trust policy and assume that role",
    ),
    Combination(
        (_one("iam:AddUserToGroup", "iam:group/*"),),
        "add any user, itself included, to any group",
    ),
    Combination(
        (PASS_ROLE, _one("ec2:RunInstances", "ec2:instance/*")),
        "launch an instance with any role",
    ),
    Combination(
        (
            PASS_ROLE,
            _one("lambda:CreateFunction", "lambda:function:*"),
            (
                _perm("lambda:InvokeFunction", "lambda:function:*"),
                _perm("lambda:CreateEventSourceMapping"),
            ),
        ),
        "create and run a function with any role",
    ),
    Combination(
        (PASS_ROLE, _one("cloudformation:CreateStack", "cloudformation:stack/*")),
        "create a stack whose resources are made with any role",
    ),
    Combination(
        (PASS_ROLE, _one("glue:CreateDevEndpoint")),
        "create a Glue development endpoint with any role and log in to it",
    ),
    Combination(
        (PASS_ROLE, _one("datapipeline:CreatePipeline")),
        "create a data pipeline that runs commands with any role",
    ),
    Combination(
        (PASS_ROLE, _one("ecs:RunTask", "ecs:task-definition/*")),
        "run an ECS task with any role",
    ),
    Combination(
        (PASS_ROLE, _one("sagemaker:CreateNotebookInstance", "sagemaker:notebook-instance/*")),
        "create a SageMaker notebook instance with any role and run code in it",
    ),
    Combination(
        (PASS_ROLE, _one("codebuild:CreateProject", "codebuild:project/*")),
        "create a build project that runs commands with any role",
    ),
    Combination(
        (_one("lambda:UpdateFunctionCode", "lambda:function:*"),),
        "replace the code of any function and run it with that function's role",
    ),
    Combination(
        (_one("glue:UpdateDevEndpoint", "glue:devEndpoint/*"),),
        "add an SSH key to any Glue development endpoint and act with its role",
    ),
)

TABLE_ACTIONS: tuple[str, ...] = tuple(
    dict.fromkeys(p.action for c in COMBINATIONS for part in c.parts for p in part)
)


@dataclass(frozen=True)
class EffectiveSet:
    """The policies that decide what one principal (or one lone policy) may do."""

    grants: tuple[Policy, ...]  # identity, managed and session policies
    boundaries: tuple[Policy, ...] = ()


@dataclass(frozen=True)
class Grant:
    """Where one part of a combination is granted."""

    action: str
    policy: Policy
    statement: Statement
    element: Element | None  # the Action element granting it, or the first NotAction element

    @property
    def location(self) -> Location:
        if self.element is not None:
            return self.element.location
        return self.statement.key_locations.get("NotAction", self.statement.location)


class PrivilegeEscalation(Rule):
    """
    ## What it does
    Looks at everything one principal is granted — every inline and managed
    policy attached to the same user, role, group or SSO permission set, and
    for a user also the policies of its groups — and flags each known
    privilege-escalation combination that it allows on every resource of the
    kind the actions act on (`"*"`, or a pattern such as
    `arn:aws:iam::111122223333:role/*`): `iam:CreatePolicyVersion`,
    `iam:SetDefaultPolicyVersion`, `iam:Attach{User,Group,Role}Policy`,
    `iam:Put{User,Group,Role}Policy`, `iam:CreateAccessKey`,
    `iam:CreateLoginProfile`, `iam:UpdateLoginProfile`,
    `iam:UpdateAssumeRolePolicy` with `sts:AssumeRole`, `iam:AddUserToGroup`,
    `iam:PassRole` with a service that runs code under the passed role (EC2,
    Lambda, CloudFormation, Glue, Data Pipeline, ECS, SageMaker, CodeBuild),
    `lambda:UpdateFunctionCode` and `glue:UpdateDevEndpoint`. The parts of a
    combination may come from different policies; the message names where
    each one is granted. A policy attached to no declared principal (a raw
    policy file, an unattached managed policy) is judged on its own.

    Unconditioned explicit Denies of the set (permissions boundaries
    included) are subtracted, and a permissions boundary must also allow
    each part. An Allow counts whatever its Condition says (the worst case;
    the message names the condition keys assumed to hold). A statement that
    grants every action is full administrator access, reported by IAM002:
    a combination it takes part in is not repeated here. Several principals with
    the same combination granted by the same statements share one finding,
    at the policy, with all of them in `affected`.

    ## Why is this bad?
    AWS evaluates the union of all identity-based policies of a principal:
    permissions that look harmless in separate policies add up. Each
    combination lets the principal grant itself (or obtain the credentials
    of) more than it was given — usually administrator access — so the
    policy's real reach is far larger than it reads.

    ## Example
    ```json
    {"Version": "2012-10-17",
     "Statement": [{"Effect": "Allow",
                    "Action": ["iam:PassRole", "ec2:RunInstances"],
                    "Resource": "*"}]}
    ```

    ## Use instead
    ```json
    {"Version": "2012-10-17",
     "Statement": [{"Effect": "Allow", "Action": "iam:PassRole",
                    "Resource": "arn:aws:iam::111122223333:role/app-instance",
                    "Condition": {"StringEquals":
                                  {"iam:PassedToService": "ec2.amazonaws.com"}}},
                   {"Effect": "Allow", "Action": "ec2:RunInstances", "Resource": "*"}]}
    ```

    ## References
    - [AWS IAM privilege escalation methods (Rhino Security Labs)](https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/)
    - [Policy evaluation logic](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html)
    - [Permissions boundaries for IAM entities](https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html)
    """

    id = "IAM015"
    slug = "privilege-escalation"
    severity = "high"
    title = "A principal's policies combine into a privilege-escalation path"

    def check(self, inventory: Inventory, settings: RuleSettings) -> Iterator[Finding]:
        # One combination granted by the same statements to several principals: once.
        reached: dict[tuple, tuple[Combination, tuple[Grant, ...], list[str]]] = {}
        for names, effective in effective_sets(inventory):
            for combination, grants in escalations(effective):
                key = (combination, tuple((g.action, id(g.statement)) for g in grants))
                entry = reached.setdefault(key, (combination, grants, []))
                entry[2].extend(n for n in names if n not in entry[2])
        # Combinations granted by the same elements to the same principals (e.g. a lone
        # `iam:*`, or `iam:PassRole` with `ec2:*`) share one root cause: one finding.
        causes: dict[tuple, list[tuple[Combination, tuple[Grant, ...]]]] = {}
        for combination, grants, names in reached.values():
            elements = frozenset((id(g.statement), g.location) for g in grants)
            causes.setdefault((elements, tuple(names)), []).append((combination, grants))
        for (_, names), combinations in causes.items():
            first = combinations[0][1][0]
            finding = self.finding(
                _message(combinations, list(names)),
                first.location,
                policy=first.policy,
                statement=first.statement,
                element=first.element,
            )
            yield dataclasses.replace(finding, affected=names) if names else finding


def effective_sets(inventory: Inventory) -> Iterator[tuple[list[str], EffectiveSet]]:
    """Each declared principal's set with its name, then each granting policy attached to no
    declared principal on its own (with no name). Principals with no granting policy are left
    out."""
    groups = {p.name: p for p in inventory.principals if p.kind is PrincipalKind.GROUP}
    attached: set[int] = set()
    for principal in inventory.principals:
        attached.update(id(policy) for policy in principal.policies)
        effective = _principal_set(principal, groups)
        if effective.grants:
            yield [principal.name], effective
    for policy in inventory.policies:
        if policy.kind in GRANTING_KINDS and id(policy) not in attached:
            yield [], EffectiveSet((policy,))


def _principal_set(principal: Principal, groups: dict[str, Principal]) -> EffectiveSet:
    policies = list(principal.policies)
    if principal.kind is PrincipalKind.USER:
        for name in principal.groups:
            if name in groups:
                policies.extend(groups[name].policies)
    unique = tuple({id(policy): policy for policy in policies}.values())
    return EffectiveSet(
        tuple(p for p in unique if p.kind in GRANTING_KINDS),
        # Boundaries apply to users and roles only, never through a group.
        tuple(p for p in principal.policies if p.kind is PolicyKind.BOUNDARY),
    )


def escalations(effective: EffectiveSet) -> Iterator[tuple[Combination, tuple[Grant, ...]]]:
    """Each combination the set allows, with where each of its parts is granted."""
    evaluation = _Evaluation(effective)
    for combination in COMBINATIONS:
        grants = []
        for part in combination.parts:
            grant = evaluation.grant(part)
            if grant is None:
                break
            grants.append(grant)
        else:
            # A principal granted every action is IAM002's (full administrator access).
            if not any(grants_all_actions(g.statement) for g in grants):
                yield combination, tuple(grants)


class _Evaluation:
    """Answers "is this part granted" for one effective set, caching what repeats."""

    def __init__(self, effective: EffectiveSet) -> None:
        # Evaluated with resources of the deployment's own partition and account written
        # out (`scoped_statement`); findings point at the statements as written.
        granting = [(p, s, scoped_statement(s)) for p in effective.grants for s in p.statements]
        self.policy_of = {id(scoped): p for p, _, scoped in granting}
        self.written = {id(scoped): s for _, s, scoped in granting}
        self.boundaries = [
            [scoped_statement(s) for s in boundary.statements] for boundary in effective.boundaries
        ]
        # Boundaries never grant, but their Denies deny.
        self.statements = [scoped for _, _, scoped in granting] + [
            s for boundary in self.boundaries for s in boundary if s.is_deny
        ]
        self.mentioned = {
            action
            for statement in self.statements
            if statement.is_allow and id(statement) in self.policy_of
            for action in _may_allow(statement)
        }
        self.grants: dict[str, Grant | None] = {}

    def grant(self, part: tuple[Permission, ...]) -> Grant | None:
        """Where the first permission of the part that the set allows is granted."""
        for permission in part:
            if permission.action not in self.grants:
                self.grants[permission.action] = self._grant(permission.action, permission.kind)
            if self.grants[permission.action] is not None:
                return self.grants[permission.action]
        return None

    def _grant(self, action: str, kind: tuple[str, str] | None) -> Grant | None:
        if action not in self.mentioned:
            return None
        for resource in self._candidates(kind):
            decision = evaluate(self.statements, action, resource)
            if (
                decision.allowed
                and decision.statement is not None
                and all(
                    evaluate(boundary, action, resource).allowed for boundary in self.boundaries
                )
            ):
                statement = self.written[id(decision.statement)]
                matching = (
                    e
                    for e in literal_elements(statement.actions)
                    if action_matches(e.literal, action)
                )
                element = next(matching, None) or next(iter(statement.not_actions or ()), None)
                return Grant(action, self.policy_of[id(decision.statement)], statement, element)
        return None

    def _candidates(self, kind: tuple[str, str] | None) -> list[str]:
        """The resources to evaluate an action on: "*" for an action that accepts only "*";
        otherwise "every resource of the kind" in each partition, region and account that the
        set's ARNs for that service name (so a Deny on `arn:aws:iam::*:role/*` cancels an
        Allow on "*"), or "*" when the set names none."""
        if kind is None:
            return ["*"]
        service, resource = kind
        found = []
        for statement in self.statements:
            for element in literal_elements(statement.resources):
                arn = parse_arn(element.literal)
                if arn is not None and arn_matches(arn.service, service):
                    found.append(
                        f"arn:{arn.partition}:{service}:{arn.region}:{arn.account}:{resource}"
                    )
        return list(dict.fromkeys(found)) or ["*"]


def _may_allow(statement: Statement) -> list[str]:
    """The table actions an Allow statement may grant (a superset; evaluate decides)."""
    if statement.not_actions is not None:
        excluded = [e.literal for e in literal_elements(statement.not_actions)]
        return [a for a in TABLE_ACTIONS if not any(action_matches(x, a) for x in excluded)]
    patterns = [e.literal for e in literal_elements(statement.actions)]
    return [a for a in TABLE_ACTIONS if any(action_matches(p, a) for p in patterns)]


def _message(combinations: list[tuple[Combination, tuple[Grant, ...]]], names: list[str]) -> str:
    combination, grants = combinations[0]
    parts = " + ".join(f"{g.action} ({g.location.file}:{g.location.line})" for g in grants)
    who = summarize(names) if names else "whoever holds this policy"
    message = f"{parts} lets {who} {combination.outcome}"
    if len(combinations) > 1:
        others = [" + ".join(g.action for g in more) for _, more in combinations[1:]]
        same = "grants also allow" if len({g.location for g in grants}) > 1 else "grant also allows"
        message += f"; the same {same} {summarize(others)}"
    keys = list(dict.fromkeys(c.key.text for g in grants for c in g.statement.conditions))
    if keys:
        message += f" (conditions on {', '.join(keys)} assumed to hold)"
    return message
