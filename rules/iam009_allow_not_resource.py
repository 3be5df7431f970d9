from iamlint.rules.iam008_allow_not_action import AllowNotAction


class AllowNotResource(AllowNotAction):
    """
    ## What it does
    Flags an Allow statement that uses `NotResource`.

    ## Why is this bad?
    `"Effect": "Allow", "NotResource": [...]` allows the actions on every
    resource except the listed ones, including every resource created later
    and resources in other accounts that trust yours. It inverts least
    privilege: the grant grows as the account grows.

    ## Example
    ```json
    {"Version": "2012-10-17",
     "Statement": [{"Effect": "Allow", "Action": "s3:GetObject",
                    "NotResource": "arn:aws:s3:::secrets/*"}]}
    ```

    ## Use instead
    ```json
    {"Version": "2012-10-17",
     "Statement": [{"Effect": "Allow", "Action": "s3:GetObject",
                    "Resource": "arn:aws:s3:::app-data/*"}]}
    ```

    ## References
    - [IAM JSON policy elements: NotResource](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notresource.html)
    """

    id = "IAM009"
    slug = "allow-not-resource"
    severity = "medium"
    title = "An Allow statement uses NotResource"
    supersedes = ()
    key = "NotResource"

    def describe(self, excluded: str) -> str:
        return (
            f"Allow with NotResource applies to every resource except {excluded}, "
            "including resources created later"
        )
