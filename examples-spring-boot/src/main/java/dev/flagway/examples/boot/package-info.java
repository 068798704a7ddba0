/**
 * The Spring Boot example application: a user directory migrated with Flagway's starter.
 */
package dev.flagway.examples.boot;
