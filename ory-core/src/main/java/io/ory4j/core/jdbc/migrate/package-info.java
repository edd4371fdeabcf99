/**
 * SQL migrations per module and dialect, kept on the classpath under Flyway-style names
 * ({@code db/migration/<module>/<dialect>/V1__init.sql}), and a small runner with a schema-version table and a database
 * lock, safe when two processes start at once.
 */
@NullMarked
package io.ory4j.core.jdbc.migrate;

import org.jspecify.annotations.NullMarked;
