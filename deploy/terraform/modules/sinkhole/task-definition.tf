resource "aws_ecs_task_definition" "sinkhole" {
  for_each = local.tier

  family                   = local.name
  network_mode             = "awsvpc"
  requires_compatibilities = ["EC2"]
  task_role_arn            = aws_iam_role.task[each.key].arn
  execution_role_arn       = aws_iam_role.execution[each.key].arn

  # The one source of the container definition; the tests render the same file.
  container_definitions = templatefile("${path.module}/container-definitions.json.tftpl", {
    image         = local.image
    environment   = var.environment
    hostname      = local.hostname
    ssm_parameter = aws_ssm_parameter.mode[each.key].name
    log_group     = aws_cloudwatch_log_group.sinkhole[each.key].name
    region        = data.aws_region.current.name
    http_enabled  = local.http_enabled
    http_port     = local.http_enabled ? var.http_port : 0
    # The bearer token the HTTP listener needs beyond loopback: ECS injects it from SSM as SINKHOLE_HTTP_TOKEN,
    # the entry point writes it to a 1 MiB tmpfs (the root is read-only) and execs the image's own command.
    http_token_parameter = local.http_enabled ? var.http_token_parameter_arn : ""
  })

  tags = local.tags

  lifecycle {
    # Belt and braces: the GitHub variable is false in prod, this fails the plan if it is not, and the program
    # itself refuses SINKHOLE_ENVIRONMENT=prod (exit 3).
    precondition {
      condition     = !(var.sinkhole && var.environment == "prod")
      error_message = "Sinkhole tier must never run in prod."
    }

    # Bound beyond loopback, the program refuses to start without a token (exit 2).
    precondition {
      condition     = var.http_port == null || var.http_token_parameter_arn != null
      error_message = "http_port needs http_token_parameter_arn: the HTTP listener requires a bearer token beyond loopback."
    }

    # As the other tiers: image tags are updated out of band by the deploy workflow.
    ignore_changes = [container_definitions]
  }
}
