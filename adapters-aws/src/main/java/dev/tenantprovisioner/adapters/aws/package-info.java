/** Adapters for AWS (DynamoDB, ECS) and Resend, one package per technology. */
package dev.tenantprovisioner.adapters.aws;
