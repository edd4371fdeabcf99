/**
 * Ephemeral test databases: H2 always; PostgreSQL and MariaDB when {@code ORY4J_TEST_POSTGRES_URL} and
 * {@code ORY4J_TEST_MYSQL_URL} are set. Skipped with a visible reason otherwise, and a failure under {@code CI=true},
 * so CI never silently tests less.
 */
@NullMarked
package io.ory4j.testkit.jdbc;

import org.jspecify.annotations.NullMarked;
