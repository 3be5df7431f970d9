resource "aws_iam_policy" "admin" {
  name = "admin"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "*"
      Resource = provider::aws::arn_build("aws", "s3", "", "", "b")
    }, {
      Effect   = "Allow"
      Action   = notafunction("iam:*")
      Resource = "*"
    }]
  })
}
