/**
 * JDBC policy and role stores on H2, PostgreSQL and MariaDB/MySQL; the schema is migrated from {@code db/migration/policy/}.
 */
@NullMarked
package io.ory4j.policy.acp.store.jdbc;

import org.jspecify.annotations.NullMarked;
