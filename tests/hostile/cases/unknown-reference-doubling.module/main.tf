locals {
  a = ["s3:GetObject","s3:GetObject","s3:GetObject","s3:GetObject","s3:GetObject","s3:GetObject","s3:GetObject","s3:GetObject","s3:GetObject","s3:GetObject"]
  l1 = concat(local.a, local.a, local.a, local.a, local.a, local.a, mocal.a, local.a, local.a, local.a)
  l2 = concat(local.l1, local.l1, local.l1, local.l1, local.l1, local.l1, local.l1, local.l1, local.l1, local.l1)
  l3 = concat(local.l2, local.l2, local.l2, local.l2, local.l2, local.l2, local.l2, local.l2, local.l2, local.l2)
  l4 = concat(local.l3, local.l3, local.l3, local.l3, local.l3, local.l3, local.l3, local.l3, local.l3, local.l3)
  l5 = concat(local.l4, local.l4, local.l4, local.l4, local.l4, local.l4, local.l4, local.l4, local.l4, local.l4)
  l6 = concat(local.l5, local.l5, local.l5, local.l5, local.l5, local.l5, local.l5, local.l5, local.l5, local.l5)
  l7 = concat(local.l6, local.l6, local.l6, local.l6, local.l6, local.l6, local.l6, local.l6, local.l6, local.l6)
  l8 = concat(local.l7, local.l7, local.l7, local.l7, local.l7, local.l7, local.l7, local.l7, local.l7, local.l7)
  l9 = concat(local.l8, local.l8, local.l8, local.l8, local.l8, local.l8, local.l8, local.l8, local.l8, local.l8)
  l10 = concat(local.l9, local.l9, local.l9, local.l9, local.l9, local.l9, local.l9, local.l9, local.l9, local.l9)
  l11 = concat(local.l10, local.l10, local.l10, local.l10, local.l10, local.l10, local.l10, local.l10, local.l10, local.l10)
  l12 = concat(local.l11, local.l11, local.l11, local.l11, local.l11, local.l11, local.l11, local.l11, local.l11, local.l11)
}
resource "aws_iam_policy" "p" {
  policy = jsonencode({Statement = [{Effect = "Allow", Action = local.l12, Resource = "*"}]})
}
