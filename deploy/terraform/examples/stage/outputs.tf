output "ecr_repository_url" {
  value = module.sinkhole.ecr_repository_url
}

output "sinkhole_hostname" {
  value = module.sinkhole.hostname
}

output "sinkhole_mode_parameter" {
  value = module.sinkhole.ssm_parameter_name
}

output "smtp_out_environment" {
  value = local.smtp_out_environment
}
