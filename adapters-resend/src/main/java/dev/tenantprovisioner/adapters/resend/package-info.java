/** The {@link dev.tenantprovisioner.domain.spi.Mailer} on Resend, through the official resend-java SDK. */
package dev.tenantprovisioner.adapters.resend;
