"""iamlint: a static least-privilege linter for IAM in infrastructure code."""

__version__ = "0.1.0"
