from collections.abc import Iterator

from iamlint.model import Finding, Inventory
from iamlint.queries import (
    describe_principals,
    managed_attachments,
    on_principals,
    reached_principals,
)
from iamlint.rule import Rule
from iamlint.settings import RuleSettings
from iamlint.sources.managed_arn import managed_policy_name

ADMINISTRATOR_ACCESS = "AdministratorAccess"


class AdminManagedPolicy(Rule):
    """
    ## What it does
    Flags an attachment of the AWS-managed `AdministratorAccess` policy to an
    IAM user, group or role, or to an IAM Identity Center permission set,
    however the ARN is spelled: `arn:aws:iam::aws:policy/AdministratorAccess`,
    any partition (`aws-us-gov`, `aws-cn`, `${AWS::Partition}`,
    `${data.aws_partition.current.partition}`), or SAM's bare policy name. The
    finding sits on the token that attaches the policy and lists every
    principal it reaches, including the members of a group.

    ## Why is this bad?
    `AdministratorAccess` Allows `*` on `*`. Once attached, every request of
    the principal is allowed unless an explicit Deny, an SCP or a permissions
    boundary says otherwise, including IAM requests that grant it anything
    else. A leaked credential of that principal is a compromise of the whole
    account.

    ## Example
    ```yaml
    Function:
      Type: AWS::Serverless::Function
      Properties:
        Policies: AdministratorAccess
    ```

    ## Use instead
    Attach a policy naming the actions and resources the workload needs:
    ```yaml
    Function:
      Type: AWS::Serverless::Function
      Properties:
        Policies:
          - S3ReadPolicy:
              BucketName: !Ref Bucket
    ```

    ## References
    - [AWS managed policies for job functions: AdministratorAccess](https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_job-functions.html#jf_administrator)
    - [Grant least privilege](https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege)
    - [Policy evaluation logic](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html)
    """

    id = "IAM001"
    slug = "admin-managed-policy"
    severity = "critical"
    title = "The AWS-managed AdministratorAccess policy is attached"

    def check(self, inventory: Inventory, settings: RuleSettings) -> Iterator[Finding]:
        for element, principals in managed_attachments(inventory):
            if managed_policy_name(element) != ADMINISTRATOR_ACCESS:
                continue
            reached = reached_principals(inventory, principals)
            members = reached[len(principals) :]
            through = f" and through membership to users {', '.join(members)}" if members else ""
            finding = self.finding(
                f"AWS-managed AdministratorAccess is attached to "
                f"{describe_principals(principals)}{through}: full administrator access "
                f"(every action on every resource)",
                element.location,
                element=element,
            )
            yield on_principals(finding, principals, reached)
