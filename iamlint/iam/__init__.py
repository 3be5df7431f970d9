"""AWS IAM semantics with no knowledge of files: the action catalogue, action and ARN
matching, condition classification and statement evaluation."""
