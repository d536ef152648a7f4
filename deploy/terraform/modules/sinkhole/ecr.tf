# The repository is not gated on var.sinkhole: it exists in every environment (prod included, where it stays
# empty), and turning the flag off keeps it and the images in it (the plan's rollback table).
resource "aws_ecr_repository" "sinkhole" {
  name                 = var.ecr_repository_name
  image_tag_mutability = "MUTABLE"

  image_scanning_configuration {
    scan_on_push = true
  }

  tags = local.tags

  lifecycle {
    prevent_destroy = true
  }
}
