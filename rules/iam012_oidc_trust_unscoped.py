import re
from collections.abc import Iterator
from dataclasses import dataclass

from iamlint.iam.conditions import describe_conditions, restricts_principal
from iamlint.model import (
    Condition,
    Element,
    Finding,
    Inventory,
    Policy,
    PolicyKind,
    PrincipalType,
    Statement,
)
from iamlint.queries import allows_of_kind
from iamlint.rule import Rule
from iamlint.settings import RuleSettings


@dataclass(frozen=True)
class Provider:
    """A CI or cluster identity provider whose tokens name who is asking in `sub`."""

    name: str
    host: re.Pattern[str]  # the provider path after `oidc-provider/`, lowercase
    subjects: str  # what an unscoped `sub` opens the role to
    prefix: str = ""  # the subject's structured form starts with it
    one: re.Pattern[str] | None = None  # literal prefix pinning one repository/project
    owner: re.Pattern[str] | None = None  # literal prefix pinning only the owner
    # the claims of a (customised) subject that name who is asking; a subject without one
    # (`workflow:deploy`, `environment:prod`) can be produced by anybody's workflow
    identity_claims: re.Pattern[str] | None = None


PROVIDERS = (
    Provider(
        "GitHub Actions",
        re.compile(r"token\.actions\.githubusercontent\.com(/[^/]+)?"),
        "any GitHub repository",
        "repo:",
        re.compile(r"repo:[^/*?]+/[^:*?]+:"),
        re.compile(r"repo:([^/*?@]+)(@[^/*?]*)?/"),
        re.compile(
            r"(?:^|:)(?:repo|repository|repository_id|repository_owner|repository_owner_id):"
        ),
    ),
    Provider(
        "GitLab",
        re.compile(r"gitlab\.com"),
        "any GitLab project",
        "project_path:",
        re.compile(r"project_path:[^/*?]+/[^:*?]+:"),
        re.compile(r"project_path:([^/*?]+)/"),
    ),
    Provider(
        "Terraform Cloud",
        re.compile(r"app\.terraform\.io"),
        "any Terraform Cloud workspace",
        "organization:",
        re.compile(r"organization:[^:*?]+:project:[^:*?]+:workspace:[^:*?]+:"),
        re.compile(r"organization:([^:*?]+):"),
    ),
    Provider(
        "Bitbucket Pipelines",
        re.compile(r"api\.bitbucket\.org/2\.0/workspaces/[^/]+/pipelines-config/identity/oidc"),
        "any pipeline of the workspace",
    ),
    Provider(
        "CircleCI",
        re.compile(r"oidc\.circleci\.com/org/[^/]+"),
        "any project of the CircleCI organisation",
    ),
    Provider(
        "EKS",
        re.compile(r"oidc\.eks\.[a-z0-9-]+\.amazonaws\.com(\.cn)?/id/[a-z0-9]+"),
        "any service account of any namespace",
        "system:serviceaccount:",
        re.compile(r"system:serviceaccount:[^:*?]+:"),
    ),
)
_WILDCARD = re.compile(r"[*?]")


class OidcTrustUnscoped(Rule):
    """
    ## What it does
    Flags a web-identity trust (GitHub Actions, GitLab, Terraform Cloud,
    Bitbucket, CircleCI, EKS service accounts) whose `sub` condition is
    missing or matches any repository, project or namespace: `*`, `repo:*`,
    a `StringLike` pattern whose owner is itself a wildcard, or
    `repo:OWNER/*` for an owner not listed in config `oidc_owners:`, or a
    GitHub subject in a customised format that names no repository or owner
    (`workflow:deploy`, `environment:prod`: no `repo`, `repository`,
    `repository_id`, `repository_owner` or `repository_owner_id` claim). A
    `sub` condition under `ForAllValues:` or a negated operator does not count. A
    missing `aud` condition is a separate medium finding.

    ## Why is this bad?
    The identity provider signs a token for every workflow, pipeline or pod
    it runs, for every customer. AWS lets `AssumeRoleWithWebIdentity`
    succeed when the token comes from the trusted provider and the trust
    policy's conditions match its claims, so without a `sub` restriction any
    repository on GitHub (or any pod of the cluster) can obtain the role's
    credentials.

    ## Example
    ```json
    {"Version": "2012-10-17",
     "Statement": [{
       "Effect": "Allow",
       "Principal": {"Federated":
         "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"},
       "Action": "sts:AssumeRoleWithWebIdentity",
       "Condition": {"StringLike": {
         "token.actions.githubusercontent.com:sub": "repo:*"}}}]}
    ```

    ## Use instead
    ```json
    {"Version": "2012-10-17",
     "Statement": [{
       "Effect": "Allow",
       "Principal": {"Federated":
         "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"},
       "Action": "sts:AssumeRoleWithWebIdentity",
       "Condition": {"StringEquals": {
         "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
         "token.actions.githubusercontent.com:sub":
           "repo:octo-org/app:ref:refs/heads/main"}}}]}
    ```

    ## References
    - [Creating a role for OIDC federation](https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_oidc.html)
    - [Configuring OpenID Connect in AWS (GitHub)](https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/configuring-openid-connect-in-amazon-web-services)
    - [IAM roles for service accounts (EKS)](https://docs.aws.amazon.com/eks/latest/userguide/associate-service-account-role.html)
    """

    id = "IAM012"
    slug = "oidc-trust-unscoped"
    severity = "critical"
    title = "A web-identity trust does not scope the token subject"

    def check(self, inventory: Inventory, settings: RuleSettings) -> Iterator[Finding]:
        owners = frozenset(owner.lower() for owner in settings.oidc_owners)
        for policy, statement in allows_of_kind(inventory, PolicyKind.TRUST):
            for principal in statement.principals or ():
                if principal.type is not PrincipalType.FEDERATED:
                    continue
                found = _provider(principal.value, statement.conditions)
                if found is not None:
                    yield from self._check_trust(policy, statement, principal.value, *found, owners)

    def _check_trust(
        self,
        policy: Policy,
        statement: Statement,
        federated: Element,
        provider: Provider,
        path: str,
        owners: frozenset[str],
    ) -> Iterator[Finding]:
        sub, aud = f"{path}:sub", f"{path}:aud"
        sub_key, aud_key = (
            _claim_keys(statement, provider, sub),
            _claim_keys(statement, provider, aud),
        )
        scoping = [c for c in statement.conditions if restricts_principal((c,), sub_key)]
        too_wide = [_wide_value(c, provider, owners) for c in scoping]
        if not scoping:
            yield self.finding(
                f"{provider.name} web-identity trust has no {sub} condition that scopes the "
                f"subject, so {provider.subjects} can assume this role "
                f"({describe_conditions(statement.conditions, sub_key)})",
                federated.location,
                policy=policy,
                statement=statement,
                element=federated,
            )
        elif all(too_wide):
            value, reason = too_wide[0]
            yield self.finding(
                f"{sub} {reason}, so any of them can assume this role",
                value.location,
                policy=policy,
                statement=statement,
                element=value,
            )
        if not restricts_principal(statement.conditions, aud_key):
            yield self.finding(
                f"{provider.name} web-identity trust has no {aud} condition: tokens issued "
                "for any audience are accepted",
                federated.location,
                policy=policy,
                statement=statement,
                element=federated,
                severity="medium",
            )


