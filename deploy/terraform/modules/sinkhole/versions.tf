terraform {
  # 1.5: check blocks; preconditions and templatefile are older.
  required_version = ">= 1.5.0"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # 5.x: aws_vpc_security_group_{ingress,egress}_rule, force_destroy on Cloud Map services.
      version = ">= 5.0, < 7.0"
    }
  }
}
