module "sinkhole" {
  source = "../../modules/sinkhole"

  sinkhole    = var.sinkhole
  environment = var.environment
  quiesced    = var.quiesced

  cluster_arn            = var.cluster_arn
  subnet_ids             = var.subnet_ids
  vpc_id                 = var.vpc_id
  vpc_cidr_block         = var.vpc_cidr_block
  cloud_map_namespace_id = var.cloud_map_namespace_id

  image              = var.image
  log_retention_days = var.log_retention_days
  http_port          = var.http_port
  # With http_port: an SSM SecureString holding the listener's bearer token (Prometheus uses the same one).
  http_token_parameter_arn = var.http_token_parameter_arn
  alarm_actions      = var.alarm_actions
}

# The smtp-out wiring. In the real stack this is the smtp_out task definition's container environment:
#   environment = concat(local.smtp_out_environment_base, module.sinkhole.smtp_out_environment)
# so SINKHOLE_ENABLED=true is present exactly when the tier is on, and generate-config.sh
# (deploy/sendmail/generate-config-sinkhole.sh) appends the mailertable line only then.
locals {
  smtp_out_environment_base = [
    { name = "ENVIRONMENT", value = var.environment },
  ]
  smtp_out_environment = concat(local.smtp_out_environment_base, module.sinkhole.smtp_out_environment)
}
