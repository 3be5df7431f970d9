"""Write a deterministic synthetic monorepo for the benchmarks.

    python bench/make_repo.py --files 1000 --seed 1 /tmp/repo-1000

The same `--files` and `--seed` always give byte-identical files. The mix of
formats, the file sizes and the resource counts follow the shared test corpus
(`../shared/corpus`, 648 files), measured once and written below:

- Terraform `.tf` (294 files): 385 / 479 / 1,645 / 9,139 bytes at the 10th /
  50th / 90th / 99th percentile; 1 / 2 / 5 / 17 `resource`/`data` blocks.
- CloudFormation YAML (123 files): 326 / 663 / 1,578 / 3,215 bytes; resources
  per template: 1 (57%), 2 (27%), 3 (6%), 4 (5%), 5 (2%), 6-8 (2%), 20 (1%).
- CloudFormation JSON (91 files): 409 / 762 / 2,565 / 4,385 bytes; 1 / 1 / 2 / 8
  resources.

A real monorepo also holds YAML and JSON that is not infrastructure
(workflows, compose files, package manifests, Kubernetes manifests), and most
Terraform modules declare no IAM at all: both are part of the mix. About one
IAM-bearing unit in ten has a vulnerability (an admin statement, an unscoped
`iam:PassRole`, a trust policy open to everyone, an access key, a hard-coded
key id), the rest is least-privilege code.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

# Share of the files, by kind (sums to 1).
MIX = {
    "terraform": 0.40,
    "cfn_yaml": 0.20,
    "cfn_json": 0.08,
    "sam": 0.07,
    "policy": 0.10,
    "other": 0.15,
}
# Resources per CloudFormation template, as in the corpus: (count, weight).
CFN_RESOURCES = [(1, 57), (2, 27), (3, 6), (4, 5), (5, 2), (7, 2), (20, 1)]
# Resource and data blocks per Terraform file: p10 1, p50 2, p90 5, p99 17.
TF_BLOCKS = [(1, 30), (2, 30), (3, 15), (4, 10), (5, 10), (8, 4), (17, 1)]
VULNERABLE_SHARE = 0.10
# Files per Terraform module directory.
MODULE_FILES = [(1, 25), (2, 25), (3, 25), (4, 15), (5, 10)]
SHARED_MODULES = 8  # local modules under modules/, called by the service roots

SERVICES = ["s3", "dynamodb", "sqs", "sns", "logs", "kms", "lambda", "ecr", "ssm", "secretsmanager"]
READ_ACTIONS = {
    "s3": ["s3:GetObject", "s3:ListBucket"],
    "dynamodb": ["dynamodb:GetItem", "dynamodb:Query"],
    "sqs": ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"],
    "sns": ["sns:Publish"],
    "logs": ["logs:CreateLogStream", "logs:PutLogEvents"],
    "kms": ["kms:Decrypt"],
    "lambda": ["lambda:InvokeFunction"],
    "ecr": ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
    "ssm": ["ssm:GetParameter"],
    "secretsmanager": ["secretsmanager:GetSecretValue"],
}
ACCOUNT = "123456789012"


def weighted(rng: random.Random, table: list[tuple[int, int]]) -> int:
    values, weights = zip(*table, strict=True)
    return rng.choices(values, weights)[0]


def _mean(table: list[tuple[int, int]]) -> float:
    return sum(value * weight for value, weight in table) / sum(weight for _, weight in table)


def arn(service: str, name: str) -> str:
    if service == "s3":
        return f"arn:aws:s3:::{name}/*"
    if service == "dynamodb":
        return f"arn:aws:dynamodb:eu-west-1:{ACCOUNT}:table/{name}"
    if service == "logs":
        return f"arn:aws:logs:eu-west-1:{ACCOUNT}:log-group:/app/{name}:*"
    return f"arn:aws:{service}:eu-west-1:{ACCOUNT}:{name}"


def statement(rng: random.Random, name: str) -> dict[str, object]:
    service = rng.choice(SERVICES)
    actions = READ_ACTIONS[service][: rng.randint(1, len(READ_ACTIONS[service]))]
    return {"Effect": "Allow", "Action": actions, "Resource": arn(service, name)}


def vulnerable_statement(rng: random.Random) -> dict[str, object]:
    return rng.choice(
        [
            {"Effect": "Allow", "Action": "*", "Resource": "*"},
            {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"},
            {"Effect": "Allow", "Action": ["s3:*"], "Resource": "*"},
            {"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"},
        ]
    )


def document(rng: random.Random, name: str, vulnerable: bool) -> dict[str, object]:
    statements = [statement(rng, f"{name}-{i}") for i in range(rng.randint(1, 4))]
    if vulnerable:
        statements.append(vulnerable_statement(rng))
    return {"Version": "2012-10-17", "Statement": statements}


def trust(service: str = "lambda.amazonaws.com", anyone: bool = False) -> dict[str, object]:
    principal: object = {"AWS": "*"} if anyone else {"Service": service}
    return {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": principal, "Action": "sts:AssumeRole"}],
    }


# --- CloudFormation -------------------------------------------------------------------------


def cfn_resources(rng: random.Random, count: int, vulnerable: bool) -> dict[str, object]:
    resources: dict[str, object] = {}
    for index in range(count):
        kind = rng.choices(
            ["bucket", "queue", "table", "role", "policy", "function"], [4, 2, 2, 3, 1, 2]
        )[0]
        name = f"{kind.capitalize()}{index}"
        bad = vulnerable and index == 0
        if kind == "bucket":
            resources[name] = {
                "Type": "AWS::S3::Bucket",
                "Properties": {
                    "BucketName": f"data-{index}",
                    "VersioningConfiguration": {"Status": "Enabled"},
                },
            }
        elif kind == "queue":
            resources[name] = {"Type": "AWS::SQS::Queue", "Properties": {"VisibilityTimeout": 60}}
        elif kind == "table":
            resources[name] = {
                "Type": "AWS::DynamoDB::Table",
                "Properties": {
                    "BillingMode": "PAY_PER_REQUEST",
                    "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
                    "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
                },
            }
        elif kind == "role":
            resources[name] = {
                "Type": "AWS::IAM::Role",
                "Properties": {
                    "AssumeRolePolicyDocument": trust(anyone=bad and rng.random() < 0.3),
                    "Policies": [
                        {"PolicyName": f"{name}-inline", "PolicyDocument": document(rng, name, bad)}
                    ],
                },
            }
        elif kind == "policy":
            resources[name] = {
                "Type": "AWS::IAM::ManagedPolicy",
                "Properties": {"PolicyDocument": document(rng, name, bad)},
            }
        else:
            variables = {"LOG_LEVEL": "info", "TABLE": f"table-{index}"}
            if bad:
                variables["AWS_ACCESS_KEY_ID"] = "AKIAIOSFODNN7EXAMPLE"
            resources[name] = {
                "Type": "AWS::Lambda::Function",
                "Properties": {
                    "Runtime": "python3.12",
                    "Handler": "app.handler",
                    "Code": {"S3Bucket": "artifacts", "S3Key": f"fn-{index}.zip"},
                    "Role": f"arn:aws:iam::{ACCOUNT}:role/fn-{index}",
                    "Environment": {"Variables": variables},
                },
            }
    return resources


def cfn_template(rng: random.Random, vulnerable: bool) -> dict[str, object]:
    return {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": "Service stack",
        "Resources": cfn_resources(rng, weighted(rng, CFN_RESOURCES), vulnerable),
    }


def sam_template(rng: random.Random, vulnerable: bool) -> dict[str, object]:
    resources: dict[str, object] = {}
    for index in range(weighted(rng, CFN_RESOURCES)):
        policies: list[object] = [{"DynamoDBReadPolicy": {"TableName": f"table-{index}"}}]
        if vulnerable and index == 0:
            policies.append({"Version": "2012-10-17", "Statement": [vulnerable_statement(rng)]})
        else:
            policies.append({"Version": "2012-10-17", "Statement": [statement(rng, f"fn{index}")]})
        resources[f"Function{index}"] = {
            "Type": "AWS::Serverless::Function",
            "Properties": {
                "Handler": "app.handler",
                "Runtime": "python3.12",
                "CodeUri": f"src/fn{index}/",
                "Policies": policies,
                "Environment": {"Variables": {"STAGE": "prod"}},
            },
        }
    return {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Transform": "AWS::Serverless-2016-10-31",
        "Resources": resources,
    }


def to_yaml(value: object, indent: int = 0) -> str:
    """Block-style YAML for the plain dicts, lists and scalars above (no library needed)."""
    pad = " " * indent
    if isinstance(value, dict):
        lines = []
        for key, item in value.items():
            if isinstance(item, dict | list) and item:
                lines.append(f"{pad}{key}:\n{to_yaml(item, indent + 2)}")
            else:
                lines.append(f"{pad}{key}: {_scalar(item)}")
        return "\n".join(lines)
    lines = []
    for item in value:  # type: ignore[attr-defined]
        if isinstance(item, dict | list) and item:
            inner = to_yaml(item, indent + 2).lstrip()
            lines.append(f"{pad}- {inner}")
        else:
            lines.append(f"{pad}- {_scalar(item)}")
    return "\n".join(lines)


def _scalar(value: object) -> str:
    if isinstance(value, str):
        return json.dumps(value) if (not value or value[0] in "*!&{[" or ":" in value) else value
    return json.dumps(value)


# --- Terraform ------------------------------------------------------------------------------


def hcl_value(value: object, indent: int = 2) -> str:
    """An HCL object/tuple expression for jsonencode()."""
    pad = " " * indent
    if isinstance(value, dict):
        body = "\n".join(f"{pad}  {k} = {hcl_value(v, indent + 2)}" for k, v in value.items())
        return "{\n" + body + f"\n{pad}}}"
    if isinstance(value, list):
        return "[" + ", ".join(hcl_value(v, indent) for v in value) + "]"
    return json.dumps(value)


def tf_iam_block(rng: random.Random, index: int, vulnerable: bool) -> str:
    style = rng.choice(["jsonencode", "document", "heredoc", "local"])
    name = f"svc{index}"
    doc = document(rng, name, vulnerable)
    if style == "jsonencode":
        return (
            f'resource "aws_iam_role" "{name}" {{\n'
            f'  name               = "${{var.prefix}}-{name}"\n'
            f"  assume_role_policy = jsonencode({hcl_value(trust())})\n}}\n\n"
            f'resource "aws_iam_role_policy" "{name}" {{\n'
            f"  role   = aws_iam_role.{name}.id\n"
            f"  policy = jsonencode({hcl_value(doc)})\n}}\n"
        )
    if style == "heredoc":
        return (
            f'resource "aws_iam_policy" "{name}" {{\n'
            f'  name   = "{name}"\n'
            f"  policy = <<EOF\n{json.dumps(doc, indent=2)}\nEOF\n}}\n"
        )
    if style == "local":
        return (
            f"locals {{\n  {name}_actions = {json.dumps(doc['Statement'][0]['Action'])}\n}}\n\n"
            f'resource "aws_iam_policy" "{name}" {{\n'
            f'  name   = "{name}"\n'
            f"  policy = jsonencode({{\n"
            f'    Version   = "2012-10-17"\n'
            f"    Statement = [{{\n"
            f'      Effect   = "Allow"\n'
            f"      Action   = local.{name}_actions\n"
            f"      Resource = var.resource_arns\n"
            f"    }}{', ' + hcl_value(vulnerable_statement(rng), 4) if vulnerable else ''}]\n"
            f"  }})\n}}\n"
        )
    statements = "".join(
        f"  statement {{\n"
        f'    effect    = "{s["Effect"]}"\n'
        f"    {'not_actions' if 'NotAction' in s else 'actions'}   = "
        f"{json.dumps(_as_list(s.get('Action', s.get('NotAction'))))}\n"
        f"    resources = {json.dumps(_as_list(s['Resource']))}\n  }}\n"
        for s in doc["Statement"]  # type: ignore[union-attr]
    )
    return (
        f'data "aws_iam_policy_document" "{name}" {{\n{statements}}}\n\n'
        f'resource "aws_iam_policy" "{name}" {{\n'
        f'  name   = "{name}"\n'
        f"  policy = data.aws_iam_policy_document.{name}.json\n}}\n"
    )


def _as_list(value: object) -> list[object]:
    return value if isinstance(value, list) else [value]


def tf_plain_block(rng: random.Random, index: int) -> str:
    kind = rng.choice(["bucket", "queue", "table", "instance", "sg"])
    if kind == "bucket":
        return (
            f'resource "aws_s3_bucket" "b{index}" {{\n  bucket = "${{var.prefix}}-data-{index}"\n'
            f'  tags = {{\n    Team = "platform"\n    Index = "{index}"\n  }}\n}}\n'
        )
    if kind == "queue":
        return (
            f'resource "aws_sqs_queue" "q{index}" {{\n  name = "q-{index}"\n'
            f"  visibility_timeout_seconds = 60\n}}\n"
        )
    if kind == "table":
        return (
            f'resource "aws_dynamodb_table" "t{index}" {{\n  name = "t-{index}"\n'
            f'  billing_mode = "PAY_PER_REQUEST"\n  hash_key = "id"\n'
            f'  attribute {{\n    name = "id"\n    type = "S"\n  }}\n}}\n'
        )
    if kind == "instance":
        return (
            f'resource "aws_instance" "i{index}" {{\n  ami = var.ami\n'
            f'  instance_type = "t3.micro"\n  tags = {{ Name = "i-{index}" }}\n}}\n'
        )
    return (
        f'resource "aws_security_group" "sg{index}" {{\n  name = "sg-{index}"\n'
        f"  ingress {{\n    from_port = 443\n    to_port = 443\n"
        f'    protocol = "tcp"\n    cidr_blocks = ["10.0.0.0/8"]\n  }}\n}}\n'
    )


def tf_vulnerable_extra(rng: random.Random, index: int) -> str:
    if rng.random() < 0.5:
        return (
            f'resource "aws_iam_user" "u{index}" {{\n  name = "ci-{index}"\n}}\n\n'
            f'resource "aws_iam_access_key" "k{index}" {{\n'
            f"  user = aws_iam_user.u{index}.name\n}}\n"
        )
    return (
        f'resource "aws_lambda_function" "f{index}" {{\n  function_name = "f-{index}"\n'
        f'  role = "arn:aws:iam::{ACCOUNT}:role/f"\n  handler = "app.handler"\n'
        f'  runtime = "python3.12"\n  filename = "f.zip"\n'
        f'  environment {{\n    variables = {{\n      AWS_ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE"\n'
        f"    }}\n  }}\n}}\n"
    )


VARIABLES_TF = (
    'variable "prefix" {\n  type    = string\n  default = "acme"\n}\n\n'
    'variable "resource_arns" {\n  type    = list(string)\n'
    '  default = ["arn:aws:s3:::acme-data/*"]\n}\n\n'
    'variable "ami" {\n  type = string\n  default = "ami-0123456789abcdef0"\n}\n'
)


def tf_module(
    rng: random.Random, files: int, iam: bool, vulnerable: bool, calls: list[str]
) -> dict[str, str]:
    """The files of one module directory; `calls` are relative paths of local modules it calls."""
    out = {"variables.tf": VARIABLES_TF}
    names = ["main.tf", "iam.tf", "storage.tf", "compute.tf", "network.tf"]
    for position in range(1, files):
        blocks = weighted(rng, TF_BLOCKS)
        parts = []
        for index in range(blocks):
            number = position * 100 + index
            if iam and position == 1 and index == 0:
                parts.append(tf_iam_block(rng, number, vulnerable))
                if vulnerable and rng.random() < 0.4:
                    parts.append(tf_vulnerable_extra(rng, number))
            elif iam and rng.random() < 0.25:
                parts.append(tf_iam_block(rng, number, False))
            else:
                parts.append(tf_plain_block(rng, number))
        if position == 1:
            parts.extend(
                f'module "shared_{i}" {{\n  source = "{path}"\n  prefix = var.prefix\n}}\n'
                for i, path in enumerate(calls)
            )
        out[names[position - 1]] = "\n".join(parts)
    if files == 1:  # a lone main.tf holds its variables
        block = tf_iam_block(rng, 0, vulnerable) if iam else tf_plain_block(rng, 0)
        out = {"main.tf": VARIABLES_TF + "\n" + block}
    return out


# --- other files ----------------------------------------------------------------------------


def other_file(rng: random.Random, index: int) -> tuple[str, str]:
    kind = rng.choice(["workflow", "compose", "package", "k8s", "tsconfig"])
    if kind == "workflow":
        body = {
            "name": f"ci-{index}",
            "on": {"push": {"branches": ["main"]}},
            "jobs": {
                "test": {
                    "runs-on": "ubuntu-latest",
                    "steps": [{"uses": "actions/checkout@v4"}, {"run": "make test"}],
                }
            },
        }
        return f"workflow-{index}.yml", to_yaml(body) + "\n"
    if kind == "compose":
        body = {
            "services": {
                "app": {
                    "image": f"app:{index}",
                    "ports": ["8080:8080"],
                    "environment": {"STAGE": "dev"},
                }
            }
        }
        return "docker-compose.yml", to_yaml(body) + "\n"
    if kind == "k8s":
        body = {
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": {"name": f"app-{index}"},
            "spec": {
                "replicas": rng.randint(1, 5),
                "template": {"spec": {"containers": [{"name": "app", "image": f"app:{index}"}]}},
            },
        }
        return f"deployment-{index}.yaml", to_yaml(body) + "\n"
    if kind == "tsconfig":
        return "tsconfig.json", json.dumps(
            {"compilerOptions": {"strict": True, "target": "es2022"}}, indent=2
        ) + "\n"
    body = {
        "name": f"svc-{index}",
        "version": "1.0.0",
        "dependencies": {"aws-sdk": "^2.0.0", "express": "^4.0.0"},
    }
    return "package.json", json.dumps(body, indent=2) + "\n"


# --- the repository -------------------------------------------------------------------------


def make_repo(files: int, seed: int, out: Path) -> int:
    """Write about `files` files below `out`; returns how many were written."""
    rng = random.Random(seed)
    written: dict[str, str] = {}
    shared = [f"modules/shared{i}" for i in range(min(SHARED_MODULES, max(1, files // 100)))]
    for path in shared:
        for name, text in tf_module(rng, 3, True, False, []).items():
            written[f"{path}/{name}"] = text
    kinds = list(MIX)
    # A pick of "terraform" writes a whole module: pick it less often so MIX holds per file.
    per_pick = {kind: _mean(MODULE_FILES) if kind == "terraform" else 1 for kind in kinds}
    weights = [MIX[kind] / per_pick[kind] for kind in kinds]
    service = 0
    while len(written) < files:
        service += 1
        kind = rng.choices(kinds, weights)[0]
        vulnerable = rng.random() < VULNERABLE_SHARE
        base = f"services/svc{service:05d}"
        if kind == "terraform":
            count = min(weighted(rng, MODULE_FILES), max(1, files - len(written)))
            iam = rng.random() < 0.45
            calls = [f"../../{rng.choice(shared)}"] if rng.random() < 0.2 else []
            for name, text in tf_module(rng, count, iam, vulnerable, calls).items():
                written[f"{base}/infra/{name}"] = text
        elif kind == "cfn_yaml":
            written[f"{base}/template.yaml"] = to_yaml(cfn_template(rng, vulnerable)) + "\n"
        elif kind == "cfn_json":
            written[f"{base}/template.json"] = (
                json.dumps(cfn_template(rng, vulnerable), indent=2) + "\n"
            )
        elif kind == "sam":
            written[f"{base}/sam.yaml"] = to_yaml(sam_template(rng, vulnerable)) + "\n"
        elif kind == "policy":
            written[f"{base}/policy.json"] = (
                json.dumps(document(rng, f"svc{service}", vulnerable), indent=2) + "\n"
            )
        else:
            name, text = other_file(rng, service)
            written[f"{base}/{name}"] = text
    for relative, text in written.items():
        path = out / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return len(written)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, required=True, help="number of files to write (about)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("out", type=Path, help="directory to write into (must be empty or absent)")
    args = parser.parse_args(argv)
    if args.out.exists() and any(args.out.iterdir()):
        parser.error(f"{args.out} is not empty")
    count = make_repo(args.files, args.seed, args.out)
    print(f"{count} files written to {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
