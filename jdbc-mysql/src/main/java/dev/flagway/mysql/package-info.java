/**
 * The MySQL 8 and MariaDB dialect of the engine: {@link dev.flagway.mysql.MySqlDialect} (online
 * {@code ALTER TABLE} with {@code ALGORITHM=INSTANT} or {@code INPLACE, LOCK=NONE}, refusing what would
 * copy the table or block writes, metadata-lock diagnostics, health signals), configured by
 * {@link dev.flagway.mysql.MySqlSettings}.
 */
package dev.flagway.mysql;
