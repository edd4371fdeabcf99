package io.ory4j.core.jdbc;

import java.util.List;
import java.util.Optional;

/** The statement helpers shared by {@link Jdbc} (one auto-committed statement each) and {@link Jdbc.Tx}. */
public interface SqlOps {

  /** Runs an insert, update or delete; returns the affected row count. */
  int update(String sql, Object... params);

  /** Runs a query and maps every row. */
  <T> List<T> query(String sql, RowMapper<T> mapper, Object... params);

  /** Runs a query expected to return at most one row. */
  default <T> Optional<T> queryOne(String sql, RowMapper<T> mapper, Object... params) {
    List<T> rows = query(sql, mapper, params);
    if (rows.size() > 1) {
      throw new IllegalStateException("expected at most one row, got " + rows.size());
    }
    return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
  }

  /** The dialect of the database. */
  Dialect dialect();
}
