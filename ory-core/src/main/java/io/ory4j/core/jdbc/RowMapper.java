package io.ory4j.core.jdbc;

import java.sql.SQLException;

/** Maps the current row of a result. */
@FunctionalInterface
public interface RowMapper<T> {
  T map(Row row) throws SQLException;
}
