from collections.abc import Iterator

from iamlint.iam.conditions import describe_conditions, restricts_principal
from iamlint.model import Finding, Inventory, PolicyKind
from iamlint.queries import allows_of_kind, is_any_principal, written_principal
from iamlint.rule import Rule
from iamlint.settings import RuleSettings


class TrustAnyPrincipal(Rule):
    """
    ## What it does
    Flags a role trust policy statement that Allows `"*"`, `{"AWS": "*"}` or an
    account-wildcard ARN such as `arn:aws:iam::*:root` to assume the role, with
    no condition that restricts who or from where (`aws:PrincipalOrgID`,
    `aws:PrincipalArn`, `sts:ExternalId`, `aws:SourceIp`...).

    ## Why is this bad?
    `sts:AssumeRole` succeeds when the role's trust policy Allows the caller
    and the caller's own account lets it call STS. With Principal `"*"` the
    first half is granted to every AWS principal in every account, so anyone
    with an AWS account can obtain the role's credentials and act with its
    permissions inside your account.

    ## Example
    ```json
    {"Version": "2012-10-17",
     "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"},
                    "Action": "sts:AssumeRole"}]}
    ```

    ## Use instead
    Name the accounts or roles that may assume it, or restrict `*` to your
    organisation:
    ```json
    {"Version": "2012-10-17",
     "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"},
                    "Action": "sts:AssumeRole",
                    "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}}]}
    ```

    ## References
    - [Role trust policies](https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_terms-and-concepts.html#iam-term-trust-policy)
    - [AWS JSON policy elements: Principal](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html)
    """

    id = "IAM010"
    slug = "trust-any-principal"
    severity = "critical"
    title = "A role trust policy lets any principal assume the role"

    def check(self, inventory: Inventory, settings: RuleSettings) -> Iterator[Finding]:
        for policy, statement in allows_of_kind(inventory, PolicyKind.TRUST):
            if restricts_principal(statement.conditions):
                continue
            principal = next((p for p in statement.principals or () if is_any_principal(p)), None)
            if principal is None:
                continue
            yield self.finding(
                f"Principal {written_principal(principal)} lets every AWS principal in any account "
                f"assume this role ({describe_conditions(statement.conditions)})",
                principal.value.location,
                policy=policy,
                statement=statement,
                element=principal.value,
            )
