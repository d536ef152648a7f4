# The task ENI's group. Ingress: port 25 (and the HTTP port when enabled) from the VPC CIDR only. Egress: HTTPS
# only, for SSM (the mode parameter) and CloudWatch Logs; the listener opens no connections of its own.
# Terraform removes the allow-all egress rule AWS adds to a new group, so these rules are all there is.
resource "aws_security_group" "sinkhole" {
  for_each = local.tier

  name        = local.name
  description = "Sinkhole: SMTP from the VPC, HTTPS out to SSM and CloudWatch Logs"
  vpc_id      = var.vpc_id
  tags        = local.tags
}

resource "aws_vpc_security_group_ingress_rule" "from_vpc" {
  for_each = var.sinkhole ? local.ingress_ports : {}

  security_group_id = aws_security_group.sinkhole["sinkhole"].id
  description       = "${each.key} from the VPC"
  ip_protocol       = "tcp"
  from_port         = each.value
  to_port           = each.value
  cidr_ipv4         = var.vpc_cidr_block
  tags              = local.tags
}

resource "aws_vpc_security_group_egress_rule" "https_to_aws_apis" {
  for_each = var.sinkhole ? toset(local.api_egress_cidr_blocks) : toset([])

  security_group_id = aws_security_group.sinkhole["sinkhole"].id
  description       = "HTTPS to SSM and CloudWatch Logs"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = each.value
  tags              = local.tags
}
