package io.ory4j.core.jdbc;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Objects;
import java.util.Properties;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A non-pooling {@link DataSource} over {@link DriverManager}, for tests, tools such as {@code migrate}, and hosts
 * that have no pool. Production hosts should hand their own pool (HikariCP, their container's) to the JDBC stores.
 */
public final class SimpleDataSource implements DataSource {

  private final String url;
  private final Properties properties;

  public SimpleDataSource(String url, Properties properties) {
    this.url = Objects.requireNonNull(url, "url");
    this.properties = (Properties) properties.clone();
  }

  /** A data source for a parsed {@link Dsn}. */
  public static SimpleDataSource of(Dsn dsn) {
    Properties p = new Properties();
    if (dsn.user() != null) {
      p.setProperty("user", dsn.user());
    }
    if (dsn.password() != null) {
      p.setProperty("password", dsn.password());
    }
    return new SimpleDataSource(dsn.jdbcUrl(), p);
  }

  @Override
  public Connection getConnection() throws SQLException {
    return DriverManager.getConnection(url, properties);
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    Properties p = (Properties) properties.clone();
    p.setProperty("user", username);
    p.setProperty("password", password);
    return DriverManager.getConnection(url, p);
  }

  @Override
  public PrintWriter getLogWriter() {
    return new PrintWriter(java.io.Writer.nullWriter());
  }

  @Override
  public void setLogWriter(PrintWriter out) {
    // not used
  }

  @Override
  public void setLoginTimeout(int seconds) {
    DriverManager.setLoginTimeout(seconds);
  }

  @Override
  public int getLoginTimeout() {
    return DriverManager.getLoginTimeout();
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    throw new SQLFeatureNotSupportedException("no JUL logger");
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    if (iface.isInstance(this)) {
      return iface.cast(this);
    }
    throw new SQLException("not a wrapper for " + iface);
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) {
    return iface.isInstance(this);
  }

  @Override
  public String toString() {
    return "SimpleDataSource[" + url.replaceAll("password=[^&;]*", "password=***") + "]";
  }
}
