/**
 * JDBC implementations of the ory-core SPIs (H2, PostgreSQL, MariaDB/MySQL).
 */
@NullMarked
package io.ory4j.core.store.jdbc;

import org.jspecify.annotations.NullMarked;
