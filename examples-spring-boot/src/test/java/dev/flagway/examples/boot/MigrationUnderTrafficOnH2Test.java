package dev.flagway.examples.boot;

/** The application as configured: H2 in memory. */
class MigrationUnderTrafficOnH2Test extends MigrationUnderTrafficTest {
}
