/**
 * Spring Boot auto-configuration: {@link dev.flagway.spring.boot.autoconfigure.FlagwayAutoConfiguration}
 * builds Flagway, its transactions and the routing repository beans from {@code flagway.*} properties.
 */
package dev.flagway.spring.boot.autoconfigure;
