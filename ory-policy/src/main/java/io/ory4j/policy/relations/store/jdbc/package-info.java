/** The JDBC relation-tuple store (H2, PostgreSQL, MariaDB/MySQL); migrations of module {@code relations}. */
@NullMarked
package io.ory4j.policy.relations.store.jdbc;

import org.jspecify.annotations.NullMarked;
