# sinkhole.<namespace> (sinkhole.cabal.internal): an A record per running task, TTL 10, so a replaced task is
# reachable within seconds. force_destroy deregisters instances left behind when the tier is turned off, so the
# destroy does not fail on a service that still has instances (the orphan case the other tiers reconcile).
resource "aws_service_discovery_service" "sinkhole" {
  for_each = local.tier

  name          = "sinkhole"
  force_destroy = true

  dns_config {
    namespace_id   = var.cloud_map_namespace_id
    routing_policy = "MULTIVALUE"

    dns_records {
      type = "A"
      ttl  = 10
    }
  }

  # ECS reports task health to Cloud Map (the container health check); failure_threshold is fixed at 1 by AWS.
  health_check_custom_config {}

  tags = local.tags
}
