from iamlint.model import Inventory
from iamlint.rule import Rule
from iamlint.settings import RuleSettings


class ParseErrorRule(Rule):
    """
    ## What it does
    Reports a file that looks like infrastructure code or an IAM policy (a
    `.json` file with a `Statement`, a template with `Resources`, a Terraform
    file) but cannot be parsed, with the line where parsing failed.

    ## Why is this bad?
    A file that cannot be read cannot be checked: every grant it holds would
    pass unseen. AWS would reject most such files at deploy time too, but a
    linter that skipped them silently could hide a broken-on-purpose policy.
    Parse errors are listed under `errors` and make the exit code 1.

    ## Example
    ```json
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",, "Action": "s3:GetObject"}]}
    ```

    ## Use instead
    ```json
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject",
     "Resource": "arn:aws:s3:::bucket/*"}]}
    ```

    ## References
    - [IAM JSON policy grammar](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html)
    """

    id = "IAM000"
    slug = "parse-error"
    severity = "high"
    title = "A file that looks like IaC or a policy cannot be parsed"

    def check(self, inventory: Inventory, settings: RuleSettings) -> list:
        """Parse errors come from the sources (`Inventory.errors`), not from the model."""
        return []
