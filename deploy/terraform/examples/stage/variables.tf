# In the real stack these come from the existing modules (vpc, ecs, service discovery) and from infra.yml:
# TF_VAR_SINKHOLE and TF_VAR_ENVIRONMENT are set per GitHub environment (prod's sinkhole is fixed at false).

variable "region" {
  type    = string
  default = "us-east-1"
}

variable "environment" {
  type = string
}

variable "sinkhole" {
  type    = bool
  default = false
}

variable "quiesced" {
  type    = bool
  default = false
}

variable "cluster_arn" {
  type = string
}

variable "subnet_ids" {
  type = list(string)
}

variable "vpc_id" {
  type = string
}

variable "vpc_cidr_block" {
  type = string
}

variable "cloud_map_namespace_id" {
  type = string
}

variable "image" {
  type    = string
  default = null
}

variable "log_retention_days" {
  type    = number
  default = 14
}

variable "http_port" {
  type    = number
  default = null
}

variable "http_token_parameter_arn" {
  type    = string
  default = null
}

variable "alarm_actions" {
  type    = list(string)
  default = []
}
