/**
 * A small JDBC layer (no ORM): DSN parsing, dialects for H2, PostgreSQL and MariaDB/MySQL, a transaction
 * helper over a {@code DataSource}, and SQL error translation.
 */
@NullMarked
package io.ory4j.core.jdbc;

import org.jspecify.annotations.NullMarked;
