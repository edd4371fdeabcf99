/** JDBC identity and session stores (H2, PostgreSQL, MariaDB/MySQL); migrations of module {@code identity}. */
@NullMarked
package io.ory4j.identity.store.jdbc;

import org.jspecify.annotations.NullMarked;
