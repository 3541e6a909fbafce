package dev.tenantprovisioner.adapters.inmemory.usecase;

import dev.tenantprovisioner.domain.spi.ManualClock;

/** A clock the test moves by hand. */
final class MutableClock extends ManualClock {}
