import dataclasses
from collections.abc import Iterator

from iamlint.model import Finding, Inventory
from iamlint.rule import Rule
from iamlint.settings import RuleSettings


class UserAccessKey(Rule):
    """
    ## What it does
    Flags every IAM user access key declared in the code
    (`AWS::IAM::AccessKey`, `aws_iam_access_key`).

    ## Why is this bad?
    An access key is a long-lived credential: it works from anywhere until
    someone deactivates it, and every request signed with it is evaluated
    with the user's full policy set. Declaring it in infrastructure code also
    puts its secret in the stack outputs or the Terraform state. A role gives
    the same workload temporary credentials that expire on their own.

    ## Example
    ```yaml
    DeployKey:
      Type: AWS::IAM::AccessKey
      Properties:
        UserName: !Ref DeployUser
    ```

    ## Use instead
    Let the workload assume a role: an instance profile or execution role
    for AWS compute, or an OIDC trust for CI systems such as GitHub Actions.

    ## References
    - [Require workloads to use temporary credentials](https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#bp-workloads-use-roles)
    - [Manage access keys for IAM users](https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html)
    """

    id = "IAM005"
    slug = "user-access-key"
    severity = "medium"
    title = "An IAM user access key is declared"

    def check(self, inventory: Inventory, settings: RuleSettings) -> Iterator[Finding]:
        for key in inventory.access_keys:
            owner = f" for user {key.user}" if key.user else ""
            finding = self.finding(
                f"Access key {key.name} is declared{owner}: a long-lived credential "
                f"where a role's temporary credentials would do",
                key.location,
            )
            yield dataclasses.replace(
                finding,
                resource=key.name,
                resource_type=key.resource_type,
                affected=(key.user,) if key.user else (),
            )
