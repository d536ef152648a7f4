resource "aws_ecs_service" "sinkhole" {
  for_each = local.tier

  name            = local.name
  cluster         = var.cluster_arn
  task_definition = aws_ecs_task_definition.sinkhole[each.key].arn
  launch_type     = "EC2"
  # One task, no autoscaling; zero while the environment is quiesced.
  desired_count = var.quiesced ? 0 : 1

  # One task at a time: the old one drains (SIGTERM, 421 to idle sessions) before the new one starts.
  deployment_minimum_healthy_percent = 0
  deployment_maximum_percent         = 100

  network_configuration {
    subnets         = var.subnet_ids
    security_groups = concat([aws_security_group.sinkhole[each.key].id], var.additional_security_group_ids)
  }

  # The only way in: Cloud Map. No load balancer, no EFS.
  service_registries {
    registry_arn = aws_service_discovery_service.sinkhole[each.key].arn
  }

  enable_execute_command = false
  propagate_tags         = "SERVICE"
  tags                   = local.tags
}
