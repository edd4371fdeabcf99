/**
 * JDBC stores on H2, PostgreSQL and MySQL/MariaDB; the tables come from the migrations of module {@code oauth2}.
 */
@NullMarked
package io.ory4j.oauth2.store.jdbc;

import org.jspecify.annotations.NullMarked;
