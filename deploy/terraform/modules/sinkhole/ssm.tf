# The mode the sinkhole reads on each new connection (cached 30 s). Terraform writes the default once; operators
# change it with `aws ssm put-parameter --overwrite`, and ignore_changes keeps their value across applies.
resource "aws_ssm_parameter" "mode" {
  for_each = local.tier

  name        = var.ssm_parameter_name
  description = "Sinkhole mode: defer, bounce, accept, accept-log, greylist or reply:<code> <x.y.z> <text>"
  type        = "String"
  value       = "defer"
  tags        = local.tags

  lifecycle {
    ignore_changes = [value]
  }
}
