# Least privilege. The task role (the program's own credentials) may read the mode parameter and nothing else;
# the execution role (the ECS agent's, for starting the task) may pull this image and write this log group.

data "aws_iam_policy_document" "assume_by_ecs_tasks" {
  for_each = local.tier

  statement {
    sid     = "EcsTasksOfThisAccountOnly"
    effect  = "Allow"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }
}

resource "aws_iam_role" "task" {
  for_each = local.tier

  name               = "${local.name}-task"
  description        = "The sinkhole program: reads its mode parameter."
  assume_role_policy = data.aws_iam_policy_document.assume_by_ecs_tasks[each.key].json
  tags               = local.tags
}

data "aws_iam_policy_document" "task" {
  for_each = local.tier

  statement {
    sid       = "ReadTheSinkholeModeParameterOnly"
    effect    = "Allow"
    actions   = ["ssm:GetParameter"]
    resources = [aws_ssm_parameter.mode[each.key].arn]
  }
}

resource "aws_iam_role_policy" "task" {
  for_each = local.tier

  name   = "read-sinkhole-mode"
  role   = aws_iam_role.task[each.key].id
  policy = data.aws_iam_policy_document.task[each.key].json
}

resource "aws_iam_role" "execution" {
  for_each = local.tier

  name               = "${local.name}-execution"
  description        = "The ECS agent for the sinkhole: pulls its image, writes its log group."
  assume_role_policy = data.aws_iam_policy_document.assume_by_ecs_tasks[each.key].json
  tags               = local.tags
}

data "aws_iam_policy_document" "execution" {
  for_each = local.tier

  # The one statement that cannot name a resource: ECR issues registry tokens account-wide.
  statement {
    sid       = "EcrLogin"
    effect    = "Allow"
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"]
  }

  statement {
    sid    = "PullTheSinkholeImageOnly"
    effect = "Allow"
    actions = [
      "ecr:BatchCheckLayerAvailability",
      "ecr:BatchGetImage",
      "ecr:GetDownloadUrlForLayer",
    ]
    resources = [aws_ecr_repository.sinkhole.arn]
  }

  statement {
    sid       = "WriteTheSinkholeLogGroupOnly"
    effect    = "Allow"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.sinkhole[each.key].arn}:log-stream:*"]
  }

  # Only with the HTTP listener: the agent reads its token parameter to inject it (ECS "secrets").
  dynamic "statement" {
    for_each = local.http_enabled ? [var.http_token_parameter_arn] : []

    content {
      sid       = "ReadTheHttpTokenParameterOnly"
      effect    = "Allow"
      actions   = ["ssm:GetParameters"]
      resources = [statement.value]
    }
  }
}

resource "aws_iam_role_policy" "execution" {
  for_each = local.tier

  name   = "pull-image-write-logs"
  role   = aws_iam_role.execution[each.key].id
  policy = data.aws_iam_policy_document.execution[each.key].json
}
