package dev.tenantprovisioner.lambda.wiring;

import com.google.inject.AbstractModule;

/** Binds the driven interfaces to the DynamoDB, ECS and Resend adapters. */
public final class AwsAdaptersModule extends AbstractModule {

    private final AwsSettings settings;

    public AwsAdaptersModule(AwsSettings settings) {
        this.settings = settings;
    }

    @Override
    protected void configure() {
        bind(AwsSettings.class).toInstance(settings);
    }
}
