resource "aws_cloudwatch_log_group" "sinkhole" {
  for_each = local.tier

  name              = local.log_group
  retention_in_days = var.log_retention_days
  tags              = local.tags
}
