locals {
  # One instance key for every tier resource: present when the flag is on, absent when it is off.
  tier = var.sinkhole ? toset(["sinkhole"]) : toset([])

  name      = "cabal-sinkhole"
  hostname  = "sinkhole.${var.cloud_map_namespace_name}"
  log_group = "/ecs/${local.name}"

  # The program's own listener port (its --port default) and the HTTP listener when asked for.
  smtp_port    = 25
  http_enabled = var.http_port != null
  ingress_ports = merge(
    { smtp = local.smtp_port },
    local.http_enabled ? { http = var.http_port } : {},
  )

  api_egress_cidr_blocks = var.api_egress_cidr_blocks == null ? [var.vpc_cidr_block] : var.api_egress_cidr_blocks

  image = coalesce(var.image, "${aws_ecr_repository.sinkhole.repository_url}:latest")

  tags = merge({ Name = local.name, Tier = "sinkhole" }, var.tags)
}

data "aws_region" "current" {}
data "aws_caller_identity" "current" {}
