# The plan's cleanup guardrail: any smtp-out queue line that names a sinkhole.test recipient (sendmail's
# "to=<...@sinkhole.test>, ... stat=..." lines: queued, Deferred or Sent) is counted. During a test session the
# alarm is expected to fire; after cleanup it returns to OK within one period. If it stays in ALARM with no test
# running, something outside the test sends to sinkhole.test (the runbook's cleanup step).
resource "aws_cloudwatch_log_metric_filter" "smtp_out_sinkhole_test" {
  for_each = local.tier

  name           = "smtp-out-sinkhole-test-recipients"
  log_group_name = var.smtp_out_log_group_name
  pattern        = "\"to=\" \"@sinkhole.test\" \"stat=\""

  metric_transformation {
    name          = "SmtpOutSinkholeTestQueueLines"
    namespace     = "Cabal/Sinkhole"
    value         = "1"
    default_value = "0"
  }
}

resource "aws_cloudwatch_metric_alarm" "smtp_out_sinkhole_test" {
  for_each = local.tier

  alarm_name          = "smtp-out-sinkhole-test-recipients"
  alarm_description   = "smtp-out queued or delivered mail to sinkhole.test. Expected during a test session (docs/testing/queue-persistence.md); otherwise find the sender."
  namespace           = "Cabal/Sinkhole"
  metric_name         = aws_cloudwatch_log_metric_filter.smtp_out_sinkhole_test[each.key].metric_transformation[0].name
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarm_actions
  ok_actions          = var.alarm_actions
  tags                = local.tags
}
