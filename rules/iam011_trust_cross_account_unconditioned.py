import re
from collections.abc import Iterator

from iamlint.iam.arn import parse_arn
from iamlint.iam.conditions import (
    MFA_KEYS,
    PRINCIPAL_RESTRICTING_KEYS,
    describe_conditions,
    restricts_principal,
)
from iamlint.model import Finding, Inventory, PolicyKind, PrincipalType, StatementPrincipal
from iamlint.queries import allows_of_kind
from iamlint.rule import Rule
from iamlint.settings import RuleSettings

ACCEPTED_KEYS = PRINCIPAL_RESTRICTING_KEYS | MFA_KEYS
_ACCOUNT = re.compile(r"\d{12}")


class TrustCrossAccountUnconditioned(Rule):
    """
    ## What it does
    Flags a role trust policy statement that Allows an AWS account or a
    principal of an account outside the accounts you declared as your own
    (config `accounts:`), with no `sts:ExternalId`, `aws:PrincipalOrgID`,
    `aws:PrincipalArn`, MFA or other condition that restricts who can call.
    With no accounts configured, every account id and `:root` principal
    counts as foreign; a role or user ARN counts only when `accounts:` says
    its account is not yours.

    ## Why is this bad?
    Trusting an account (`"AWS": "111122223333"` or `...:root`) lets that
    account's administrators hand the role to any of their users and roles:
    the trust is only as tight as the other account's IAM. Without an
    external id the role is also open to the confused-deputy problem when the
    other account is a vendor acting for many customers.

    ## Example
    ```json
    {"Version": "2012-10-17",
     "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:root"},
                    "Action": "sts:AssumeRole"}]}
    ```

    ## Use instead
    ```json
    {"Version": "2012-10-17",
     "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:root"},
                    "Action": "sts:AssumeRole",
                    "Condition": {"StringEquals": {"sts:ExternalId": "d5f1-vendor-7a2c"}}}]}
    ```

    ## References
    - [Access to AWS accounts owned by third parties](https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_common-scenarios_third-party.html)
    - [Cross-account access in IAM](https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies-cross-account-resource-access.html)
    """

    id = "IAM011"
    slug = "trust-cross-account-unconditioned"
    severity = "medium"
    title = "A role trust policy trusts another account without a restricting condition"

    def check(self, inventory: Inventory, settings: RuleSettings) -> Iterator[Finding]:
        for policy, statement in allows_of_kind(inventory, PolicyKind.TRUST):
            if restricts_principal(statement.conditions, ACCEPTED_KEYS):
                continue
            foreign = [
                (p, account)
                for p in statement.principals or ()
                if (account := _foreign_account(p, settings.accounts)) is not None
            ]
            if not foreign:
                continue
            accounts = ", ".join(dict.fromkeys(account for _, account in foreign))
            outside = (
                "outside your configured accounts"
                if settings.accounts
                else "not declared as yours (config accounts:)"
            )
            conditions = describe_conditions(statement.conditions, ACCEPTED_KEYS)
            first = foreign[0][0].value
            yield self.finding(
                f"trusts account {accounts}, {outside}, with no sts:ExternalId, "
                f"aws:PrincipalOrgID, aws:PrincipalArn or MFA condition ({conditions})",
                first.location,
                policy=policy,
                statement=statement,
                element=first,
            )


def _foreign_account(principal: StatementPrincipal, own: frozenset[str]) -> str | None:
    """The account of an AWS principal that counts as cross-account, else None."""
    text = principal.value.literal
    if principal.type is not PrincipalType.AWS or text is None:
        return None
    if _ACCOUNT.fullmatch(text):
        whole_account, account = True, text
    else:
        arn = parse_arn(text)
        if arn is None or not _ACCOUNT.fullmatch(arn.account):
            return None
        whole_account, account = arn.resource == "root", arn.account
    if account in own or not (own or whole_account):
        return None
    return account
