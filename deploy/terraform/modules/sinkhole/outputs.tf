output "ecr_repository_url" {
  description = "Push the image here (exists whether or not the tier is on)."
  value       = aws_ecr_repository.sinkhole.repository_url
}

output "hostname" {
  description = "The Cloud Map name smtp-out's mailertable routes sinkhole.test to; null when the tier is off."
  value       = var.sinkhole ? local.hostname : null
}

output "ssm_parameter_name" {
  description = "The mode parameter (aws ssm put-parameter --name ... --overwrite); null when the tier is off."
  value       = try(aws_ssm_parameter.mode["sinkhole"].name, null)
}

output "security_group_id" {
  value = try(aws_security_group.sinkhole["sinkhole"].id, null)
}

output "service_name" {
  value = try(aws_ecs_service.sinkhole["sinkhole"].name, null)
}

# The smtp-out side: concat this into the smtp_out container's "environment" list. With the tier on it is
# SINKHOLE_ENABLED=true, which makes generate-config.sh append the mailertable line; with it off it is empty,
# so the variable is absent and the line is not written.
output "smtp_out_environment" {
  description = "Environment entries for the smtp_out container definition."
  value       = var.sinkhole ? [{ name = "SINKHOLE_ENABLED", value = "true" }] : []
}
