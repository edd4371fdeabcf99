package io.ory4j.core.jdbc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Calendar;
import java.util.TimeZone;
import org.jspecify.annotations.Nullable;

/** The current row of a result, with typed getters; instants are read as UTC. */
public final class Row {
  private static final ThreadLocal<Calendar> UTC =
      ThreadLocal.withInitial(() -> Calendar.getInstance(TimeZone.getTimeZone("UTC")));

  private final ResultSet rs;

  Row(ResultSet rs) {
    this.rs = rs;
  }

  public @Nullable String string(String column) throws SQLException {
    return rs.getString(column);
  }

  public String requireString(String column) throws SQLException {
    String s = rs.getString(column);
    if (s == null) {
      throw new SQLException("column " + column + " is null");
    }
    return s;
  }

  public long getLong(String column) throws SQLException {
    return rs.getLong(column);
  }

  public int getInt(String column) throws SQLException {
    return rs.getInt(column);
  }

  public boolean bool(String column) throws SQLException {
    return rs.getBoolean(column);
  }

  public byte @Nullable [] bytes(String column) throws SQLException {
    return rs.getBytes(column);
  }

  public @Nullable Instant instant(String column) throws SQLException {
    Timestamp t = rs.getTimestamp(column, UTC.get());
    return t == null ? null : t.toInstant();
  }

  public Instant requireInstant(String column) throws SQLException {
    Instant i = instant(column);
    if (i == null) {
      throw new SQLException("column " + column + " is null");
    }
    return i;
  }

  /** The underlying result set, for what the getters do not cover. */
  public ResultSet resultSet() {
    return rs;
  }

  static Calendar utc() {
    return UTC.get();
  }
}
