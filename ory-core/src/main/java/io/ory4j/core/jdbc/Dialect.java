package io.ory4j.core.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;

/** The SQL dialects ory4j supports; each names its migration folder. */
public enum Dialect {
  H2("h2"),
  POSTGRES("postgres"),
  MYSQL("mysql");

  private final String folder;

  Dialect(String folder) {
    this.folder = folder;
  }

  /** The migration folder name under {@code db/migration/<module>/}. */
  public String folder() {
    return folder;
  }

  /** Detects the dialect of an open connection from its database product name. */
  public static Dialect detect(Connection c) throws SQLException {
    String product = c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
    if (product.contains("h2")) {
      return H2;
    }
    if (product.contains("postgres")) {
      return POSTGRES;
    }
    if (product.contains("mysql") || product.contains("mariadb")) {
      return MYSQL;
    }
    throw new SQLException("unsupported database \"" + product + "\"; ory4j supports H2, PostgreSQL, MariaDB and MySQL");
  }

  /** True when a SQL error means a unique or primary key was violated. */
  public static boolean isUniqueViolation(SQLException e) {
    for (SQLException s = e; s != null; s = s.getNextException()) {
      String state = s.getSQLState();
      if ("23505".equals(state) || (state != null && state.startsWith("23") && s.getErrorCode() == 1062)
          || s.getErrorCode() == 1062 || s instanceof java.sql.SQLIntegrityConstraintViolationException
              && (state == null || !"23502".equals(state) && !"23503".equals(state))) {
        return true;
      }
    }
    return false;
  }

  /** True when a SQL error means the database could not be reached or the connection broke. */
  public static boolean isConnectionFailure(SQLException e) {
    String state = e.getSQLState();
    return (state != null && state.startsWith("08")) || e instanceof java.sql.SQLTransientConnectionException
        || e instanceof java.sql.SQLNonTransientConnectionException || e instanceof java.sql.SQLRecoverableException;
  }

  /** True when a SQL error means a serialization failure or deadlock that a retry may resolve. */
  public static boolean isRetryable(SQLException e) {
    String state = e.getSQLState();
    return "40001".equals(state) || "40P01".equals(state) || e.getErrorCode() == 1213 || e.getErrorCode() == 1205;
  }
}
