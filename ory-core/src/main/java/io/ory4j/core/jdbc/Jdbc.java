package io.ory4j.core.jdbc;

import io.ory4j.core.error.OryException;
import io.ory4j.core.storage.DuplicateException;
import io.ory4j.core.storage.StoreUnavailableException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small JDBC helper over a {@link DataSource}: statements with bound parameters, row mapping, transactions with a
 * retry on serialization failures and deadlocks, and translation of SQL errors into ory4j's storage exceptions
 * ({@link DuplicateException} for unique violations, {@link StoreUnavailableException} for lost connections).
 *
 * <p>Parameters: {@link Instant} is bound as a UTC timestamp, {@link UUID} as its string, enums by name, and
 * {@code null} as SQL NULL.
 */
public final class Jdbc implements SqlOps {

  private static final Logger log = LoggerFactory.getLogger(Jdbc.class);
  private static final int MAX_ATTEMPTS = 3;

  private final DataSource dataSource;
  private volatile Dialect dialect;

  public Jdbc(DataSource dataSource) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
  }

  /** A helper whose dialect is already known (no detection round trip). */
  public Jdbc(DataSource dataSource, Dialect dialect) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    this.dialect = Objects.requireNonNull(dialect, "dialect");
  }

  /** The data source. */
  public DataSource dataSource() {
    return dataSource;
  }

  @Override
  public Dialect dialect() {
    Dialect d = dialect;
    if (d == null) {
      d = withConnection(Dialect::detect);
      dialect = d;
    }
    return d;
  }

  /** A unit of work on one connection. */
  @FunctionalInterface
  public interface ConnectionCallback<T> {
    T apply(Connection c) throws SQLException;
  }

  /** A unit of work inside a transaction. */
  @FunctionalInterface
  public interface TxCallback<T> {
    T apply(Tx tx) throws SQLException;
  }

  /** Runs {@code work} on a connection from the pool, translating SQL errors. */
  public <T> T withConnection(ConnectionCallback<T> work) {
    try (Connection c = dataSource.getConnection()) {
      return work.apply(c);
    } catch (SqlRuntimeException e) {
      throw translate(e.getCause());
    } catch (SQLException e) {
      throw translate(e);
    }
  }

  /**
   * Runs {@code work} in one transaction: committed when it returns, rolled back when it throws. Serialization
   * failures and deadlocks are retried up to three times, so {@code work} must not have side effects outside the
   * database.
   */
  public <T> T inTransaction(TxCallback<T> work) {
    SQLException last = null;
    for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      try (Connection c = dataSource.getConnection()) {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
          T result = work.apply(new Tx(c, dialect()));
          c.commit();
          return result;
        } catch (SqlRuntimeException e) {
          rollbackQuietly(c);
          throw e.getCause();
        } catch (SQLException | RuntimeException | Error e) {
          rollbackQuietly(c);
          throw e;
        } finally {
          try {
            c.setAutoCommit(auto);
          } catch (SQLException ignored) {
            // the connection is going back to the pool or away
          }
        }
      } catch (SQLException e) {
        if (Dialect.isRetryable(e) && attempt < MAX_ATTEMPTS) {
          log.debug("retrying a transaction after a serialization failure (attempt {})", attempt);
          last = e;
          continue;
        }
        throw translate(e);
      }
    }
    throw translate(Objects.requireNonNull(last));
  }

  @Override
  public int update(String sql, Object... params) {
    return withConnection(c -> Tx.update(c, sql, params));
  }

  @Override
  public <T> List<T> query(String sql, RowMapper<T> mapper, Object... params) {
    return withConnection(c -> Tx.query(c, sql, mapper, params));
  }

  /** Translates a SQL error into ory4j's storage exceptions. */
  public static RuntimeException translate(SQLException e) {
    if (Dialect.isUniqueViolation(e)) {
      return new DuplicateException("Unable to insert or update resource because a resource with that value exists "
          + "already", e);
    }
    if (Dialect.isConnectionFailure(e)) {
      log.warn("database unavailable: {}", e.getMessage());
      return new StoreUnavailableException("The database is unavailable.", e);
    }
    log.error("unexpected database error (SQLState {}, code {})", e.getSQLState(), e.getErrorCode(), e);
    return OryException.internal("An unexpected database error occurred.").withCause(e);
  }

  private static void rollbackQuietly(Connection c) {
    try {
      c.rollback();
    } catch (SQLException e) {
      log.debug("rollback failed", e);
    }
  }

  /** A transaction in progress: the statement helpers on its connection. */
  public static final class Tx implements SqlOps {
    private final Connection connection;
    private final Dialect dialect;

    Tx(Connection connection, Dialect dialect) {
      this.connection = connection;
      this.dialect = dialect;
    }

    /** The transaction's connection. */
    public Connection connection() {
      return connection;
    }

    @Override
    public Dialect dialect() {
      return dialect;
    }

    @Override
    public int update(String sql, Object... params) {
      try {
        return update(connection, sql, params);
      } catch (SQLException e) {
        throw new SqlRuntimeException(e);
      }
    }

    @Override
    public <T> List<T> query(String sql, RowMapper<T> mapper, Object... params) {
      try {
        return query(connection, sql, mapper, params);
      } catch (SQLException e) {
        throw new SqlRuntimeException(e);
      }
    }

    /** Runs the same statement once per parameter row. */
    public int[] batch(String sql, List<Object[]> rows) {
      try (PreparedStatement ps = connection.prepareStatement(sql)) {
        for (Object[] row : rows) {
          bind(ps, row);
          ps.addBatch();
        }
        return ps.executeBatch();
      } catch (SQLException e) {
        throw new SqlRuntimeException(e);
      }
    }

    static int update(Connection c, String sql, Object... params) throws SQLException {
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        bind(ps, params);
        return ps.executeUpdate();
      }
    }

    static <T> List<T> query(Connection c, String sql, RowMapper<T> mapper, Object... params) throws SQLException {
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        bind(ps, params);
        try (ResultSet rs = ps.executeQuery()) {
          List<T> out = new ArrayList<>();
          Row row = new Row(rs);
          while (rs.next()) {
            out.add(mapper.map(row));
          }
          return out;
        }
      }
    }
  }

  /** Binds parameters with ory4j's conversions. */
  public static void bind(PreparedStatement ps, Object... params) throws SQLException {
    for (int i = 0; i < params.length; i++) {
      Object p = params[i];
      int idx = i + 1;
      if (p == null) {
        ps.setNull(idx, Types.NULL);
      } else if (p instanceof Instant instant) {
        ps.setTimestamp(idx, Timestamp.from(instant), Row.utc());
      } else if (p instanceof UUID || p instanceof Enum<?>) {
        ps.setString(idx, p instanceof Enum<?> e ? e.name() : p.toString());
      } else if (p instanceof byte[] b) {
        ps.setBytes(idx, b);
      } else {
        ps.setObject(idx, p);
      }
    }
  }

  /**
   * Carries a {@link SQLException} out of a {@link Tx} helper; {@link #inTransaction} unwraps and translates it, so
   * store code can use the helpers in lambdas.
   */
  public static final class SqlRuntimeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    SqlRuntimeException(SQLException cause) {
      super(cause);
    }

    @Override
    public synchronized SQLException getCause() {
      return (SQLException) super.getCause();
    }
  }
}
