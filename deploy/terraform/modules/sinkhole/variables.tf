# The flag and where the tier runs.

variable "sinkhole" {
  description = "Create the sinkhole tier. Off by default; turning it off destroys the tier and keeps the ECR repository and its images."
  type        = bool
  default     = false
}

variable "environment" {
  description = "Deployment environment (dev, stage, prod). The tier refuses prod at plan time; the program refuses it again at start-up."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,31}$", var.environment))
    error_message = "environment must be a short lower-case name such as dev, stage or prod."
  }
}

variable "quiesced" {
  description = "Scale the service to zero (docs/quiesce.md); the Cloud Map name stays, with no instances."
  type        = bool
  default     = false
}

# Where it runs.

variable "cluster_arn" {
  description = "ARN of the ECS cluster (EC2 capacity) the mail tiers run in."
  type        = string
}

variable "subnet_ids" {
  description = "Private subnets for the task's ENI (awsvpc), the same as the mail tiers'."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) > 0
    error_message = "subnet_ids needs at least one subnet."
  }
}

variable "vpc_id" {
  description = "VPC of the subnets; the sinkhole's own security group is created in it."
  type        = string
}

variable "vpc_cidr_block" {
  description = "The VPC's CIDR: the only source allowed to reach port 25 (and the HTTP port)."
  type        = string

  validation {
    condition     = can(cidrhost(var.vpc_cidr_block, 0))
    error_message = "vpc_cidr_block must be a CIDR block such as 10.0.0.0/16."
  }
}

variable "additional_security_group_ids" {
  description = "Security groups attached next to the sinkhole's own (for example a shared mail-tier group). Their rules add to the module's: keep them free of wider egress."
  type        = list(string)
  default     = []
}

variable "api_egress_cidr_blocks" {
  description = "Where HTTPS (443) may go: SSM (the mode parameter) and CloudWatch Logs. The default, the VPC CIDR, suits interface VPC endpoints; with a NAT gateway instead, pass [\"0.0.0.0/0\"]. Null means the VPC CIDR."
  type        = list(string)
  default     = null
}

variable "cloud_map_namespace_id" {
  description = "ID of the private DNS namespace (aws_service_discovery_private_dns_namespace.mail)."
  type        = string
}

variable "cloud_map_namespace_name" {
  description = "Name of that namespace; the sinkhole is sinkhole.<name>, the host smtp-out's mailertable names."
  type        = string
  default     = "cabal.internal"
}

# What runs.

variable "image" {
  description = "Image to run. Null means <the module's ECR repository>:latest."
  type        = string
  default     = null
}

variable "ecr_repository_name" {
  description = "Name of the ECR repository for the image (kept when the tier is off)."
  type        = string
  default     = "cabal-sinkhole"
}

variable "ssm_parameter_name" {
  description = "SSM String parameter holding the mode; the task role may read this one parameter and nothing else."
  type        = string
  default     = "/cabal/sinkhole_mode"

  validation {
    condition     = can(regex("^/[A-Za-z0-9_.\\-/]{1,2047}$", var.ssm_parameter_name))
    error_message = "ssm_parameter_name must be an absolute SSM parameter name such as /cabal/sinkhole_mode."
  }
}

variable "log_retention_days" {
  description = "Retention of the /ecs/cabal-sinkhole log group, in days (one of CloudWatch's allowed values)."
  type        = number
  default     = 14

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be one of CloudWatch Logs' retention values (1, 3, 5, 7, 14, 30, 60, 90, ...)."
  }
}

variable "http_port" {
  description = "Port of the sinkhole's HTTP listener (Prometheus metrics, SINKHOLE_HTTP); null leaves it off. Opened to the VPC CIDR only."
  type        = number
  default     = null

  validation {
    condition     = var.http_port == null || (try(var.http_port >= 1024 && var.http_port <= 65535 && var.http_port != 25, false))
    error_message = "http_port must be null or a port from 1024 to 65535 other than 25."
  }
}

variable "http_token_parameter_arn" {
  description = "ARN of the SSM SecureString holding the HTTP listener's bearer token (16 to 4096 printable characters); required with http_port. Prometheus scrapes with the same token (authorization.credentials_file)."
  type        = string
  default     = null
}

# smtp-out's cleanup alarm.

variable "smtp_out_log_group_name" {
  description = "smtp-out's log group, watched for queue lines naming sinkhole.test."
  type        = string
  default     = "/ecs/cabal-smtp-out"
}

variable "alarm_actions" {
  description = "Where the cleanup alarm goes (the standard alert path, e.g. an SNS topic ARN)."
  type        = list(string)
  default     = []
}

variable "tags" {
  description = "Tags for every resource the module creates."
  type        = map(string)
  default     = {}
}
