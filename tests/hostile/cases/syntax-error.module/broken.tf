resource "aws_iam_policy" "broken" {
  name = "broken"
  policy = jsonencode({ Statement = [ }