def _provider(federated: Element, conditions: tuple[Condition, ...]) -> tuple[Provider, str] | None:
    """The provider a Federated principal names, and its path as condition keys spell it.

    An unresolved principal (a reference to the provider resource) is recognised by
    the condition keys that name the provider's claims."""
    text = federated.text
    candidates = [text.split("oidc-provider/", 1)[1] if "oidc-provider/" in text else text]
    if federated.literal is None:
        candidates += [c.key.text.rsplit(":", 1)[0] for c in conditions if ":" in c.key.text]
    for path in candidates:
        for provider in PROVIDERS:
            if provider.host.fullmatch(path.lower()):
                return provider, path
    return None


def _claim_keys(statement: Statement, provider: Provider, key: str) -> frozenset[str]:
    """The condition keys naming this claim of the provider: `key` itself and any other
    spelling of the provider's path (GitHub Enterprise's `.../ENTERPRISE:sub`)."""
    claim = key.rsplit(":", 1)[1]
    keys = {key.lower()}
    for condition in statement.conditions:
        path, _, name = condition.key.text.lower().rpartition(":")
        if name == claim and provider.host.fullmatch(path):
            keys.add(f"{path}:{claim}")
    return frozenset(keys)


def _wide_value(
    condition: Condition, provider: Provider, owners: frozenset[str]
) -> tuple[Element, str] | None:
    """The first value of a restricting `sub` condition that matches too much, with why."""
    return _wide_pattern(condition, provider, owners) or _anonymous_subject(condition, provider)


def _anonymous_subject(condition: Condition, provider: Provider) -> tuple[Element, str] | None:
    if provider.identity_claims is None:
        return None
    like = "like" in condition.operator.text.lower()
    for value in condition.values:
        text = value.literal
        if not text:
            continue
        # Under a Like operator, an identity claim whose value is a wildcard names nobody.
        named = [
            claim
            for claim in provider.identity_claims.finditer(text)
            if not (like and _WILDCARD.match(text, claim.end()))
        ]
        if not named:
            return value, (
                f'"{text}" names no repository or owner: every repository that '
                "customises its subject claim the same way matches it"
            )
    return None


def _wide_pattern(
    condition: Condition, provider: Provider, owners: frozenset[str]
) -> tuple[Element, str] | None:
    if "like" not in condition.operator.text.lower():
        return None  # StringEquals compares wildcards literally
    operator = condition.operator.text
    for value in condition.values:
        text = value.literal
        if text is None or not _WILDCARD.search(text):
            continue
        literal = _WILDCARD.split(text, 1)[0]
        if not literal:
            return value, f'{operator} "{text}" matches {provider.subjects}'
        if not provider.prefix or not literal.lower().startswith(provider.prefix):
            continue  # pinned by the provider itself, or a customised subject we cannot read
        if provider.one is not None and provider.one.match(literal):
            continue
        pinned = provider.owner.match(literal) if provider.owner is not None else None
        if pinned is None:
            return value, f'{operator} "{text}" matches {provider.subjects}'
        if pinned.group(1).lower() not in owners:
            return value, (
                f'{operator} "{text}" matches everything of {pinned.group(1)}, '
                "an owner not listed in config oidc_owners"
            )
    return None
