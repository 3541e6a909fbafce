/** Adapters for AWS: DynamoDB and ECS, one package per technology. */
package dev.tenantprovisioner.adapters.aws;
