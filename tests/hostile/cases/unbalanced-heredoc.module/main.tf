resource "aws_iam_policy" "open" {
  name   = "open"
  policy = <<EOT
{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}

resource "aws_iam_policy" "admin" {
  name = "admin"
  policy = "{}"
}
