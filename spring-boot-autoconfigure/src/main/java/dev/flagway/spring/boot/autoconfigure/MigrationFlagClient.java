package dev.flagway.spring.boot.autoconfigure;

import dev.openfeature.sdk.Client;

/** The OpenFeature client of a flag provider the starter set up for Flagway's migration flags. */
interface MigrationFlagClient {
    /** The client Flagway evaluates its flags with. */
    Client client();
}
