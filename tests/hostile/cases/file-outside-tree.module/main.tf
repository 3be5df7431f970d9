resource "aws_iam_policy" "absolute" {
  name   = "absolute"
  policy = file("/etc/passwd")
}

resource "aws_iam_policy" "parent" {
  name   = "parent"
  policy = file("${path.module}/../../../../../../etc/passwd")
}

resource "aws_iam_policy" "template" {
  name   = "template"
  policy = templatefile("../outside.json.tpl", {})
}
